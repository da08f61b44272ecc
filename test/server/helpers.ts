// Shared test setup for the backend: a config from a temporary catalog, an app over in-memory SQLite,
// signed notifications made the way Robokassa makes them.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp, openSqliteStore, parseConfig, type PaymentRecord, type ServerConfig, type Store } from '../../src/server/index.js';
import { callbackSignatureBase, type CheckoutResponse, type HashAlgorithm } from '../../src/protocol/index.js';
import { nodeHasher } from '../../src/node-hasher.js';

export const PASSWORD1 = 'test-password-one-1';
export const PASSWORD2 = 'test-password-two-2';
export const API_KEY = 'a-long-test-api-key-0123456789';
export const PAGE_ORIGIN = 'https://shop.example';

export const CATALOG = {
  receipt: {},
  products: [
    { sku: 'course-basic', name: 'Online course: basics', price: '1500.00', currency: 'KZT', tax: 'none', paymentMethod: 'full_payment', paymentObject: 'service' },
    { sku: 'course-pro', name: 'Online course: pro', price: '24900.5', currency: 'KZT', tax: 'vat12' },
    { sku: 'hundred', name: 'Hundred', price: '100', currency: 'KZT' },
  ],
};

// removed when the test file's process ends (each test file runs in a process of its own), so runs don't
// pile folders up in the system's temp directory
const made: string[] = [];
process.on('exit', () => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'rk-server-'));
  made.push(dir);
  return dir;
}

export function writeCatalog(catalog: unknown = CATALOG, dir = tempDir()): string {
  const path = join(dir, 'catalog.json');
  writeFileSync(path, JSON.stringify(catalog));
  return path;
}

export function baseEnv(overrides: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  return {
    ROBOKASSA_MERCHANT_LOGIN: 'test-shop',
    ROBOKASSA_PASSWORD1: PASSWORD1,
    ROBOKASSA_PASSWORD2: PASSWORD2,
    ROBOKASSA_TEST: '1',
    ROBOKASSA_CATALOG: writeCatalog(),
    ROBOKASSA_DATABASE: ':memory:',
    ROBOKASSA_ALLOWED_ORIGINS: `${PAGE_ORIGIN},http://localhost:3000`,
    ROBOKASSA_API_KEY: API_KEY,
    ...overrides,
  };
}

export interface TestApp {
  app: ReturnType<typeof createApp>;
  config: ServerConfig;
  store: Store;
  paid: PaymentRecord[];
  logs: Record<string, unknown>[];
}

export function makeApp(env: Record<string, string | undefined> = {}, store?: Store): TestApp {
  const config = parseConfig(baseEnv(env));
  const s = store ?? openSqliteStore(':memory:');
  const paid: PaymentRecord[] = [];
  const logs: Record<string, unknown>[] = [];
  const app = createApp(config, { store: s, onPaid: (p) => void paid.push(p), log: (e) => void logs.push(e) });
  return { app, config, store: s, paid, logs };
}

/**
 * The server env @hono/node-server passes to app.fetch, with the socket's peer address: what
 * clientAddress reads (pass as app.request's third argument), e.g. a reverse proxy on loopback.
 */
export function peer(remoteAddress: string): { incoming: { socket: { remoteAddress: string } } } {
  return { incoming: { socket: { remoteAddress } } };
}

export function json(body: unknown, headers: Record<string, string> = {}): RequestInit {
  return { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) };
}

export async function checkout(t: TestApp, body: unknown = { items: [{ sku: 'course-basic', quantity: 1 }] }, headers: Record<string, string> = {}): Promise<CheckoutResponse> {
  const res = await t.app.request('/robokassa/checkout', json(body, { origin: PAGE_ORIGIN, ...headers }));
  if (res.status !== 201) throw new Error(`checkout answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as CheckoutResponse;
}

/** A ResultURL / SuccessURL parameter set signed as Robokassa signs it (upper-case hex by default). */
export function signed(p: { outSum: string; invId: number | string; password?: string; algorithm?: HashAlgorithm; shp?: Record<string, string>; lower?: boolean; extra?: Record<string, string> }): URLSearchParams {
  const invId = String(p.invId);
  const shp = p.shp ?? {};
  const digest = nodeHasher(p.algorithm ?? 'md5', callbackSignatureBase({ outSum: p.outSum, invId, password: p.password ?? PASSWORD2, shp }));
  return new URLSearchParams({ OutSum: p.outSum, InvId: invId, SignatureValue: p.lower ? digest : digest.toUpperCase(), ...shp, ...(p.extra ?? {}) });
}

export function form(params: URLSearchParams): RequestInit {
  return { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: params.toString() };
}

/** The Receipt form value (URL-encoded JSON) back to an object. */
export function decodeReceipt(field: string): { sno?: string; items: ({ name: string; quantity: number; sum: number; tax: string } & Record<string, unknown>)[] } {
  return JSON.parse(decodeURIComponent(field)) as ReturnType<typeof decodeReceipt>;
}
