// Three backend processes (the real entry, src/server/main.ts, as `npm run serve` runs it) behind one
// PostgreSQL on loopback, all started at once on a fresh database (so their migrations race too).
// Concurrent checkouts at all three get distinct InvIds; one Idempotency-Key raced across them is one
// payment (another body with it: 409 everywhere); one valid ResultURL notification raced across them
// makes exactly one paid transition, one 'paid' event (the onPaid point) and duplicates for the rest.
// Mirrors test/server/security/workers.test.ts, which does the same for processes sharing a SQLite file.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';
import { CheckoutResponse } from '../../src/protocol/index.js';
import { startPostgres, type PostgresServer } from '../support/postgres.js';
import { PAGE_ORIGIN, baseEnv, signed } from './helpers.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const N = 3;

interface Backend { proc: ChildProcess; port: number; events: Record<string, unknown>[]; exited: Promise<void> }

let server: PostgresServer;
let url: string;
const backends: Backend[] = [];
const spawned: ChildProcess[] = [];

function env(databaseUrl: string): Record<string, string> {
  const all = baseEnv({ ROBOKASSA_DATABASE: undefined, DATABASE_URL: databaseUrl, PORT: '0', HOST: '127.0.0.1', ROBOKASSA_RATE_LIMIT: '0' });
  return Object.fromEntries(Object.entries(all).filter((e): e is [string, string] => e[1] !== undefined));
}

function startBackend(databaseUrl: string): Promise<Backend> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts'], { cwd: ROOT, env: { ...process.env, ...env(databaseUrl) }, stdio: ['ignore', 'pipe', 'pipe'] });
    spawned.push(proc);
    const exited = new Promise<void>((r) => proc.once('exit', () => r()));
    const b: Backend = { proc, port: 0, events: [], exited };
    let stderr = '';
    proc.stderr!.on('data', (d: Buffer) => { stderr += d; });
    const timer = setTimeout(() => reject(new Error(`main.ts did not listen in 30 s: ${stderr}`)), 30_000);
    createInterface({ input: proc.stdout! }).on('line', (line) => {
      const entry = JSON.parse(line) as Record<string, unknown>;
      b.events.push(entry);
      if (entry['event'] === 'listening') {
        clearTimeout(timer);
        b.port = Number(new URL(String(entry['url'])).port);
        resolve(b);
      }
    });
    proc.once('exit', (code) => { clearTimeout(timer); reject(new Error(`main.ts exited with ${code}: ${stderr}`)); });
  });
}

before(async () => {
  server = await startPostgres();
  url = await server.createDatabase();
});
after(async () => {
  for (const p of spawned) p.kill('SIGTERM');
  await Promise.all(backends.map((b) => b.exited));
  await server?.stop();
});

const endpoint = (i: number, path: string): string => `http://127.0.0.1:${backends[i % N]!.port}/robokassa${path}`;
const checkoutInit = (key: string | null, quantity = 1): RequestInit => ({
  method: 'POST', headers: { 'content-type': 'application/json', origin: PAGE_ORIGIN, ...(key !== null && { 'idempotency-key': key }) },
  body: JSON.stringify({ items: [{ sku: 'course-basic', quantity }] }),
});
async function send(target: string, init: RequestInit): Promise<{ status: number; text: string }> {
  const res = await fetch(target, init);
  return { status: res.status, text: await res.text() };
}

/** main.ts with a wrong password in DATABASE_URL: its exit code and everything it printed. */
const WRONG_PASSWORD = 'S3cret-not-the-right-one';
function startWithWrongPassword(): Promise<{ code: number | null; out: string }> {
  const bad = new URL(url);
  bad.password = WRONG_PASSWORD;
  const proc = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts'], { cwd: ROOT, env: { ...process.env, ...env(bad.href) }, stdio: ['ignore', 'pipe', 'pipe'] });
  spawned.push(proc);
  let out = '';
  proc.stdout!.on('data', (d: Buffer) => { out += d; });
  proc.stderr!.on('data', (d: Buffer) => { out += d; });
  return new Promise((r) => proc.once('exit', (code) => r({ code, out })));
}
let wrongPassword: Promise<{ code: number | null; out: string }>;

test(`${N} main.ts processes started at once on one fresh PostgreSQL database all come up`, async () => {
  const started = performance.now();
  // started alongside (a process start costs seconds); checked in the last test
  wrongPassword = startWithWrongPassword();
  backends.push(...(await Promise.all(Array.from({ length: N }, () => startBackend(url)))));
  console.log(`# ${N} backends listening in ${Math.round(performance.now() - started)} ms (PostgreSQL started in ${server.startupMs} ms)`);
  assert.equal(backends.length, N);
  // the log names the database without its password
  for (const b of backends) {
    const listening = b.events.find((e) => e['event'] === 'listening')!;
    assert.match(String(listening['database']), /^postgres:\/\/rk_test:\*{8}@127\.0\.0\.1:\d+\/t\d+_\d+$/);
    assert.ok(!JSON.stringify(b.events).includes(server.password));
  }
  const sql = postgres(url, { max: 1 });
  try {
    assert.deepEqual((await sql`SELECT version FROM schema_migrations ORDER BY version`).map((r) => r['version']), [1, 2]);
  } finally {
    await sql.end();
  }
});

test(`concurrent checkouts at ${N} processes: distinct InvIds; one Idempotency-Key raced at all of them is one payment`, async () => {
  const requests: [string, RequestInit][] = [];
  for (let i = 0; i < 90; i++) requests.push([endpoint(i, '/checkout'), checkoutInit(i % 6 === 0 ? 'shared-key' : i % 2 === 0 ? `key-${i}` : null)]);
  const results = await Promise.all(requests.map(([u, init]) => send(u, init)));
  const bad = results.filter((r) => r.status !== 201);
  assert.equal(bad.length, 0, `not created: ${JSON.stringify(bad.slice(0, 3))}`);
  const bodies = results.map((r) => CheckoutResponse.parse(JSON.parse(r.text)));
  const shared = bodies.filter((_, i) => i % 6 === 0);
  assert.equal(shared.length, 15);
  assert.equal(new Set(shared.map((b) => b.id)).size, 1, 'the same key made several payments');
  assert.ok(shared.every((b) => JSON.stringify(b) === JSON.stringify(shared[0])), 'a replay differs from the payment');
  assert.equal(new Set(bodies.map((b) => b.invoiceId)).size, 90 - 14);
  assert.ok(bodies.every((b) => b.invoiceId >= 1 && b.invoiceId <= 2147483647));

  // afterwards: the same key with another body is a conflict at every process, and the same body still replays
  const later = await Promise.all(Array.from({ length: 12 }, (_, i) => send(endpoint(i, '/checkout'), checkoutInit('shared-key', i % 2 === 0 ? 2 : 1))));
  assert.deepEqual(later.map((r) => r.status), Array.from({ length: 12 }, (_, i) => (i % 2 === 0 ? 409 : 201)));
  assert.ok(later.filter((r) => r.status === 201).every((r) => CheckoutResponse.parse(JSON.parse(r.text)).id === shared[0]!.id));

  const sql = postgres(url, { max: 1 });
  try {
    const [counts] = await sql`SELECT (SELECT COUNT(*) FROM payments)::int AS payments, (SELECT COUNT(*) FROM idempotency_keys WHERE key = 'shared-key')::int AS shared`;
    assert.deepEqual({ ...counts }, { payments: 76, shared: 1 });
  } finally {
    await sql.end();
  }
});

test(`one valid ResultURL notification raced 120 times across ${N} processes: one paid transition, one 'paid' event, 119 duplicates, 120 × OK`, async () => {
  const created = CheckoutResponse.parse(JSON.parse((await send(endpoint(0, '/checkout'), checkoutInit('for-result'))).text));
  const init: RequestInit = { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: signed({ outSum: '1500.000000', invId: created.invoiceId }).toString() };
  const results = await Promise.all(Array.from({ length: 120 }, (_, i) => send(endpoint(i, '/result'), init)));
  const wrong = results.filter((r) => r.status !== 200 || r.text !== `OK${created.invoiceId}`);
  assert.equal(wrong.length, 0, `not OK: ${JSON.stringify(wrong.slice(0, 3))}`);
  // the log lines travel through pipes: give the last ones a moment
  await new Promise((r) => setTimeout(r, 300));
  const paidEvents = backends.flatMap((b) => b.events).filter((e) => e['event'] === 'paid' && e['invoiceId'] === created.invoiceId);
  assert.equal(paidEvents.length, 1, `the paid event (where onPaid runs) came ${paidEvents.length} times`);
  const sql = postgres(url, { max: 1 });
  try {
    const verdicts = await sql<{ verdict: string; n: number }[]>`SELECT verdict, COUNT(*)::int AS n FROM notifications WHERE invoice_id = ${created.invoiceId} GROUP BY verdict`;
    assert.deepEqual(Object.fromEntries(verdicts.map((v) => [v.verdict, v.n])), { paid: 1, duplicate: 119 });
    const [row] = await sql`SELECT status FROM payments WHERE id = ${created.id}`;
    assert.equal(row?.['status'], 'paid');
  } finally {
    await sql.end();
  }
  const status = await send(endpoint(2, `/payments/${created.id}`), { method: 'GET' });
  assert.equal((JSON.parse(status.text) as { status: string }).status, 'paid');
});

test('main.ts with DATABASE_URL naming a wrong password stops with exit code 1, a line naming DATABASE_URL, and no password', async () => {
  const { code, out } = await wrongPassword;
  assert.equal(code, 1);
  assert.match(out, /^robokassa backend: DATABASE_URL: cannot open postgres:\/\/rk_test:\*{8}@127\.0\.0\.1:\d+\/t\d+_\d+ \(password authentication failed for user "rk_test"\)\n$/);
  assert.ok(!out.includes(WRONG_PASSWORD));
});
