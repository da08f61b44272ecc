// Configuration from the environment, with exactly the names in DESIGN.md, checked once at start.
// Every error names the variable; no message ever repeats a password's value.
import { readFileSync } from 'node:fs';
import * as z from 'zod/mini';
import { en } from 'zod/locales';
import { HASH_ALGORITHMS, type MerchantSettings } from '../protocol/index.js';
import { LOOPBACK, ROBOKASSA_NOTIFICATION_ADDRESSES, parseAddressList } from './addresses.js';
import { CatalogError, EMPTY_CATALOG, parseCatalog, type Catalog } from './catalog.js';

export interface ServerConfig {
  merchant: MerchantSettings;
  password1: string;
  password2: string;
  catalog: Catalog;
  /** SQLite file, or ':memory:' (not used when postgresUrl is set) */
  databasePath: string;
  /** DATABASE_URL: postgres://user:password@host:port/database; present, the data lives in PostgreSQL */
  postgresUrl?: string;
  /** page origins allowed to call the backend and to receive return messages, e.g. https://shop.example */
  allowedOrigins: readonly string[];
  /** enables POST /orders */
  apiKey?: string;
  host: string;
  port: number;
  /** POST /checkout per client address and minute (0: off). Default 60. */
  checkoutRateLimit?: number;
  /**
   * Reverse proxies (addresses, CIDR ranges) whose X-Forwarded-For is believed: only when the socket's
   * peer is one of them, hop by hop from the right. Default none: the socket's address is the client's.
   */
  trustProxy?: readonly string[];
  /** Source addresses heard on /result (ROBOKASSA_RESULT_ALLOW); others get 403. Default: any. */
  resultAllow?: readonly string[];
}

export class ConfigError extends Error {
  readonly variable: string;
  constructor(variable: string, message: string) {
    super(`${variable}: ${message}`);
    this.name = 'ConfigError';
    this.variable = variable;
  }
}

export const DEFAULT_DATABASE = './data/robokassa.sqlite';

const required = (what: string) => z.string({ error: `is required (${what})` }).check(z.minLength(1, `is required (${what})`));

const DATABASE_URL_RULE = 'must be a PostgreSQL URL like postgres://user:password@host:5432/database (or unset, to keep the data in SQLite)';

/** The user name and password of a URL must be percent-encoded: the client would fail on them later, less clearly. */
function decodableUserInfo(value: string): boolean {
  try {
    const url = new URL(value);
    decodeURIComponent(url.username);
    decodeURIComponent(url.password);
    return true;
  } catch {
    return false;
  }
}

// Messages here must not quote the received value: a password could land in the wrong variable.
const Env = z.object({
  ROBOKASSA_MERCHANT_LOGIN: required('the shop identifier from the Robokassa cabinet').check(
    z.regex(/^[A-Za-z0-9._-]{1,64}$/, 'must be the shop identifier from the Robokassa cabinet (letters, digits, ".", "_" or "-")'),
  ),
  ROBOKASSA_PASSWORD1: required('Password #1 from the cabinet\'s technical settings'),
  ROBOKASSA_PASSWORD2: required('Password #2 from the cabinet\'s technical settings'),
  ROBOKASSA_HASH: z.optional(z.enum(HASH_ALGORITHMS, { error: `must be one of ${HASH_ALGORITHMS.join(', ')} (as set in the cabinet)` })),
  ROBOKASSA_TEST: z.optional(z.enum(['0', '1', 'true', 'false'], { error: 'must be 1 (test mode) or 0' })),
  ROBOKASSA_REGION: z.optional(z.enum(['kz', 'ru'], { error: 'must be kz (auth.robokassa.kz) or ru (auth.robokassa.ru)' })),
  ROBOKASSA_PAYMENT_URL: z.optional(z.url({ protocol: /^https?$/, error: 'must be an http(s) URL of the payment page' })),
  ROBOKASSA_CATALOG: z.optional(z.string()),
  ROBOKASSA_DATABASE: z.optional(z.string()),
  // the URL holds the database password: no message may quote it
  DATABASE_URL: z.optional(z.url({ protocol: /^postgres(ql)?$/, error: DATABASE_URL_RULE }).check(
    z.refine(decodableUserInfo, 'has a user name or password that is not percent-encoded (write @ : / % as %40 %3A %2F %25)'),
  )),
  ROBOKASSA_ALLOWED_ORIGINS: z.optional(z.string()),
  ROBOKASSA_API_KEY: z.optional(z.string().check(z.minLength(16, 'must be at least 16 characters (a long random string)'))),
  ROBOKASSA_RATE_LIMIT: z.optional(z.string().check(z.regex(/^\d{1,6}$/, 'must be a whole number of checkouts per minute per address (0 turns the limit off)'))),
  ROBOKASSA_TRUST_PROXY: z.optional(z.string()),
  ROBOKASSA_RESULT_ALLOW: z.optional(z.string()),
  HOST: z.optional(z.string()),
  PORT: z.optional(z.string().check(z.regex(/^\d{1,5}$/, 'must be a port number'), z.refine((v) => Number(v) <= 65535, 'must be a port number'))),
});

/** An empty variable counts as unset (`ROBOKASSA_API_KEY=` disables the orders route). */
function present(env: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined && v.trim() !== '') out[k] = v.trim();
  return out;
}

/** "https://shop.example" -> itself; anything with a path, query or other scheme is refused. */
export function parseOrigins(list: string): string[] {
  const origins: string[] = [];
  for (const raw of list.split(',').map((s) => s.trim()).filter((s) => s !== '')) {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw new ConfigError('ROBOKASSA_ALLOWED_ORIGINS', `"${raw}" is not an origin like https://shop.example`);
    }
    if ((url.protocol !== 'https:' && url.protocol !== 'http:') || raw.replace(/\/$/, '') !== url.origin) {
      throw new ConfigError('ROBOKASSA_ALLOWED_ORIGINS', `"${raw}" is not an origin like https://shop.example (scheme, host and port only)`);
    }
    origins.push(url.origin);
  }
  return origins;
}

export function parseConfig(env: Record<string, string | undefined>): ServerConfig {
  const parsed = z.safeParse(Env, present(env), { error: en().localeError });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(String(issue?.path[0] ?? 'environment'), issue?.message ?? 'invalid');
  }
  const e = parsed.data;
  const merchant: MerchantSettings = {
    merchantLogin: e.ROBOKASSA_MERCHANT_LOGIN,
    hashAlgorithm: e.ROBOKASSA_HASH ?? 'md5',
    region: e.ROBOKASSA_REGION ?? 'kz',
    test: e.ROBOKASSA_TEST === '1' || e.ROBOKASSA_TEST === 'true',
    ...(e.ROBOKASSA_PAYMENT_URL !== undefined && { paymentUrl: e.ROBOKASSA_PAYMENT_URL }),
  };
  if (e.ROBOKASSA_PASSWORD1 === e.ROBOKASSA_PASSWORD2) {
    // Robokassa refuses equal passwords; equal ones would also let SuccessURL signatures pass as ResultURL
    throw new ConfigError('ROBOKASSA_PASSWORD2', 'must differ from ROBOKASSA_PASSWORD1');
  }
  if (e.ROBOKASSA_CATALOG === undefined && e.ROBOKASSA_API_KEY === undefined) {
    throw new ConfigError('ROBOKASSA_CATALOG', 'is required (path of the catalog JSON), unless ROBOKASSA_API_KEY is set to register orders');
  }
  if (e.DATABASE_URL !== undefined && e.ROBOKASSA_DATABASE !== undefined) {
    throw new ConfigError('DATABASE_URL', 'set either DATABASE_URL (PostgreSQL) or ROBOKASSA_DATABASE (SQLite), not both');
  }
  const catalog = e.ROBOKASSA_CATALOG === undefined ? EMPTY_CATALOG : loadCatalog(e.ROBOKASSA_CATALOG, merchant.region);
  return {
    merchant,
    password1: e.ROBOKASSA_PASSWORD1,
    password2: e.ROBOKASSA_PASSWORD2,
    catalog,
    databasePath: e.ROBOKASSA_DATABASE ?? DEFAULT_DATABASE,
    ...(e.DATABASE_URL !== undefined && { postgresUrl: e.DATABASE_URL }),
    allowedOrigins: parseOrigins(e.ROBOKASSA_ALLOWED_ORIGINS ?? ''),
    ...(e.ROBOKASSA_API_KEY !== undefined && { apiKey: e.ROBOKASSA_API_KEY }),
    host: e.HOST ?? '127.0.0.1',
    port: e.PORT === undefined ? 8080 : Number(e.PORT),
    ...(e.ROBOKASSA_RATE_LIMIT !== undefined && { checkoutRateLimit: Number(e.ROBOKASSA_RATE_LIMIT) }),
    ...(e.ROBOKASSA_TRUST_PROXY !== undefined && { trustProxy: parseTrustProxy(e.ROBOKASSA_TRUST_PROXY) }),
    ...(e.ROBOKASSA_RESULT_ALLOW !== undefined && { resultAllow: addressList('ROBOKASSA_RESULT_ALLOW', e.ROBOKASSA_RESULT_ALLOW, { robokassa: ROBOKASSA_NOTIFICATION_ADDRESSES }) }),
  };
}

/** Where the data lives, for logs and errors: the SQLite path, or the PostgreSQL URL without its password. */
export function describeDatabase(config: Pick<ServerConfig, 'databasePath' | 'postgresUrl'>): string {
  if (config.postgresUrl === undefined) return config.databasePath;
  const url = new URL(config.postgresUrl);
  if (url.password !== '') url.password = '********';
  url.search = ''; // sslmode and the like; nothing a reader of the log needs
  return url.href;
}

function addressList(variable: string, text: string, sets: Record<string, readonly string[]>): string[] {
  try {
    return parseAddressList(text, sets);
  } catch (err) {
    throw new ConfigError(variable, err instanceof Error ? err.message : 'invalid');
  }
}

/** A count of hops (the old form) trusted X-Forwarded-For from any peer: refused with the way forward. */
function parseTrustProxy(text: string): string[] {
  if (/^\d+$/.test(text)) {
    throw new ConfigError('ROBOKASSA_TRUST_PROXY', 'must list the reverse proxies\' addresses, not a count: e.g. 127.0.0.1 (or loopback) for nginx on this machine, 10.0.0.0/8 for a private network');
  }
  return addressList('ROBOKASSA_TRUST_PROXY', text, { loopback: LOOPBACK });
}

function loadCatalog(path: string, region: 'kz' | 'ru'): Catalog {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new ConfigError('ROBOKASSA_CATALOG', `cannot read ${path} (${code})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new ConfigError('ROBOKASSA_CATALOG', `${path} is not valid JSON (${err instanceof Error ? err.message : 'parse error'})`);
  }
  try {
    return parseCatalog(json, region);
  } catch (err) {
    if (err instanceof CatalogError) throw new ConfigError('ROBOKASSA_CATALOG', `${path}: ${err.message}`);
    throw err;
  }
}
