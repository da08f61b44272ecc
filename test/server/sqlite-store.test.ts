// The SQLite store's group commit: writes asked for in one event-loop turn share a transaction, each in
// its own savepoint. What must hold: a failing write undoes only itself, every other caller gets its own
// result, and everything a caller was told is committed is on disk.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openSqliteStore, type NewPayment } from '../../src/server/index.js';
import { tempDir } from './helpers.js';

const ACTION = 'https://auth.robokassa.kz/Merchant/Index.aspx';

function payment(invoiceId: number, id: string): NewPayment {
  const fields = { MerchantLogin: 'shop', OutSum: '10.00', InvId: String(invoiceId), SignatureValue: 'ab' };
  return {
    id, amount: '10.00', currency: 'KZT', description: 'x', items: [], orderId: null, email: null, culture: null, lang: null,
    origin: null, returnUrl: null, test: true, url: `${ACTION}?MerchantLogin=shop&OutSum=10.00&InvId=${invoiceId}&SignatureValue=ab`,
    form: { action: ACTION, fields }, createdAt: new Date().toISOString(),
  };
}

/** Rows of `table` (optionally `where`), read from the file itself. */
const countRows = (path: string, table: string, where = ''): number => {
  const db = new Database(path, { readonly: true });
  try {
    return (db.prepare(`SELECT COUNT(*) AS n FROM ${table}${where ? ` WHERE ${where}` : ''}`).get() as { n: number }).n;
  } finally {
    db.close();
  }
};
const countPayments = (path: string): number => countRows(path, 'payments');

test('20 checkouts in one turn, one whose build throws: that one fails alone, the other 19 are stored with distinct InvIds', async () => {
  const path = join(tempDir(), 'store.sqlite');
  const store = openSqliteStore(path);
  try {
    const results = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => store.createPayment((inv) => {
      if (i === 7) throw new Error('unsignable');
      return payment(inv, `pay-${i}`);
    })));
    assert.equal(results.filter((r) => r.status === 'rejected').length, 1);
    assert.equal((results[7] as PromiseRejectedResult).reason.message, 'unsignable');
    const created = results.flatMap((r) => (r.status === 'fulfilled' && r.value.kind === 'created' ? [r.value.payment] : []));
    assert.equal(created.length, 19);
    assert.equal(new Set(created.map((p) => p.invoiceId)).size, 19);
    for (const p of created) assert.equal((await store.getPayment(p.id))?.invoiceId, p.invoiceId);
    assert.equal(countPayments(path), 19);
  } finally {
    store.close();
  }
});

test('an insert that fails after the InvId was taken (a duplicate payment id) leaves no row behind; the others in the turn are stored', async () => {
  const path = join(tempDir(), 'store.sqlite');
  const store = openSqliteStore(path);
  try {
    const results = await Promise.allSettled([
      store.createPayment((inv) => payment(inv, 'pay-1'), { key: 'k-1', requestHash: 'h' }),
      store.createPayment((inv) => payment(inv, 'pay-1'), { key: 'k-2', requestHash: 'h' }),
      store.createPayment((inv) => payment(inv, 'pay-3'), { key: 'k-3', requestHash: 'h' }),
    ]);
    assert.deepEqual(results.map((r) => r.status), ['fulfilled', 'rejected', 'fulfilled']);
    assert.match(String((results[1] as PromiseRejectedResult).reason), /UNIQUE/);
    assert.equal(countPayments(path), 2);
    assert.equal(countRows(path, 'invoice_ids'), 2); // the failed one's InvId row is gone too
    assert.equal(countRows(path, 'idempotency_keys', "key = 'k-2'"), 0);
    // and the key is free for a good retry
    const retry = await store.createPayment((inv) => payment(inv, 'pay-2'), { key: 'k-2', requestHash: 'h' });
    assert.equal(retry.kind, 'created');
  } finally {
    store.close();
  }
});

test('the same Idempotency-Key twice in one turn: one payment, the second call replays it; another body is a conflict', async () => {
  const store = openSqliteStore(join(tempDir(), 'store.sqlite'));
  try {
    const key = { key: 'k-1', requestHash: 'h1' };
    const [a, b, c] = await Promise.all([
      store.createPayment((inv) => payment(inv, 'pay-a'), key),
      store.createPayment((inv) => payment(inv, 'pay-b'), key),
      store.createPayment((inv) => payment(inv, 'pay-c'), { key: 'k-1', requestHash: 'h2' }),
    ]);
    assert.equal(a.kind, 'created');
    assert.equal(b.kind, 'replayed');
    assert.equal(c.kind, 'conflict');
    if (a.kind !== 'created' || b.kind !== 'replayed') return;
    assert.equal(b.payment.id, 'pay-a');
    assert.equal(b.payment.url, a.payment.url); // stored once (in the form), rebuilt the same
  } finally {
    store.close();
  }
});

test('close() right after writes were asked for commits them before the file is closed', async () => {
  const path = join(tempDir(), 'store.sqlite');
  const store = openSqliteStore(path);
  const pending = [1, 2, 3].map((i) => store.createPayment((inv) => payment(inv, `pay-${i}`)));
  store.close();
  const results = await Promise.all(pending);
  assert.deepEqual(results.map((r) => r.kind), ['created', 'created', 'created']);
  assert.equal(countPayments(path), 3);
  await assert.rejects(store.getPayment('pay-1'), /closed/);
});

test('markPaidIf: a refused payment stays as it was, in the same turn as others being paid; nothing is recorded for it', async () => {
  const store = openSqliteStore(':memory:');
  try {
    const a = await store.createPayment((inv) => payment(inv, 'pay-a'));
    const b = await store.createPayment((inv) => payment(inv, 'pay-b'));
    assert.ok(a.kind === 'created' && b.kind === 'created');
    const n = (invoiceId: number) => ({ kind: 'result' as const, receivedAt: new Date().toISOString(), invoiceId, params: {} });
    const markPaidIf = store.markPaidIf?.bind(store);
    assert.ok(markPaidIf);
    const seen: string[] = [];
    // one turn: both share the group commit's transaction, so a refusal must undo only its own UPDATE
    const [refused, paid] = await Promise.all([
      markPaidIf(a.payment.invoiceId, '2026-11-29T10:00:00.000Z', n(a.payment.invoiceId), (p) => { seen.push(p.amount); return false; }),
      markPaidIf(b.payment.invoiceId, '2026-11-29T10:00:00.000Z', n(b.payment.invoiceId), (p) => p.amount === '10.00'),
    ]);
    assert.equal(refused, 'refused');
    assert.deepEqual(seen, ['10.00']);
    assert.ok(paid !== 'refused' && paid !== null && paid.transitioned);
    assert.equal((await store.getPayment('pay-a'))?.status, 'pending');
    assert.equal((await store.getPayment('pay-a'))?.paidAt, null);
    assert.equal((await store.getPayment('pay-b'))?.status, 'paid');
    assert.deepEqual(await store.listNotifications(a.payment.invoiceId), []);
    assert.deepEqual((await store.listNotifications(b.payment.invoiceId)).map((r) => r.verdict), ['paid']);
    // already paid: a refusal records no 'duplicate' and changes nothing; accepted, a duplicate as with markPaid
    assert.equal(await markPaidIf(b.payment.invoiceId, '2026-11-29T11:00:00.000Z', n(b.payment.invoiceId), () => false), 'refused');
    const again = await markPaidIf(b.payment.invoiceId, '2026-11-29T11:00:00.000Z', n(b.payment.invoiceId), () => true);
    assert.ok(again !== 'refused' && again !== null && !again.transitioned);
    assert.equal(again.payment.paidAt, '2026-11-29T10:00:00.000Z');
    assert.deepEqual((await store.listNotifications(b.payment.invoiceId)).map((r) => r.verdict), ['paid', 'duplicate']);
    assert.equal(await markPaidIf(999_999, '2026-11-29T11:00:00.000Z', n(999_999), () => true), null);
  } finally {
    store.close();
  }
});
