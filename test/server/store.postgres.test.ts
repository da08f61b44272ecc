// The shared store suite on PostgreSQL: one real server for this file (test/support/postgres.ts), a
// fresh database per test. Then what only PostgreSQL has: the connection URL's password stays out of
// every error, and a schema newer than the backend is refused.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import postgres from 'postgres';
import { openSqliteStore, parseConfig } from '../../src/server/index.js';
import { openPostgresStore } from '../../src/server/postgres-store.js';
import { startPostgres, type PostgresServer } from '../support/postgres.js';
import { baseEnv, tempDir } from './helpers.js';
import { storeSuite } from './store.suite.js';

let server: PostgresServer;
const suiteStarted = performance.now();

before(async () => {
  server = await startPostgres();
  console.log(`# postgres: started in ${server.startupMs} ms on 127.0.0.1:${server.port}`);
});
after(async () => {
  console.log(`# postgres: store tests took ${Math.round(performance.now() - suiteStarted)} ms (server start included)`);
  await server?.stop();
});

async function exec(url: string, text: string): Promise<void> {
  const sql = postgres(url, { max: 1, onnotice: () => undefined });
  try {
    await sql.unsafe(text);
  } finally {
    await sql.end({ timeout: 1 });
  }
}

storeSuite({
  name: 'postgres',
  async fresh() {
    const url = await server.createDatabase();
    return {
      open: () => openPostgresStore(url),
      deleteInvoice: (invoiceId) => exec(url, `DELETE FROM payments WHERE invoice_id = ${invoiceId}; DELETE FROM invoice_ids WHERE invoice_id = ${invoiceId};`),
      rollBackToStep1: () => exec(url, 'DROP INDEX payments_hook_owed; ALTER TABLE payments DROP COLUMN hook_done_at; DELETE FROM schema_migrations WHERE version = 2;'),
    };
  },
});

test('postgres: a wrong password or an unreachable server fails the open with an error that never contains the password', async () => {
  const url = new URL(await server.createDatabase());
  const wrong = 'Wr0ng-pässword/with@signs';
  url.password = encodeURIComponent(wrong);
  const errors: Error[] = [];
  for (const u of [url.href, url.href.replace(`:${server.port}/`, ':1/')]) {
    try {
      await openPostgresStore(u);
      assert.fail('opened with a wrong password');
    } catch (err) {
      assert.ok(err instanceof Error);
      errors.push(err);
    }
  }
  for (const err of errors) {
    const text = `${err.message}\n${err.stack ?? ''}\n${JSON.stringify(err)}`;
    for (const secret of [wrong, encodeURIComponent(wrong), url.password]) assert.ok(!text.includes(secret), text);
  }
  assert.match(errors[0]!.message, /password authentication failed/);
  assert.match(errors[1]!.message, /ECONNREFUSED/);
});

test('postgres: a database migrated by a newer backend is refused at open, naming both versions', async () => {
  const url = await server.createDatabase();
  const store = await openPostgresStore(url);
  await store.close();
  await exec(url, 'INSERT INTO schema_migrations (version) VALUES (99)');
  await assert.rejects(openPostgresStore(url), /schema \(version 99\) is newer than this backend knows \(2\)/);
  const sql = postgres(url, { max: 1 });
  try {
    assert.deepEqual((await sql`SELECT version FROM schema_migrations ORDER BY version`).map((r) => r['version']), [1, 2, 99]);
  } finally {
    await sql.end();
  }
});

test('postgres: the same migration steps, tables and columns as SQLite (a step added to one engine fails here until the other has it)', async () => {
  const file = join(tempDir(), 'shop.sqlite');
  openSqliteStore(file).close();
  const lite = new Database(file, { readonly: true });
  let liteVersion: number;
  const liteTables: Record<string, string[]> = {};
  try {
    liteVersion = lite.pragma('user_version', { simple: true }) as number;
    const tables = lite.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as { name: string }[];
    for (const { name } of tables) liteTables[name] = (lite.pragma(`table_info(${name})`) as { name: string }[]).map((c) => c.name);
  } finally {
    lite.close();
  }

  const url = await server.createDatabase();
  await (await openPostgresStore(url)).close();
  const sql = postgres(url, { max: 1 });
  try {
    const [v] = await sql<{ version: number }[]>`SELECT MAX(version)::int AS version FROM schema_migrations`;
    assert.equal(v?.version, liteVersion);
    const columns = await sql<{ table_name: string; column_name: string }[]>`SELECT table_name, column_name FROM information_schema.columns
      WHERE table_schema = 'public' AND table_name <> 'schema_migrations' ORDER BY table_name, ordinal_position`;
    const pgTables: Record<string, string[]> = {};
    for (const c of columns) (pgTables[c.table_name] ??= []).push(c.column_name);
    assert.deepEqual(pgTables, liteTables);
  } finally {
    await sql.end();
  }
});

test('postgres: DATABASE_URL may name a unix socket directory as libpq does (postgres://user@%2Frun%2Fpostgresql/db)', async () => {
  const db = new URL(await server.createDatabase()).pathname;
  const url = `postgres://rk_test@${encodeURIComponent(server.socketDir)}:${server.port}${db}`;
  const config = parseConfig(baseEnv({ ROBOKASSA_DATABASE: undefined, DATABASE_URL: url }));
  const store = await openPostgresStore(config.postgresUrl!);
  try {
    await store.recordNotification({ kind: 'success', receivedAt: '2026-11-29T10:00:00.000Z', invoiceId: null, params: {}, verdict: 'unsigned' });
    assert.equal((await store.listNotifications()).length, 1);
  } finally {
    await store.close();
  }
});
