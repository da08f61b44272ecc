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

const countPayments = (path: string): number => {
  const db = new Database(path, { readonly: true });
  try {
    return (db.prepare('SELECT COUNT(*) AS n FROM payments').get() as { n: number }).n;
  } finally {
    db.close();
  }
};

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
