// Crash safety: the real backend entry (src/server/main.ts, `npm run serve`) is killed with SIGKILL at
// random moments while a stream of ResultURL notifications for 1,000 distinct invoices comes in, and
// restarted each time. The sender behaves as Robokassa does: it retries each notification until it
// sees OK{InvId}. At the end every invoice is paid, exactly one 'paid' verdict each, none lost —
// checked against the sender's own log.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { openSqliteStore } from '../../../src/server/index.js';
import { baseEnv, signed, tempDir } from '../helpers.js';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const INVOICES = 1000;
const DEADLINE_MS = 100_000;

interface Server { proc: ChildProcess; port: number; exited: Promise<void> }

function startServer(env: Record<string, string>): Promise<Server> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts'], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise<void>((r) => proc.once('exit', () => r()));
    let stderr = '';
    proc.stderr!.on('data', (d: Buffer) => { stderr += d; });
    const lines = createInterface({ input: proc.stdout! });
    const timer = setTimeout(() => reject(new Error(`main.ts did not listen in 30 s: ${stderr}`)), 30_000);
    lines.on('line', (line) => {
      if (!line.includes('"listening"')) return; // the per-request log lines are drained and dropped
      clearTimeout(timer);
      resolve({ proc, port: Number(new URL((JSON.parse(line) as { url: string }).url).port), exited });
    });
    proc.once('exit', (code, signal) => { clearTimeout(timer); if (signal !== 'SIGKILL') reject(new Error(`main.ts exited ${code}: ${stderr}`)); });
  });
}

test(`${INVOICES} notifications for distinct invoices while main.ts is SIGKILLed and restarted at random moments: every invoice paid exactly once, none lost`, { timeout: 180_000 }, async () => {
  const dir = tempDir();
  const file = join(dir, 'shop.sqlite');
  const env = Object.fromEntries(Object.entries(baseEnv({ ROBOKASSA_DATABASE: file, PORT: '0', HOST: '127.0.0.1' })).filter((e): e is [string, string] => e[1] !== undefined));

  // the 1,000 payments, created directly in the store (the checkout route is not what is tested here)
  const store = openSqliteStore(file);
  const invoices: number[] = [];
  for (let i = 0; i < INVOICES; i++) {
    const r = await store.createPayment((invoiceId) => ({
      id: `crash-${i}-${invoiceId}-xxxxxxxxxxxxxxxx`, amount: '1500.00', currency: 'KZT', description: 'Crash test', items: [],
      orderId: null, email: null, culture: null, lang: null, origin: null, returnUrl: null, test: true,
      url: 'https://auth.robokassa.kz/Merchant/Index.aspx', form: { action: 'https://auth.robokassa.kz/Merchant/Index.aspx', fields: {} },
      createdAt: new Date().toISOString(),
    }));
    if (r.kind !== 'created') assert.fail(`payment ${i}: ${r.kind}`);
    invoices.push(r.payment.invoiceId);
  }
  store.close();

  let server = await startServer(env);
  let restarting: Promise<void> | undefined;
  const started = Date.now();
  // the sender's own log: one line per attempt
  const log: { invId: number; attempt: number; outcome: string }[] = [];
  const delivered = new Set<number>();
  let kills = 0;
  // random points in the stream (by delivered count) at which the server dies
  const killAt = Array.from({ length: 5 }, () => Math.floor(50 + Math.random() * (INVOICES - 100))).sort((a, b) => a - b);

  const kill = async (): Promise<void> => {
    const victim = server;
    // a random moment a little after the threshold: mid-request, mid-commit or between requests
    await new Promise((r) => setTimeout(r, Math.random() * 15));
    victim.proc.kill('SIGKILL');
    kills++;
    await victim.exited;
    server = await startServer(env);
  };

  const sendOne = async (invId: number): Promise<void> => {
    const body = signed({ outSum: '1500.000000', invId }).toString();
    for (let attempt = 1; Date.now() - started < DEADLINE_MS; attempt++) {
      if (restarting) await restarting;
      let outcome: string;
      try {
        const res = await fetch(`http://127.0.0.1:${server.port}/robokassa/result`, {
          method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body, signal: AbortSignal.timeout(5_000),
        });
        const text = await res.text();
        outcome = res.status === 200 && text === `OK${invId}` ? 'ok' : `http ${res.status} ${text.slice(0, 60)}`;
      } catch (err) {
        outcome = `network ${(err as Error).cause instanceof Error ? ((err as Error).cause as Error).message : String(err)}`.slice(0, 80);
      }
      log.push({ invId, attempt, outcome });
      if (outcome === 'ok') {
        delivered.add(invId);
        if (killAt.length > 0 && delivered.size >= killAt[0]! && !restarting) {
          killAt.shift();
          restarting = kill().finally(() => { restarting = undefined; });
        }
        return;
      }
      // Robokassa retries later; so do we, briefly
      await new Promise((r) => setTimeout(r, 20 + Math.random() * 50));
    }
  };

  // 16 notifications in flight at any time, like a busy shop
  const queue = [...invoices];
  try {
    await Promise.all(Array.from({ length: 16 }, async () => {
      for (let next = queue.shift(); next !== undefined; next = queue.shift()) await sendOne(next);
    }));
    if (restarting) await restarting;
  } finally {
    // whatever happened, no server outlives the test
    server.proc.kill('SIGKILL');
    await server.exited;
  }

  const failedAttempts = log.filter((l) => l.outcome !== 'ok');
  console.log(`crash: ${kills} SIGKILLs, ${log.length} attempts, ${failedAttempts.length} failed and retried, ${Math.round((Date.now() - started) / 1000)} s; e.g. ${[...new Set(failedAttempts.map((l) => l.outcome.replace(/\d+/g, 'N')))].slice(0, 4).join(' | ')}`);
  assert.ok(kills >= 3, `only ${kills} kills happened`);
  assert.equal(delivered.size, INVOICES, `the sender saw OK for only ${delivered.size} invoices within ${DEADLINE_MS} ms`);
  // nothing but connection errors while the server was down: a refusal would mean a lost payment
  const refused = failedAttempts.filter((l) => l.outcome.startsWith('http'));
  assert.equal(refused.length, 0, `refusals: ${JSON.stringify(refused.slice(0, 5))}`);

  const db = new Database(file, { readonly: true });
  try {
    const rows = db.prepare('SELECT invoice_id, status FROM payments').all() as { invoice_id: number; status: string }[];
    assert.equal(rows.length, INVOICES, 'payments appeared or vanished');
    const unpaid = rows.filter((r) => r.status !== 'paid');
    assert.equal(unpaid.length, 0, `unpaid after OK: ${JSON.stringify(unpaid.slice(0, 5))}`);
    const paidVerdicts = db.prepare("SELECT invoice_id, COUNT(*) AS n FROM notifications WHERE verdict = 'paid' GROUP BY invoice_id").all() as { invoice_id: number; n: number }[];
    const byInvoice = new Map(paidVerdicts.map((v) => [v.invoice_id, v.n]));
    for (const invId of invoices) {
      assert.equal(byInvoice.get(invId), 1, `invoice ${invId}: ${byInvoice.get(invId) ?? 0} paid transitions (sender log: ${JSON.stringify(log.filter((l) => l.invId === invId))})`);
    }
    // every OK the sender saw is backed by a paid row: checked above for all invoices, as all were OK'd
    assert.equal(db.pragma('integrity_check', { simple: true }), 'ok');
  } finally {
    db.close();
  }
});
