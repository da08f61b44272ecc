// Several shop processes on one SQLite file (a shop running N Node workers behind a balancer), all
// started at once on a fresh file: 200 identical ResultURL notifications fired at once from those
// processes at all of them make exactly one paid transition and one onPaid; concurrent checkouts
// across the processes all succeed with distinct InvIds, and one Idempotency-Key stays one payment.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { CheckoutResponse } from '../../../src/protocol/index.js';
import { PAGE_ORIGIN, signed, tempDir } from '../helpers.js';
import type { FireRequest, Fired } from './worker.js';

const WORKER = fileURLToPath(new URL('./worker.ts', import.meta.url));
const N = 4;

interface Worker { proc: ChildProcess; port: number; paid: string[] }
const workers: Worker[] = [];
const file = join(tempDir(), 'shared.sqlite');
// every process started, whether it came up or not: a failed start must not leave the others running
const spawned: ChildProcess[] = [];

after(() => { for (const p of spawned) p.kill('SIGKILL'); });

function start(): Promise<Worker> {
  return new Promise((resolve, reject) => {
    const proc = fork(WORKER, [file], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    spawned.push(proc);
    const w: Worker = { proc, port: 0, paid: [] };
    const timer = setTimeout(() => reject(new Error('worker did not start in 60 s')), 60_000);
    proc.on('message', (m: { port?: number; paid?: string; error?: string }) => {
      if (m.error) { clearTimeout(timer); reject(new Error(`worker: ${m.error}`)); }
      if (m.port) { clearTimeout(timer); w.port = m.port; resolve(w); }
      if (m.paid) w.paid.push(m.paid);
    });
    proc.once('exit', (code) => { clearTimeout(timer); reject(new Error(`worker exited with ${code}`)); });
  });
}

function fire(w: Worker, req: FireRequest['fire']): Promise<Fired['fired']> {
  return new Promise((resolve) => {
    const on = (m: Partial<Fired>): void => {
      if (!m.fired) return;
      w.proc.off('message', on);
      resolve(m.fired);
    };
    w.proc.on('message', on);
    w.proc.send({ fire: req } satisfies FireRequest);
  });
}

const urls = (path: string): string[] => workers.map((w) => `http://127.0.0.1:${w.port}/robokassa${path}`);
const checkoutInit = (key: string) => ({
  method: 'POST', headers: { 'content-type': 'application/json', origin: PAGE_ORIGIN, 'idempotency-key': key },
  body: JSON.stringify({ items: [{ sku: 'course-basic', quantity: 1 }] }),
});

test(`${N} worker processes opening one fresh SQLite file at the same moment all start`, async () => {
  workers.push(...(await Promise.all(Array.from({ length: N }, start))));
  assert.equal(workers.length, N);
});

test(`concurrent checkouts across ${N} processes: all 201, distinct InvIds; one Idempotency-Key from every process is one payment`, async () => {
  const per = 25;
  const results = await Promise.all(workers.map((w, wi) => fire(w, {
    urls: urls('/checkout'),
    init: Array.from({ length: per }, (_, i) => checkoutInit(i === 0 ? 'shared-key' : `key-${wi}-${i}`)),
  })));
  const all = results.flat();
  const bad = all.filter((r) => r.status !== 201);
  assert.equal(bad.length, 0, `not created: ${JSON.stringify(bad.slice(0, 3))}`);
  const bodies = all.map((r) => CheckoutResponse.parse(JSON.parse(r.text)));
  const shared = bodies.filter((_, i) => i % per === 0);
  assert.equal(new Set(shared.map((b) => b.id)).size, 1, 'the same key made several payments');
  assert.equal(new Set(bodies.map((b) => b.invoiceId)).size, N * per - (N - 1));
});

test(`200 identical ResultURL notifications at once, from ${N} processes to ${N} servers on one file: one paid, one onPaid, 200 × OK`, async () => {
  const [created] = await fire(workers[0]!, { urls: urls('/checkout').slice(0, 1), init: [checkoutInit('for-result')] });
  const pay = CheckoutResponse.parse(JSON.parse(created!.text));
  const body = signed({ outSum: '1500.000000', invId: pay.invoiceId }).toString();
  const init = { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body };
  const results = (await Promise.all(workers.map((w) => fire(w, { urls: urls('/result'), init: Array.from({ length: 200 / N }, () => init) })))).flat();
  assert.equal(results.length, 200);
  const wrong = results.filter((r) => r.status !== 200 || r.text !== `OK${pay.invoiceId}`);
  assert.equal(wrong.length, 0, `not OK: ${JSON.stringify(wrong.slice(0, 3))}`);
  // onPaid messages travel over IPC: give the last ones a moment
  await new Promise((r) => setTimeout(r, 300));
  const paidCalls = workers.flatMap((w) => w.paid).filter((id) => id === pay.id);
  assert.equal(paidCalls.length, 1, `onPaid ran ${paidCalls.length} times`);
  const db = new Database(file, { readonly: true });
  try {
    const verdicts = db.prepare('SELECT verdict, COUNT(*) AS n FROM notifications WHERE invoice_id = ? GROUP BY verdict').all(pay.invoiceId) as { verdict: string; n: number }[];
    assert.deepEqual(Object.fromEntries(verdicts.map((v) => [v.verdict, v.n])), { paid: 1, duplicate: 199 });
    assert.equal((db.prepare('SELECT status FROM payments WHERE id = ?').get(pay.id) as { status: string }).status, 'paid');
  } finally {
    db.close();
  }
});
