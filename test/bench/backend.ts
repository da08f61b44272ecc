// The real backend for the benchmarks: createApp over a temp SQLite file and a one-product catalog,
// plus a seeder that fills the store through its own SQLite file in one transaction, and a signer for
// valid ResultURL notifications (the protocol's callbackSignatureBase + nodeHasher).
import { mkdtempSync, writeFileSync, rmSync, existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import Database from 'better-sqlite3';
import type { Hono } from 'hono';
import { uuidv7 } from './lib.js';

export const CREDS = {
  merchantLogin: 'bench-shop',
  password1: 'bench-password-1',
  password2: 'bench-password-2',
  hash: 'md5',
} as const;

export const SKU = 'course-basic';
export const CHECKOUT_BODY = JSON.stringify({ items: [{ sku: SKU, quantity: 1 }] });

const CATALOG = {
  receipt: { sno: 'usn_income' },
  products: [{ sku: SKU, name: 'Basic course', price: '1500.00', currency: 'KZT', tax: 'none', paymentMethod: 'full_payment', paymentObject: 'service' }],
};

/** What the benchmarks need from src/server (typed here so the harness compiles before it lands). */
interface StoreLike { close(): void }
interface ServerModule {
  createApp: (config: never, options?: { store?: StoreLike; log?: (entry: Record<string, unknown>) => void }) => Hono;
  parseConfig: (env: Record<string, string | undefined>) => never;
  openSqliteStore?: (path: string) => StoreLike;
}
interface ProtocolModule {
  callbackSignatureBase: (p: { outSum: string; invId: string; password: string; shp?: Record<string, string> }) => string;
}
interface HasherModule { nodeHasher: (algorithm: 'md5', input: string) => string }

// overridable only to develop the harness against a stand-in before the real modules land
const SERVER_MODULE = process.env.RK_BENCH_SERVER ?? '../../src/server/index.js';
const PROTOCOL_MODULE = process.env.RK_BENCH_PROTOCOL ?? '../../src/protocol/index.js';
const HASHER_MODULE = process.env.RK_BENCH_HASHER ?? '../../src/node-hasher.js';

export async function loadServer(): Promise<ServerModule | undefined> {
  try {
    return (await import(SERVER_MODULE)) as ServerModule;
  } catch (err) {
    if (process.env.RK_BENCH_DEBUG) console.error(err);
    return undefined;
  }
}

export interface BenchBackend {
  /** replaced by reopen() */
  app: Hono;
  dir: string;
  dbPath: string;
  /** closes the app's store (so a seeder may have the file to itself) and opens a fresh store + app on the same file */
  reopen(between?: () => void): void;
  close(): void;
}

export interface BackendOptions {
  paymentUrl?: string; allowedOrigins?: string; database?: string;
  /** 'default': the app's own log (one JSON line per request on stdout, as `npm run serve`); 'none': dropped */
  log?: 'default' | 'none';
}

export async function createBackend(server: ServerModule, opts: BackendOptions = {}): Promise<BenchBackend> {
  const dir = mkdtempSync(join(tmpdir(), 'rk-bench-'));
  const catalog = join(dir, 'catalog.json');
  writeFileSync(catalog, JSON.stringify(CATALOG));
  const dbPath = opts.database ?? join(dir, 'robokassa.sqlite');
  const config = server.parseConfig({
    ROBOKASSA_MERCHANT_LOGIN: CREDS.merchantLogin,
    ROBOKASSA_PASSWORD1: CREDS.password1,
    ROBOKASSA_PASSWORD2: CREDS.password2,
    ROBOKASSA_HASH: CREDS.hash,
    ROBOKASSA_TEST: '1',
    ROBOKASSA_REGION: 'kz',
    ROBOKASSA_PAYMENT_URL: opts.paymentUrl ?? 'http://127.0.0.1:9/sandbox/Merchant/Index.aspx',
    ROBOKASSA_CATALOG: catalog,
    ROBOKASSA_DATABASE: dbPath,
    ROBOKASSA_ALLOWED_ORIGINS: opts.allowedOrigins ?? 'http://127.0.0.1',
    // the load comes from one address; a limit no run reaches keeps the limiter's own cost in the figures
    ROBOKASSA_RATE_LIMIT: '999999',
  });
  // the app still builds and redacts every entry with 'none'; only the write is skipped
  const logOpt = opts.log === 'default' ? {} : { log: (): void => {} };
  const open = (): { app: Hono; store?: StoreLike } => {
    if (!server.openSqliteStore) return { app: server.createApp(config, logOpt) };
    const store = server.openSqliteStore(dbPath);
    return { app: server.createApp(config, { ...logOpt, store }), store };
  };
  let current = open();
  const backend: BenchBackend = {
    app: current.app, dir, dbPath,
    reopen(between) {
      current.store?.close();
      between?.();
      current = open();
      backend.app = current.app;
    },
    close() {
      current.store?.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return backend;
}

export interface Created { id: string; invoiceId: number; amount: string }

export async function checkout(app: Hono, key: string = uuidv7()): Promise<{ status: number; body: Created }> {
  const res = await app.request('/robokassa/checkout', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': key },
    body: CHECKOUT_BODY,
  });
  return { status: res.status, body: (await res.json()) as Created };
}

let signer: ((outSum: string, invId: number) => string) | undefined;

/** Returns a function producing a valid ResultURL form body for (outSum, invId). */
export async function resultSigner(): Promise<(outSum: string, invId: number) => string> {
  if (signer) return signer;
  const protocol = (await import(PROTOCOL_MODULE)) as ProtocolModule;
  const { nodeHasher } = (await import(HASHER_MODULE)) as HasherModule;
  signer = (outSum, invId) => {
    const sig = nodeHasher(CREDS.hash, protocol.callbackSignatureBase({ outSum, invId: String(invId), password: CREDS.password2 }));
    return new URLSearchParams({ OutSum: outSum, InvId: String(invId), SignatureValue: sig.toUpperCase() }).toString();
  };
  return signer;
}

export interface Seeded {
  /** seeded invoices are firstInvId … firstInvId + count - 1, all pending, all for `amount` */
  firstInvId: number;
  count: number;
  amount: string;
  /** a sample of seeded payment ids, for the status route */
  sampleIds: string[];
  tables: string[];
  ms: number;
}

interface ColumnInfo { name: string; type: string; pk: number }

/**
 * Fills the store with `count` more payments by cloning the rows of one real payment (created through
 * the app, so every column the store needs is right) in one transaction. Columns holding the payment id
 * or the invoice id get fresh values; other UNIQUE / PRIMARY KEY columns get distinct values of the
 * same shape; an INTEGER PRIMARY KEY rowid alias is left to SQLite.
 */
export function seedPayments(dbPath: string, template: Created, count: number, opts: { exclusive?: boolean } = {}): Seeded {
  const t0 = performance.now();
  const db = new Database(dbPath);
  try {
    db.pragma('busy_timeout = 5000');
    db.pragma('foreign_keys = OFF'); // the clones are consistent by construction; skip the lookups
    if (opts.exclusive) {
      // nobody else has the file open: write it directly, no WAL copy, no fsync (a crash loses only the seed)
      db.pragma('journal_mode = OFF');
      db.pragma('synchronous = OFF');
      db.pragma('cache_size = -262144');
    }
    const tables = (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`).all() as { name: string }[]).map((r) => r.name);
    interface Plan { table: string; cols: ColumnInfo[]; rows: Record<string, unknown>[]; unique: Set<string>; rowidAlias?: string; invCols: string[] }
    const plans: Plan[] = [];
    for (const table of tables) {
      const cols = db.prepare(`PRAGMA table_info(${JSON.stringify(table)})`).all() as ColumnInfo[];
      // rows that belong to the template payment: a text column holding its id, or an integer column
      // named like an invoice number holding its InvId (e.g. an invoice-number allocation table)
      const textCols = cols.filter((c) => !/INT|REAL|NUM/i.test(c.type));
      const intCols = cols.filter((c) => /INT/i.test(c.type) && /inv/i.test(c.name));
      const conds = [...textCols.map((c) => `${JSON.stringify(c.name)} = @id`), ...intCols.map((c) => `${JSON.stringify(c.name)} = @inv`)];
      if (conds.length === 0) continue;
      const rows = db.prepare(`SELECT * FROM ${JSON.stringify(table)} WHERE ${conds.join(' OR ')}`).all({ id: template.id, inv: template.invoiceId }) as Record<string, unknown>[];
      if (rows.length === 0) continue;
      const unique = new Set<string>();
      for (const c of cols) if (c.pk > 0) unique.add(c.name);
      for (const idx of db.prepare(`PRAGMA index_list(${JSON.stringify(table)})`).all() as { name: string; unique: number }[]) {
        if (!idx.unique) continue;
        for (const ic of db.prepare(`PRAGMA index_info(${JSON.stringify(idx.name)})`).all() as { name: string }[]) unique.add(ic.name);
      }
      const pkCols = cols.filter((c) => c.pk > 0);
      const rowidAlias = pkCols.length === 1 && /^INTEGER$/i.test(pkCols[0]!.type) ? pkCols[0]!.name : undefined;
      const invCols = cols.filter((c) => /inv/i.test(c.name) && rows.some((r) => r[c.name] === template.invoiceId || r[c.name] === BigInt(template.invoiceId) || r[c.name] === String(template.invoiceId))).map((c) => c.name);
      plans.push({ table, cols, rows, unique, ...(rowidAlias ? { rowidAlias } : {}), invCols });
    }
    const paymentPlan = plans.find((p) => p.invCols.length > 0 && p.rows.some((r) => Object.values(r).includes(template.id)));
    if (!paymentPlan) throw new Error(`seed: no table holds payment ${template.id} with invoice ${template.invoiceId} (tables: ${tables.join(', ')})`);
    const invCol = paymentPlan.invCols[0]!;
    const maxInv = Number((db.prepare(`SELECT MAX(${JSON.stringify(invCol)}) AS m FROM ${JSON.stringify(paymentPlan.table)}`).get() as { m: number | bigint }).m);
    const firstInvId = maxInv + 1;
    if (firstInvId + count > 2147483647) throw new Error('seed: invoice ids would leave int32');
    const sampleIds: string[] = [];
    const sampleEvery = Math.max(1, Math.floor(count / 1000));
    // per template row: its values once, plus the few positions that change per clone
    type Patch = { at: number; kind: 'id' | 'inv' | 'invText' | 'text' | 'num'; orig: unknown };
    const inserts = plans.flatMap((p) => {
      const names = p.cols.map((c) => c.name).filter((n) => n !== p.rowidAlias || p.invCols.includes(n));
      const stmt = db.prepare(`INSERT INTO ${JSON.stringify(p.table)} (${names.map((n) => JSON.stringify(n)).join(', ')}) VALUES (${names.map(() => '?').join(', ')})`);
      return p.rows.map((row) => {
        const base = names.map((n) => row[n]);
        const patches: Patch[] = [];
        names.forEach((n, at) => {
          const v = row[n];
          if (v === template.id) patches.push({ at, kind: 'id', orig: v });
          else if (p.invCols.includes(n)) patches.push({ at, kind: typeof v === 'string' ? 'invText' : 'inv', orig: v });
          else if (p.unique.has(n) && v !== null && typeof v === 'string') patches.push({ at, kind: 'text', orig: v });
          else if (p.unique.has(n) && (typeof v === 'number' || typeof v === 'bigint')) patches.push({ at, kind: 'num', orig: Number(v) });
        });
        return { stmt, base, patches };
      });
    });
    const run = db.transaction(() => {
      for (let i = 0; i < count; i++) {
        const inv = firstInvId + i;
        const id = reshape(template.id, i);
        if (i % sampleEvery === 0 && sampleIds.length < 1000) sampleIds.push(id);
        for (const { stmt, base, patches } of inserts) {
          const values = base.slice();
          for (const p of patches) {
            values[p.at] = p.kind === 'id' ? id : p.kind === 'inv' ? inv : p.kind === 'invText' ? String(inv)
              : p.kind === 'text' ? reshape(p.orig as string, i) : (p.orig as number) + (i + 1) * 1_000_003;
          }
          stmt.run(values);
        }
      }
    });
    run();
    // fold the WAL back into the file now, so the first request measured does not pay for the seeding
    if (!opts.exclusive) db.pragma('wal_checkpoint(TRUNCATE)');
    return { firstInvId, count, amount: template.amount, sampleIds, tables: plans.map((p) => p.table), ms: performance.now() - t0 };
  } finally {
    db.close();
  }
}

/** Same length and alphabet as `value` (hex digits fit base64url, hex and uuid ids), distinct per i. */
function reshape(value: string, i: number): string {
  const tag = (i + 1).toString(16).padStart(8, '0');
  if (value.length <= tag.length + 2) return `${value}-${tag}`;
  // uuid-shaped values keep their dashes
  const m = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-)[0-9a-f]{4}([0-9a-f]{8})$/i.exec(value);
  if (m) return `${m[1]}${tag.slice(0, 4)}${tag.slice(4)}${m[2]!.slice(4)}`;
  return value.slice(0, value.length - tag.length) + tag;
}

/** Bytes the SQLite file takes after a checkpoint (page_count × page_size). */
export function databaseBytes(dbPath: string): number {
  if (!existsSync(dbPath)) return NaN;
  const db = new Database(dbPath);
  try {
    db.pragma('busy_timeout = 5000');
    db.pragma('wal_checkpoint(TRUNCATE)');
    const pages = db.pragma('page_count', { simple: true }) as number;
    const size = db.pragma('page_size', { simple: true }) as number;
    return pages * size;
  } finally {
    db.close();
  }
}

export function fileBytes(path: string): number {
  return existsSync(path) ? statSync(path).size : 0;
}
