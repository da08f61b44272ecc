// One behaviour suite for every Store engine (SQLite and PostgreSQL run the same assertions):
// store.sqlite.test.ts and store.postgres.test.ts call storeSuite with their engine. First the Store
// methods directly, then the backend's routes over the engine's store.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { NewPayment, NotificationInput, OrderRecord, PaymentRecord, Store } from '../../src/server/index.js';
import { CheckoutResponse } from '../../src/protocol/index.js';
import { checkout, form, json, makeApp, PAGE_ORIGIN, signed } from './helpers.js';

/** One empty database of the engine; open() may be called again on it (a restart). */
export interface EngineDb {
  open(): Promise<Store>;
  /** deletes a payment and its InvId row behind the store's back, as an operator's cleanup might */
  deleteInvoice(invoiceId: number): Promise<void>;
  /** takes the (closed) database back to schema step 1, as a backend from before the hook outbox left it */
  rollBackToStep1(): Promise<void>;
}

export interface Engine {
  name: string;
  fresh(): Promise<EngineDb>;
}

const INT32_MAX = 2147483647;
const ACTION = 'https://auth.robokassa.kz/Merchant/Index.aspx';

export function payment(invoiceId: number, over: Partial<NewPayment> = {}): NewPayment {
  const id = `pay-${randomUUID().replaceAll('-', '')}`;
  return {
    id, amount: '27900.50', currency: 'KZT', description: 'Онлайн-курс: основы ×2, Online course: pro',
    items: [
      { sku: 'course-basic', name: 'Онлайн-курс: основы', quantity: 2, price: '1500.00', sum: '3000.00', tax: 'none', paymentMethod: 'full_payment', paymentObject: 'service' },
      { sku: 'course-pro', name: 'Online course: pro', quantity: 1, price: '24900.50', sum: '24900.50', tax: 'vat12' },
    ],
    orderId: null, email: 'buyer@example.com', culture: 'ru', lang: 'kk', origin: PAGE_ORIGIN, returnUrl: `${PAGE_ORIGIN}/thanks`, test: true,
    url: `${ACTION}?MerchantLogin=test-shop&OutSum=27900.50&InvId=${invoiceId}`,
    // field order is part of what a replay must give back unchanged
    form: { action: ACTION, fields: { MerchantLogin: 'test-shop', OutSum: '27900.50', InvId: String(invoiceId), Description: 'Онлайн-курс', SignatureValue: 'ab12' } },
    createdAt: new Date().toISOString(),
    ...over,
  };
}

const note = (invoiceId: number | null, extra: Partial<NotificationInput> = {}): Omit<NotificationInput, 'verdict'> => ({
  kind: 'result', receivedAt: new Date().toISOString(), invoiceId, params: { OutSum: '27900.500000', InvId: String(invoiceId), SignatureValue: 'AB' }, ...extra,
});

async function created(store: Store, over: Partial<NewPayment> = {}): Promise<ReturnType<typeof payment> & { invoiceId: number }> {
  let built: NewPayment | undefined;
  const r = await store.createPayment((invoiceId) => (built = payment(invoiceId, over)));
  assert.equal(r.kind, 'created');
  return { ...built!, invoiceId: r.kind === 'created' ? r.payment.invoiceId : 0 };
}

export function storeSuite(engine: Engine): void {
  const e = engine.name;
  /** A fresh database, opened; the store is closed after `body`. */
  const withStore = (name: string, body: (store: Store, db: EngineDb) => Promise<void>): void => {
    test(`${e}: ${name}`, async () => {
      const db = await engine.fresh();
      const store = await db.open();
      try {
        await body(store, db);
      } finally {
        await store.close();
      }
    });
  };

  withStore('createPayment stores every field as given and reads it back the same (money as the same decimal strings)', async (store) => {
    let built: NewPayment | undefined;
    const r = await store.createPayment((invoiceId) => (built = payment(invoiceId)));
    assert.equal(r.kind, 'created');
    if (r.kind !== 'created') return;
    const p = r.payment;
    assert.ok(Number.isInteger(p.invoiceId) && p.invoiceId >= 1 && p.invoiceId <= INT32_MAX, String(p.invoiceId));
    assert.deepEqual(p, { ...built!, invoiceId: p.invoiceId, status: 'pending', paidAt: null, failedAt: null });
    assert.equal(p.amount, '27900.50');
    assert.equal(p.items[1]!.price, '24900.50');
    assert.deepEqual(Object.keys(p.form.fields), ['MerchantLogin', 'OutSum', 'InvId', 'Description', 'SignatureValue']);
    assert.deepEqual(await store.getPayment(p.id), p);
    assert.deepEqual(await store.getPaymentByInvoiceId(p.invoiceId), p);
    // nulls and the other booleans round-trip too
    const bare = await store.createPayment((invoiceId) => payment(invoiceId, { email: null, culture: null, lang: null, origin: null, returnUrl: null, test: false, items: [], amount: '0.10' }));
    assert.ok(bare.kind === 'created');
    const again = await store.getPayment(bare.payment.id);
    assert.deepEqual([again?.email, again?.culture, again?.lang, again?.origin, again?.returnUrl, again?.test, again?.items, again?.amount], [null, null, null, null, null, false, [], '0.10']);
  });

  withStore('InvIds are positive int32, increasing, and unknown ids or numbers outside int32 read as null', async (store) => {
    const a = await created(store);
    const b = await created(store);
    assert.ok(a.invoiceId >= 1 && b.invoiceId > a.invoiceId);
    assert.equal(await store.getPayment('no-such-payment'), null);
    for (const n of [b.invoiceId + 1000, 0, -1, INT32_MAX + 1, 2 ** 53, 1.5]) assert.equal(await store.getPaymentByInvoiceId(n), null, String(n));
  });

  withStore('an Idempotency-Key replays its payment and build is not called again; another request hash is a conflict', async (store) => {
    const idem = { key: 'key-1', requestHash: 'hash-a' };
    const first = await store.createPayment((invoiceId) => payment(invoiceId), idem);
    assert.equal(first.kind, 'created');
    let calls = 0;
    const again = await store.createPayment((invoiceId) => { calls++; return payment(invoiceId); }, idem);
    assert.equal(again.kind, 'replayed');
    assert.ok(first.kind === 'created' && again.kind === 'replayed');
    assert.deepEqual(again.payment, first.payment);
    const conflict = await store.createPayment((invoiceId) => { calls++; return payment(invoiceId); }, { key: 'key-1', requestHash: 'hash-b' });
    assert.deepEqual(conflict, { kind: 'conflict' });
    assert.equal(calls, 0);
    // the key stays bound to its payment after it is paid
    await store.markPaid(first.payment.invoiceId, new Date().toISOString(), note(first.payment.invoiceId));
    const paid = await store.createPayment((invoiceId) => payment(invoiceId), idem);
    assert.ok(paid.kind === 'replayed' && paid.payment.id === first.payment.id && paid.payment.status === 'paid');
    // another key is another payment
    const other = await store.createPayment((invoiceId) => payment(invoiceId), { key: 'key-2', requestHash: 'hash-a' });
    assert.ok(other.kind === 'created' && other.payment.invoiceId !== first.payment.invoiceId);
  });

  withStore('40 concurrent createPayment calls get 40 distinct InvIds; one key raced 20 times is one payment and 19 replays', async (store) => {
    const many = await Promise.all(Array.from({ length: 40 }, () => store.createPayment((invoiceId) => payment(invoiceId))));
    const ids = many.map((r) => (r.kind === 'created' ? r.payment.invoiceId : -1));
    assert.equal(new Set(ids).size, 40);
    assert.ok(ids.every((n) => n >= 1));
    const raced = await Promise.all(Array.from({ length: 20 }, () => store.createPayment((invoiceId) => payment(invoiceId), { key: 'raced', requestHash: 'h' })));
    assert.equal(raced.filter((r) => r.kind === 'created').length, 1);
    assert.equal(raced.filter((r) => r.kind === 'replayed').length, 19);
    assert.equal(new Set(raced.map((r) => (r.kind === 'conflict' ? 'x' : r.payment.id))).size, 1);
  });

  withStore('a build that throws stores nothing, and the next payment still gets a new InvId', async (store) => {
    const before = await created(store);
    await assert.rejects(store.createPayment(() => { throw new Error('signing failed'); }, { key: 'k', requestHash: 'h' }), /signing failed/);
    // the key was not taken by the failed attempt
    const r = await store.createPayment((invoiceId) => payment(invoiceId), { key: 'k', requestHash: 'h' });
    assert.ok(r.kind === 'created' && r.payment.invoiceId > before.invoiceId);
    assert.equal(await store.listUnsettled('0', '9', 100).then((l) => l.length), 2);
  });

  withStore('getPaymentStatus gives the six status fields of getPayment, before and after the payment is paid; null for an unknown id', async (store) => {
    assert.equal(typeof store.getPaymentStatus, 'function');
    const p = await created(store);
    const six = (r: PaymentRecord | null) => r && { id: r.id, invoiceId: r.invoiceId, status: r.status, amount: r.amount, currency: r.currency, paidAt: r.paidAt };
    assert.deepEqual(await store.getPaymentStatus!(p.id), { id: p.id, invoiceId: p.invoiceId, status: 'pending', amount: '27900.50', currency: 'KZT', paidAt: null });
    const t1 = '2026-11-29T10:00:00.000Z';
    await store.markPaid(p.invoiceId, t1, note(p.invoiceId));
    const after = await store.getPaymentStatus!(p.id);
    assert.deepEqual(after, six(await store.getPayment(p.id)));
    assert.equal(after?.status, 'paid');
    assert.equal(after?.paidAt, t1);
    assert.equal(await store.getPaymentStatus!('no-such-payment'), null);
  });

  withStore('markPaid moves a payment to paid once: "paid" then "duplicate", paidAt kept; unknown InvId records nothing', async (store) => {
    const p = await created(store);
    const t1 = '2026-11-29T10:00:00.000Z';
    const first = await store.markPaid(p.invoiceId, t1, note(p.invoiceId));
    assert.equal(first?.transitioned, true);
    assert.equal(first?.payment.status, 'paid');
    assert.equal(first?.payment.paidAt, t1);
    const second = await store.markPaid(p.invoiceId, '2026-11-29T11:00:00.000Z', note(p.invoiceId));
    assert.equal(second?.transitioned, false);
    assert.equal(second?.payment.paidAt, t1);
    assert.equal((await store.getPayment(p.id))?.paidAt, t1);
    assert.deepEqual((await store.listNotifications(p.invoiceId)).map((n) => [n.kind, n.verdict]), [['result', 'paid'], ['result', 'duplicate']]);
    assert.equal(await store.markPaid(p.invoiceId + 100, t1, note(p.invoiceId + 100)), null);
    assert.equal(await store.markPaid(INT32_MAX + 1, t1, note(INT32_MAX + 1)), null);
    assert.equal((await store.listNotifications()).length, 2);
  });

  withStore('30 concurrent markPaid calls: exactly one transition, 29 duplicates', async (store) => {
    const p = await created(store);
    const results = await Promise.all(Array.from({ length: 30 }, (_, i) => store.markPaid(p.invoiceId, `2026-11-29T10:00:${String(i).padStart(2, '0')}.000Z`, note(p.invoiceId))));
    assert.equal(results.filter((r) => r?.transitioned).length, 1);
    const verdicts = (await store.listNotifications(p.invoiceId)).map((n) => n.verdict);
    assert.equal(verdicts.filter((v) => v === 'paid').length, 1);
    assert.equal(verdicts.filter((v) => v === 'duplicate').length, 29);
    const winner = results.find((r) => r?.transitioned)!;
    assert.equal((await store.getPayment(p.id))?.paidAt, winner.payment.paidAt);
  });

  withStore('markFailed: pending -> failed once, then ignored; a paid payment never moves; a failed or cancelled one can still be paid', async (store) => {
    const p = await created(store);
    const failed = await store.markFailed(p.invoiceId, '2026-11-29T10:00:00.000Z', note(p.invoiceId, { kind: 'fail' }));
    assert.equal(failed?.status, 'failed');
    assert.equal(failed?.failedAt, '2026-11-29T10:00:00.000Z');
    const twice = await store.markFailed(p.invoiceId, '2026-11-29T10:05:00.000Z', note(p.invoiceId, { kind: 'fail' }));
    assert.equal(twice?.failedAt, '2026-11-29T10:00:00.000Z');
    assert.equal((await store.markPaid(p.invoiceId, '2026-11-29T10:10:00.000Z', note(p.invoiceId)))?.transitioned, true);
    const after = await store.markFailed(p.invoiceId, '2026-11-29T10:15:00.000Z', note(p.invoiceId, { kind: 'fail' }));
    assert.equal(after?.status, 'paid');
    assert.deepEqual((await store.listNotifications(p.invoiceId)).map((n) => n.verdict), ['failed', 'ignored', 'paid', 'ignored']);
    assert.equal(await store.markFailed(p.invoiceId + 100, '2026-11-29T10:00:00.000Z', note(null, { kind: 'fail' })), null);
    assert.equal((await store.listNotifications()).length, 4);

    const c = await created(store);
    assert.equal((await store.markCancelled(c.invoiceId, note(c.invoiceId, { kind: 'opstate' })))?.status, 'cancelled');
    assert.equal((await store.markFailed(c.invoiceId, '2026-11-29T10:00:00.000Z', note(c.invoiceId, { kind: 'fail' })))?.status, 'cancelled');
    assert.equal((await store.markPaid(c.invoiceId, '2026-11-29T10:20:00.000Z', note(c.invoiceId)))?.transitioned, true);
  });

  withStore('markCancelled: pending or failed -> cancelled; never a paid one; unknown is null', async (store) => {
    const pending = await created(store);
    const failed = await created(store);
    const paid = await created(store);
    await store.markFailed(failed.invoiceId, '2026-11-29T10:00:00.000Z', note(failed.invoiceId, { kind: 'fail' }));
    await store.markPaid(paid.invoiceId, '2026-11-29T10:00:00.000Z', note(paid.invoiceId));
    const op = (id: number) => note(id, { kind: 'opstate', params: { State: '10' } });
    assert.equal((await store.markCancelled(pending.invoiceId, op(pending.invoiceId)))?.status, 'cancelled');
    assert.equal((await store.markCancelled(failed.invoiceId, op(failed.invoiceId)))?.status, 'cancelled');
    assert.equal((await store.markCancelled(paid.invoiceId, op(paid.invoiceId)))?.status, 'paid');
    assert.equal((await store.markCancelled(pending.invoiceId, op(pending.invoiceId)))?.status, 'cancelled');
    assert.equal(await store.markCancelled(paid.invoiceId + 100, op(paid.invoiceId + 100)), null);
    const verdicts = async (id: number) => (await store.listNotifications(id)).filter((n) => n.kind === 'opstate').map((n) => n.verdict);
    assert.deepEqual(await verdicts(pending.invoiceId), ['cancelled', 'ignored']);
    assert.deepEqual(await verdicts(failed.invoiceId), ['cancelled']);
    assert.deepEqual(await verdicts(paid.invoiceId), ['ignored']);
  });

  withStore('listUnsettled: pending and failed created in [after, before), oldest first, up to the limit', async (store) => {
    const at = (m: number) => `2026-11-29T10:${String(m).padStart(2, '0')}:00.000Z`;
    const p = [];
    for (let m = 0; m < 6; m++) p.push(await created(store, { createdAt: at(m) }));
    await store.markFailed(p[1]!.invoiceId, at(30), note(p[1]!.invoiceId, { kind: 'fail' }));
    await store.markPaid(p[2]!.invoiceId, at(30), note(p[2]!.invoiceId));
    await store.markCancelled(p[3]!.invoiceId, note(p[3]!.invoiceId, { kind: 'opstate' }));
    const list = await store.listUnsettled(at(1), at(5), 100);
    assert.deepEqual(list.map((x) => [x.id, x.status]), [[p[1]!.id, 'failed'], [p[4]!.id, 'pending']]);
    assert.deepEqual((await store.listUnsettled(at(0), at(59), 2)).map((x) => x.id), [p[0]!.id, p[1]!.id]);
    assert.deepEqual(await store.listUnsettled(at(6), at(59), 10), []);
  });

  withStore('the onPaid hook is owed from the paid transition until markHookDone: listed paid-before, oldest first, up to the limit; done once', async (store) => {
    const at = (m: number) => `2026-11-29T10:${String(m).padStart(2, '0')}:00.000Z`;
    const p: Awaited<ReturnType<typeof created>>[] = [];
    for (let m = 0; m < 5; m++) p.push(await created(store));
    // paid out of InvId order: the list follows paidAt
    await store.markPaid(p[2]!.invoiceId, at(1), note(p[2]!.invoiceId));
    await store.markPaid(p[0]!.invoiceId, at(2), note(p[0]!.invoiceId));
    await store.markPaid(p[1]!.invoiceId, at(3), note(p[1]!.invoiceId), { hookOwed: false });
    await store.markPaid(p[3]!.invoiceId, at(4), note(p[3]!.invoiceId));
    const owed = async (before: string, limit = 100) => (await store.listOwedHooks(before, limit)).map((x) => x.id);
    assert.deepEqual(await owed(at(9)), [p[2]!.id, p[0]!.id, p[3]!.id]);
    assert.deepEqual(await owed(at(4)), [p[2]!.id, p[0]!.id]); // paid before, not at
    assert.deepEqual(await owed(at(9), 1), [p[2]!.id]);
    // the listed record is the payment as stored, what the hook gets
    assert.deepEqual((await store.listOwedHooks(at(2), 1))[0], await store.getPayment(p[2]!.id));
    // a duplicate notification doesn't owe it again; a pending payment or an unknown id is never "done"
    assert.equal((await store.markPaid(p[2]!.invoiceId, at(5), note(p[2]!.invoiceId)))?.transitioned, false);
    assert.equal(await store.markHookDone(p[4]!.id, at(6)), false);
    assert.equal(await store.markHookDone('no-such-payment', at(6)), false);
    assert.equal(await store.markHookDone(p[1]!.id, at(6)), false); // hookOwed: false was done at paid
    assert.equal(await store.markHookDone(p[2]!.id, at(6)), true);
    assert.equal(await store.markHookDone(p[2]!.id, at(7)), false);
    assert.deepEqual(await owed(at(9)), [p[0]!.id, p[3]!.id]);
    // concurrent: one of them records it
    const done = await Promise.all(Array.from({ length: 10 }, () => store.markHookDone(p[0]!.id, at(8))));
    assert.equal(done.filter(Boolean).length, 1);
    assert.deepEqual(await owed(at(9)), [p[3]!.id]);
    assert.equal((await store.getPayment(p[3]!.id))?.status, 'paid');
  });

  test(`${e}: migration step 2 counts payments paid before it as delivered; later ones are owed until done, across a reopen`, async () => {
    const db = await engine.fresh();
    const first = await db.open();
    const old = await created(first);
    const pending = await created(first);
    await first.markPaid(old.invoiceId, '2026-11-29T10:00:00.000Z', note(old.invoiceId));
    await first.close();
    await db.rollBackToStep1();
    const second = await db.open();
    try {
      assert.deepEqual(await second.listOwedHooks('9', 100), []);
      assert.equal(await second.markHookDone(old.id, '2026-11-29T10:05:00.000Z'), false);
      await second.markPaid(pending.invoiceId, '2026-11-29T10:10:00.000Z', note(pending.invoiceId));
    } finally {
      await second.close();
    }
    const third = await db.open();
    try {
      assert.deepEqual((await third.listOwedHooks('9', 100)).map((x) => x.id), [pending.id]);
    } finally {
      await third.close();
    }
  });

  withStore('notifications: every kind recorded with its params, InvId (or none) and optional reason, in order', async (store) => {
    const p = await created(store);
    await store.recordNotification({ kind: 'result', receivedAt: '2026-11-29T10:00:00.000Z', invoiceId: p.invoiceId, params: { OutSum: '1.000000', Shp_имя: 'значение', Empty: '' }, verdict: 'amount_mismatch', reason: 'OutSum 1.000000 is not 27900.50' });
    await store.recordNotification({ kind: 'result', receivedAt: '2026-11-29T10:00:01.000Z', invoiceId: null, params: { InvId: 'abc' }, verdict: 'malformed' });
    await store.recordNotification({ kind: 'success', receivedAt: '2026-11-29T10:00:02.000Z', invoiceId: p.invoiceId, params: {}, verdict: 'unsigned' });
    const all = await store.listNotifications();
    assert.equal(all.length, 3);
    assert.ok(all.every((n) => Number.isInteger(n.id)) && all[0]!.id < all[1]!.id && all[1]!.id < all[2]!.id);
    assert.deepEqual(all.map(({ id: _id, ...rest }) => rest), [
      { kind: 'result', receivedAt: '2026-11-29T10:00:00.000Z', invoiceId: p.invoiceId, params: { OutSum: '1.000000', Shp_имя: 'значение', Empty: '' }, verdict: 'amount_mismatch', reason: 'OutSum 1.000000 is not 27900.50' },
      { kind: 'result', receivedAt: '2026-11-29T10:00:01.000Z', invoiceId: null, params: { InvId: 'abc' }, verdict: 'malformed' },
      { kind: 'success', receivedAt: '2026-11-29T10:00:02.000Z', invoiceId: p.invoiceId, params: {}, verdict: 'unsigned' },
    ]);
    assert.ok(!('reason' in all[1]!));
    assert.deepEqual((await store.listNotifications(p.invoiceId)).map((n) => n.verdict), ['amount_mismatch', 'unsigned']);
    assert.deepEqual(await store.listNotifications(p.invoiceId + 100), []);
  });

  withStore('orders: created once per orderId, read back as given, paid together with their payment', async (store) => {
    const order: OrderRecord = {
      orderId: 'order-1', description: 'Корзина №1', amount: '1000.10', currency: 'KZT',
      items: [{ name: 'Товар', quantity: 3, price: '333.37', sum: '1000.10', tax: 'vat12', paymentObject: 'commodity' }],
      receipt: { sno: 'osn' }, email: null, status: 'open', createdAt: '2026-11-29T09:00:00.000Z', paidAt: null,
    };
    assert.equal(await store.createOrder(order), true);
    assert.equal(await store.createOrder({ ...order, amount: '1.00' }), false);
    assert.deepEqual(await store.getOrder('order-1'), order);
    assert.equal(await store.getOrder('order-2'), null);
    const noReceipt = { ...order, orderId: 'order-2', receipt: null, email: 'a@b.example' };
    assert.equal(await store.createOrder(noReceipt), true);
    assert.deepEqual(await store.getOrder('order-2'), noReceipt);

    const p = await created(store, { orderId: 'order-1', amount: '1000.10' });
    assert.equal((await store.getPayment(p.id))?.orderId, 'order-1');
    await store.markPaid(p.invoiceId, '2026-11-29T10:00:00.000Z', note(p.invoiceId));
    const paid = await store.getOrder('order-1');
    assert.deepEqual([paid?.status, paid?.paidAt], ['paid', '2026-11-29T10:00:00.000Z']);
    // a duplicate leaves the order's paidAt alone
    await store.markPaid(p.invoiceId, '2026-11-29T11:00:00.000Z', note(p.invoiceId));
    assert.equal((await store.getOrder('order-1'))?.paidAt, '2026-11-29T10:00:00.000Z');
    assert.equal((await store.getOrder('order-2'))?.status, 'open');
  });

  test(`${e}: reopening keeps every payment, a duplicate stays a duplicate, and an InvId is never handed out again, even after its rows were deleted`, async () => {
    const db = await engine.fresh();
    const first = await db.open();
    const a = await created(first);
    const b = await created(first);
    await first.markPaid(a.invoiceId, '2026-11-29T10:00:00.000Z', note(a.invoiceId));
    await first.close();
    await db.deleteInvoice(b.invoiceId);
    const second = await db.open();
    try {
      assert.equal((await second.getPayment(a.id))?.status, 'paid');
      assert.equal(await second.getPayment(b.id), null);
      assert.equal((await second.markPaid(a.invoiceId, '2026-11-29T11:00:00.000Z', note(a.invoiceId)))?.transitioned, false);
      const c = await created(second);
      assert.ok(c.invoiceId > b.invoiceId && b.invoiceId > a.invoiceId, `${a.invoiceId} < ${b.invoiceId} < ${c.invoiceId}`);
    } finally {
      await second.close();
    }
  });

  test(`${e}: four stores opening one fresh database at the same moment all migrate and work`, async () => {
    const db = await engine.fresh();
    const stores = await Promise.all(Array.from({ length: 4 }, () => db.open()));
    try {
      const made = await Promise.all(stores.map((s) => created(s)));
      assert.equal(new Set(made.map((m) => m.invoiceId)).size, 4);
      for (const s of stores) assert.equal((await s.getPayment(made[0]!.id))?.invoiceId, made[0]!.invoiceId);
    } finally {
      for (const s of stores) await s.close();
    }
  });

  // the routes over this engine's store: what the shop's buyers and Robokassa see
  test(`${e}: checkout, Idempotency-Key, ResultURL (paid once under 50 concurrent notifications), FailURL and status through the routes`, async () => {
    const db = await engine.fresh();
    const store = await db.open();
    try {
      const t = makeApp({}, store);
      const body = { items: [{ sku: 'course-basic', quantity: 2 }, { sku: 'course-pro', quantity: 1 }] };
      const a = await checkout(t, body, { 'idempotency-key': 'route-key' });
      assert.equal(a.amount, '27900.50');
      assert.deepEqual(await checkout(t, body, { 'idempotency-key': 'route-key' }), a);
      const conflict = await t.app.request('/robokassa/checkout', json({ items: [{ sku: 'course-basic', quantity: 1 }] }, { 'idempotency-key': 'route-key', origin: PAGE_ORIGIN }));
      assert.equal(conflict.status, 409);
      const pays = await Promise.all(Array.from({ length: 30 }, () => checkout(t)));
      assert.equal(new Set([a, ...pays].map((p) => p.invoiceId)).size, 31);

      const params = signed({ outSum: '27900.500000', invId: a.invoiceId });
      const answers = await Promise.all(Array.from({ length: 50 }, async () => {
        const r = await t.app.request('/robokassa/result', form(params));
        return [r.status, await r.text()] as const;
      }));
      assert.ok(answers.every(([code, text]) => code === 200 && text === `OK${a.invoiceId}`), JSON.stringify(answers.slice(0, 3)));
      assert.equal(t.paid.length, 1);
      assert.equal(t.paid[0]!.id, a.id);
      assert.deepEqual(await store.listOwedHooks('9', 10), []); // the hook ran: recorded as done
      const verdicts = (await store.listNotifications(a.invoiceId)).map((n) => n.verdict);
      assert.equal(verdicts.filter((v) => v === 'paid').length, 1);
      assert.equal(verdicts.filter((v) => v === 'duplicate').length, 49);

      const status = await t.app.request(`/robokassa/payments/${a.id}`);
      assert.equal(status.status, 200);
      assert.equal(((await status.json()) as { status: string }).status, 'paid');

      const b = CheckoutResponse.parse(pays[0]);
      const fail = await t.app.request(`/robokassa/fail?OutSum=1500.00&InvId=${b.invoiceId}&Culture=ru&Shp_rk=${b.form.fields['Shp_rk']}`);
      assert.equal(fail.status, 200);
      assert.equal((await store.getPayment(b.id))?.status, 'failed');
      const late = await t.app.request('/robokassa/result', form(signed({ outSum: '1500.000000', invId: b.invoiceId })));
      assert.equal(await late.text(), `OK${b.invoiceId}`);
      assert.equal((await store.getPayment(b.id))?.status, 'paid');
      assert.equal(t.paid.length, 2);

      const unknown = await t.app.request('/robokassa/result', form(signed({ outSum: '10.000000', invId: 999999 })));
      assert.equal(await unknown.text(), 'unknown InvId');
      assert.equal((await store.listNotifications()).at(-1)?.verdict, 'unknown_invoice');
    } finally {
      await store.close();
    }
  });
}
