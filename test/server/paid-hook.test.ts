// The onPaid hook as an outbox (src/server/paid-hook.ts): owed from the paid COMMIT until it has run,
// delivered again by reconcilePayments (after the grace) when a hook failed or the process died in
// between, and then never again.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { createApp, deliverOwedHooks, openSqliteStore, parseConfig, reconcilePayments, type PaymentRecord } from '../../src/server/index.js';
import { baseEnv, checkout, form, signed, tempDir } from './helpers.js';

const LATER = () => new Date(Date.now() + 60 * 60_000);
// OpStateExt is never asked in these tests: no payment is both unsettled and old enough
const noFetch = (() => { throw new Error('OpStateExt was asked'); }) as typeof fetch;

test('a throwing onPaid leaves the payment owed (logged without secrets); reconcile after the grace delivers it once, then never again', async () => {
  const config = parseConfig(baseEnv());
  const store = openSqliteStore(':memory:');
  const logs: Record<string, unknown>[] = [];
  let calls = 0;
  const app = createApp(config, { store, log: (e) => void logs.push(e), onPaid: () => { calls++; throw new Error(`mailer down (${config.password2})`); } });
  const t = { app, config, store, paid: [], logs };
  const a = await checkout(t);
  const b = await checkout(t);
  for (const p of [a, b]) {
    const res = await app.request('/robokassa/result', form(signed({ outSum: '1500.000000', invId: p.invoiceId })));
    assert.equal(await res.text(), `OK${p.invoiceId}`);
  }
  assert.equal(calls, 2);
  const failed = logs.filter((l) => l['event'] === 'on_paid_failed');
  assert.equal(failed.length, 2);
  assert.ok(failed.every((l) => String(l['error']).includes('mailer down') && !JSON.stringify(l).includes(config.password2)));
  assert.deepEqual((await store.listOwedHooks('9', 10)).map((p) => p.id), [a.id, b.id]);

  const hooked: PaymentRecord[] = [];
  const onPaid = (p: PaymentRecord) => void hooked.push(p);
  // within the grace: a live process may still be running the hook, so it is left alone
  const early = await reconcilePayments(config, store, { fetch: noFetch, onPaid });
  assert.equal(early.redelivered, 0);
  assert.equal(hooked.length, 0);

  const report = await reconcilePayments(config, store, { fetch: noFetch, onPaid, now: LATER });
  assert.deepEqual(report, { checked: 0, paid: 0, cancelled: 0, errors: 0, redelivered: 2 });
  assert.deepEqual(hooked.map((p) => [p.id, p.invoiceId, p.status, p.amount]), [[a.id, a.invoiceId, 'paid', '1500.00'], [b.id, b.invoiceId, 'paid', '1500.00']]);
  assert.deepEqual(await store.listOwedHooks('9', 10), []);

  // never again: neither reconcile, nor the start-up delivery, nor Robokassa's retry
  assert.equal((await reconcilePayments(config, store, { fetch: noFetch, onPaid, now: LATER })).redelivered, 0);
  assert.equal(await deliverOwedHooks(store, onPaid, { now: LATER }), 0);
  await app.request('/robokassa/result', form(signed({ outSum: '1500.000000', invId: a.invoiceId })));
  assert.equal(hooked.length, 2);
  assert.equal(calls, 2);
  store.close();
});

test('a redelivered hook that fails again stays owed and is delivered by a later run', async () => {
  const config = parseConfig(baseEnv());
  const store = openSqliteStore(':memory:');
  const app = createApp(config, { store, log: () => undefined, onPaid: () => Promise.reject(new Error('down')) });
  const a = await checkout({ app, config, store, paid: [], logs: [] });
  await app.request('/robokassa/result', form(signed({ outSum: '1500.000000', invId: a.invoiceId })));
  const logs: Record<string, unknown>[] = [];
  const first = await reconcilePayments(config, store, { fetch: noFetch, now: LATER, log: (e) => void logs.push(e), onPaid: () => { throw new Error('still down'); } });
  assert.equal(first.redelivered, 0);
  assert.ok(logs.some((l) => l['event'] === 'on_paid_failed' && l['invoiceId'] === a.invoiceId));
  let delivered = 0;
  assert.equal((await reconcilePayments(config, store, { fetch: noFetch, now: LATER, onPaid: () => void delivered++ })).redelivered, 1);
  assert.equal(delivered, 1);
  store.close();
});

test('without a hook nothing is owed, so a hook added later never receives old payments', async () => {
  const config = parseConfig(baseEnv());
  const store = openSqliteStore(':memory:');
  const app = createApp(config, { store, log: () => undefined });
  const a = await checkout({ app, config, store, paid: [], logs: [] });
  await app.request('/robokassa/result', form(signed({ outSum: '1500.000000', invId: a.invoiceId })));
  assert.equal((await store.getPayment(a.id))?.status, 'paid');
  assert.deepEqual(await store.listOwedHooks('9', 10), []);
  store.close();
});

test('the process "dies" between the paid COMMIT and the hook\'s end: a new store and app over the same file deliver it via reconcile, once', async () => {
  const file = join(tempDir(), 'shop.sqlite');
  const config = parseConfig(baseEnv({ ROBOKASSA_DATABASE: file }));
  const first = openSqliteStore(file);
  let started = 0;
  // a hook that never ends, and a handler deadline so the request answers anyway
  const app1 = createApp(config, { store: first, log: () => undefined, timeouts: { handlerMs: 200 }, onPaid: () => { started++; return new Promise<void>(() => undefined); } });
  const a = await checkout({ app: app1, config, store: first, paid: [], logs: [] });
  const res = await app1.request('/robokassa/result', form(signed({ outSum: '1500.000000', invId: a.invoiceId })));
  assert.equal(res.status, 503);
  assert.equal(started, 1);
  first.close(); // the process is gone; its hook never finished

  const second = openSqliteStore(file);
  const hooked: string[] = [];
  const app2 = createApp(config, { store: second, log: () => undefined, onPaid: (p) => void hooked.push(p.id) });
  // Robokassa's retry after the crash is a duplicate: it doesn't run the hook
  assert.equal(await (await app2.request('/robokassa/result', form(signed({ outSum: '1500.000000', invId: a.invoiceId })))).text(), `OK${a.invoiceId}`);
  assert.equal(hooked.length, 0);
  const onPaid = (p: PaymentRecord) => void hooked.push(p.id);
  assert.equal((await reconcilePayments(config, second, { fetch: noFetch, onPaid, now: LATER })).redelivered, 1);
  assert.equal((await reconcilePayments(config, second, { fetch: noFetch, onPaid, now: LATER })).redelivered, 0);
  assert.deepEqual(hooked, [a.id]);
  second.close();
});
