// The store's configuration: DATABASE_URL=postgres://… selects PostgreSQL, checked at start; a bad one
// is refused with an error naming DATABASE_URL that never repeats the URL or its password.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ConfigError, createApp, describeDatabase, openStore, parseConfig } from '../../src/server/index.js';
import { baseEnv } from './helpers.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const SECRET = 'Db-s3cret-p4ss';

const pg = (databaseUrl: string | undefined) => baseEnv({ ROBOKASSA_DATABASE: undefined, DATABASE_URL: databaseUrl });

test('DATABASE_URL=postgres://… or postgresql://… selects PostgreSQL; unset or empty keeps SQLite', () => {
  for (const u of [`postgres://shop:${SECRET}@db.internal:5432/shop`, `postgresql://shop:${SECRET}@127.0.0.1/shop?sslmode=require`, 'postgres://shop@localhost/shop']) {
    const config = parseConfig(pg(u));
    assert.equal(config.postgresUrl, u);
  }
  assert.equal(parseConfig(pg(undefined)).postgresUrl, undefined);
  assert.equal(parseConfig(pg('  ')).postgresUrl, undefined);
  assert.equal(parseConfig(pg(undefined)).databasePath, './data/robokassa.sqlite');
});

test('a bad DATABASE_URL is named in the error, and neither the URL nor its password is quoted', () => {
  const cases = [
    `mysql://shop:${SECRET}@db/shop`,
    `https://shop:${SECRET}@db/shop`,
    `${SECRET}`,
    `postgres://shop:${SECRET}%E0%A4%A@db/shop`, // a broken percent-encoding in the password
    `postgres://shop:${SECRET}@db:99999/shop`,
  ];
  for (const u of cases) {
    try {
      parseConfig(pg(u));
      assert.fail(`accepted ${u}`);
    } catch (err) {
      assert.ok(err instanceof ConfigError, String(err));
      assert.equal(err.variable, 'DATABASE_URL', err.message);
      assert.match(err.message, /^DATABASE_URL: /);
      assert.ok(!err.message.includes(SECRET), err.message);
    }
  }
  assert.throws(() => parseConfig(baseEnv({ ROBOKASSA_DATABASE: '/tmp/x.sqlite', DATABASE_URL: 'postgres://a@b/c' })), /DATABASE_URL: set either DATABASE_URL \(PostgreSQL\) or ROBOKASSA_DATABASE \(SQLite\), not both/);
});

test('describeDatabase shows where the data lives without the password', () => {
  assert.equal(describeDatabase(parseConfig(pg(`postgres://shop:${SECRET}@db.internal:5432/shop?sslmode=require`))), 'postgres://shop:********@db.internal:5432/shop');
  assert.equal(describeDatabase(parseConfig(pg('postgres://shop@db.internal/shop'))), 'postgres://shop@db.internal/shop');
  assert.equal(describeDatabase(parseConfig(baseEnv({ ROBOKASSA_DATABASE: '/var/lib/shop.sqlite' }))), '/var/lib/shop.sqlite');
});

test('openStore opens SQLite when DATABASE_URL is unset', async () => {
  const store = await openStore(parseConfig(baseEnv()));
  try {
    const r = await store.createPayment((invoiceId) => ({
      id: `p-${invoiceId}`, amount: '1.00', currency: 'KZT', description: 'x', items: [], orderId: null, email: null, culture: null, lang: null,
      origin: null, returnUrl: null, test: true, url: 'https://auth.robokassa.kz/Merchant/Index.aspx', form: { action: 'https://auth.robokassa.kz/Merchant/Index.aspx', fields: {} },
      createdAt: new Date().toISOString(),
    }));
    assert.equal(r.kind, 'created');
  } finally {
    store.close();
  }
});

test('createApp without a store refuses a PostgreSQL configuration instead of opening SQLite', () => {
  assert.throws(() => createApp(parseConfig(pg(`postgres://shop:${SECRET}@127.0.0.1:1/shop`)), { log: () => undefined }), (err: Error) => {
    assert.match(err.message, /DATABASE_URL selects PostgreSQL; open it first and pass \{ store: await openStore\(config\) \}/);
    assert.ok(!err.message.includes(SECRET));
    return true;
  });
});

test('main.ts with a malformed DATABASE_URL exits 1 with one line naming it, and no password', async () => {
  const env = Object.fromEntries(Object.entries({ ...process.env, ...pg(`mysql://shop:${SECRET}@db/shop`) }).filter((e): e is [string, string] => e[1] !== undefined));
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts'], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => { out += d; });
  child.stderr.on('data', (d: Buffer) => { out += d; });
  const code = await new Promise<number | null>((r) => child.on('close', r));
  assert.equal(code, 1);
  assert.equal(out, 'robokassa backend: DATABASE_URL: must be a PostgreSQL URL like postgres://user:password@host:5432/database (or unset, to keep the data in SQLite)\n');
});
