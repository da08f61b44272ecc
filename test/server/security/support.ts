// Shared by the security tests: an app over a temporary SQLite file (so a second, read-only connection
// can count rows behind the store's back), the JSON error shape check, and a snapshot of what the store
// holds that hostile input must not change.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { ApiError } from '../../../src/protocol/index.js';
import { openSqliteStore } from '../../../src/server/index.js';
import { makeApp, tempDir, type TestApp } from '../helpers.js';

export interface FileApp extends TestApp {
  file: string;
  /** read-only second connection to the same file */
  db: Database.Database;
  close(): void;
}

export function fileApp(env: Record<string, string | undefined> = {}): FileApp {
  const file = join(tempDir(), 'shop.sqlite');
  const store = openSqliteStore(file);
  const t = makeApp({ ROBOKASSA_DATABASE: file, ...env }, store);
  const db = new Database(file, { readonly: true });
  return { ...t, file, db, close: () => { db.close(); store.close(); } };
}

export interface Snapshot {
  payments: number;
  invoiceIds: number;
  idempotencyKeys: number;
  orders: number;
  notifications: number;
  /** "id:status:paidAt:failedAt" of every payment, in InvId order */
  states: string;
  /** "orderId:status" of every order */
  orderStates: string;
}

export function snapshot(db: Database.Database): Snapshot {
  const count = (table: string): number => (db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
  const states = (db.prepare('SELECT id, status, paid_at, failed_at FROM payments ORDER BY invoice_id').all() as { id: string; status: string; paid_at: string | null; failed_at: string | null }[])
    .map((r) => `${r.id}:${r.status}:${r.paid_at ?? ''}:${r.failed_at ?? ''}`).join('|');
  const orderStates = (db.prepare('SELECT order_id, status FROM orders ORDER BY order_id').all() as { order_id: string; status: string }[])
    .map((r) => `${r.order_id}:${r.status}`).join('|');
  return {
    payments: count('payments'), invoiceIds: count('invoice_ids'), idempotencyKeys: count('idempotency_keys'), orders: count('orders'),
    notifications: count('notifications'), states, orderStates,
  };
}

/** The one JSON error shape (DESIGN.md), with a code and a message that says something, and no stack trace. */
export function assertErrorShape(status: number, contentType: string | null, text: string, where: string): ApiError {
  assert.match(contentType ?? '', /^application\/json/, `${where}: a ${status} must be JSON, got ${contentType}: ${text.slice(0, 200)}`);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    assert.fail(`${where}: a ${status} body is not JSON: ${text.slice(0, 200)}`);
  }
  const parsed = ApiError.safeParse(body);
  assert.ok(parsed.success, `${where}: not the error shape: ${text.slice(0, 300)}`);
  const e = parsed.data.error;
  assert.ok(/^[a-z_]+$/.test(e.code), `${where}: error code ${JSON.stringify(e.code)}`);
  assert.ok(e.message.length >= 8, `${where}: the message must say what is wrong: ${JSON.stringify(e.message)}`);
  if (e.code === 'invalid_request') assert.ok((e.issues?.length ?? 0) > 0 && e.issues!.every((i) => typeof i.path === 'string'), `${where}: invalid_request must list issues`);
  assertNoStack(text, where);
  return parsed.data;
}

export function assertNoStack(text: string, where: string): void {
  assert.ok(!/\n\s+at [\w.<>]+ \(|node_modules|\/src\/server\//.test(text), `${where}: a stack trace or a source path leaked: ${text.slice(0, 300)}`);
}
