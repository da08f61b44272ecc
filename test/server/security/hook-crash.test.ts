// Crash safety of the onPaid hook: a real shop process (hook-worker.ts) is SIGKILLed after the paid
// COMMIT, while its hook is running. The payment is paid and its hook owed; a store and reconcile run
// opened afterwards on the same file deliver it once, and never again.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openSqliteStore, parseConfig, reconcilePayments, type PaymentRecord } from '../../../src/server/index.js';
import type { CheckoutResponse } from '../../../src/protocol/index.js';
import { baseEnv, signed, tempDir } from '../helpers.js';

const WORKER = fileURLToPath(new URL('./hook-worker.ts', import.meta.url));
const spawned: ChildProcess[] = [];
after(() => { for (const p of spawned) if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL'); });

/** The next IPC message that has `key`. */
function next<T>(proc: ChildProcess, key: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no "${key}" from the worker in 60 s`)), 60_000);
    const on = (m: Record<string, unknown>): void => {
      if (!(key in m)) return;
      clearTimeout(timer);
      proc.off('message', on);
      resolve(m[key] as T);
    };
    proc.on('message', on);
  });
}

test('SIGKILL between the paid COMMIT and the end of onPaid: the hook stays owed and reconcile delivers it once after the restart', { timeout: 120_000 }, async () => {
  const file = join(tempDir(), 'shop.sqlite');
  const proc = fork(WORKER, [file], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  spawned.push(proc);
  const exited = new Promise<NodeJS.Signals | null>((r) => proc.once('exit', (_code, signal) => r(signal)));
  await next(proc, 'ready');
  proc.send({ checkout: true });
  const payment = await next<CheckoutResponse>(proc, 'payment');
  proc.send({ result: signed({ outSum: '1500.000000', invId: payment.invoiceId }).toString() });
  assert.equal(await next<string>(proc, 'hookStarted'), payment.id);
  proc.kill('SIGKILL');
  assert.equal(await exited, 'SIGKILL');

  const config = parseConfig(baseEnv({ ROBOKASSA_DATABASE: file }));
  const store = openSqliteStore(file);
  try {
    assert.equal((await store.getPayment(payment.id))?.status, 'paid');
    assert.deepEqual((await store.listOwedHooks('9', 10)).map((p) => p.id), [payment.id]);
    const hooked: PaymentRecord[] = [];
    const options = {
      fetch: (() => { throw new Error('OpStateExt was asked'); }) as typeof fetch,
      now: () => new Date(Date.now() + 60 * 60_000), onPaid: (p: PaymentRecord) => void hooked.push(p),
    };
    assert.equal((await reconcilePayments(config, store, options)).redelivered, 1);
    assert.equal((await reconcilePayments(config, store, options)).redelivered, 0);
    assert.deepEqual(hooked.map((p) => [p.id, p.status]), [[payment.id, 'paid']]);
  } finally {
    store.close();
  }
});
