import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { createApp, openSqliteStore, parseConfig } from '../../src/server/index.js';
import { PaymentStatusResponse } from '../../src/protocol/index.js';
import { PASSWORD1, PASSWORD2, baseEnv, checkout, form, makeApp, signed, tempDir } from './helpers.js';

async function status(t: ReturnType<typeof makeApp>, id: string): Promise<PaymentStatusResponse> {
  const res = await t.app.request(`/robokassa/payments/${id}`);
  assert.equal(res.status, 200);
  return PaymentStatusResponse.parse(await res.json());
}

test('ResultURL POST with an upper-case MD5 signature and OutSum as 1500.000000 marks paid and answers OK{InvId}', async () => {
  const t = makeApp();
  const pay = await checkout(t);
  const res = await t.app.request('/robokassa/result', form(signed({ outSum: '1500.000000', invId: pay.invoiceId, extra: { Fee: '30.00', EMail: 'buyer@example.com', PaymentMethod: 'BankCard', IsTest: '1' } })));
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /^text\/plain/);
  assert.equal(await res.text(), `OK${pay.invoiceId}`);
  const s = await status(t, pay.id);
  assert.equal(s.status, 'paid');
  assert.ok(s.paidAt !== null && !Number.isNaN(Date.parse(s.paidAt)));
  assert.equal(t.paid.length, 1);
  assert.equal(t.paid[0]!.id, pay.id);
  assert.equal(t.paid[0]!.status, 'paid');
  const notes = await t.store.listNotifications(pay.invoiceId);
  assert.deepEqual(notes.map((n) => [n.kind, n.verdict]), [['result', 'paid']]);
  assert.equal(notes[0]!.params['OutSum'], '1500.000000');
});

test('ResultURL GET with a lower-case signature is accepted too', async () => {
  const t = makeApp();
  const pay = await checkout(t);
  const res = await t.app.request(`/robokassa/result?${signed({ outSum: '1500.00', invId: pay.invoiceId, lower: true })}`);
  assert.equal(res.status, 200);
  assert.equal(await res.text(), `OK${pay.invoiceId}`);
  assert.equal((await status(t, pay.id)).status, 'paid');
});

test('ResultURL with Shp_ parameters: they are part of the signature (sorted), and dropping one fails', async () => {
  const t = makeApp();
  const pay = await checkout(t);
  const shp = { Shp_user: '42', Shp_coupon: 'spring' };
  const params = signed({ outSum: '1500.000000', invId: pay.invoiceId, shp });
  const tampered = new URLSearchParams(params);
  tampered.delete('Shp_coupon');
  const bad = await t.app.request('/robokassa/result', form(tampered));
  assert.equal(bad.status, 400);
  assert.equal((await status(t, pay.id)).status, 'pending');
  const good = await t.app.request('/robokassa/result', form(params));
  assert.equal(good.status, 200);
  assert.equal((await status(t, pay.id)).status, 'paid');
});

test('ResultURL signed with SHA-256 when the shop uses sha256; an MD5 signature then fails', async () => {
  const t = makeApp({ ROBOKASSA_HASH: 'sha256' });
  const pay = await checkout(t);
  const md5 = await t.app.request('/robokassa/result', form(signed({ outSum: '1500.000000', invId: pay.invoiceId, algorithm: 'md5' })));
  assert.equal(md5.status, 400);
  const sha = await t.app.request('/robokassa/result', form(signed({ outSum: '1500.000000', invId: pay.invoiceId, algorithm: 'sha256', shp: { Shp_x: '1' } })));
  assert.equal(sha.status, 200);
  assert.equal(await sha.text(), `OK${pay.invoiceId}`);
});

test('ResultURL signed with Password #1 (a SuccessURL signature) is refused, recorded as bad_signature', async () => {
  const t = makeApp();
  const pay = await checkout(t);
  const res = await t.app.request('/robokassa/result', form(signed({ outSum: '1500.000000', invId: pay.invoiceId, password: PASSWORD1 })));
  assert.equal(res.status, 400);
  assert.equal(await res.text(), 'bad signature');
  assert.equal((await status(t, pay.id)).status, 'pending');
  assert.equal(t.paid.length, 0);
  const notes = await t.store.listNotifications(pay.invoiceId);
  assert.deepEqual(notes.map((n) => n.verdict), ['bad_signature']);
});

test('a duplicate ResultURL answers OK again and changes nothing; onPaid ran once', async () => {
  const t = makeApp();
  const pay = await checkout(t);
  const params = signed({ outSum: '1500.000000', invId: pay.invoiceId });
  const first = await t.app.request('/robokassa/result', form(params));
  const paidAt = (await status(t, pay.id)).paidAt;
  const second = await t.app.request('/robokassa/result', form(params));
  assert.equal(await first.text(), `OK${pay.invoiceId}`);
  assert.equal(await second.text(), `OK${pay.invoiceId}`);
  assert.equal((await status(t, pay.id)).paidAt, paidAt);
  assert.equal(t.paid.length, 1);
  assert.deepEqual((await t.store.listNotifications(pay.invoiceId)).map((n) => n.verdict), ['paid', 'duplicate']);
});

test('50 concurrent identical ResultURL notifications: one paid transition, one onPaid call, 50 OKs', async () => {
  const t = makeApp();
  const pay = await checkout(t);
  const params = signed({ outSum: '1500.000000', invId: pay.invoiceId });
  const answers = await Promise.all(Array.from({ length: 50 }, async () => {
    const r = await t.app.request('/robokassa/result', form(params));
    return [r.status, await r.text()] as const;
  }));
  assert.ok(answers.every(([code, text]) => code === 200 && text === `OK${pay.invoiceId}`));
  assert.equal(t.paid.length, 1);
  const verdicts = (await t.store.listNotifications(pay.invoiceId)).map((n) => n.verdict);
  assert.equal(verdicts.filter((v) => v === 'paid').length, 1);
  assert.equal(verdicts.filter((v) => v === 'duplicate').length, 49);
});

test('a tampered amount (correctly signed for another sum) is refused with 400 and changes nothing', async () => {
  const t = makeApp();
  const pay = await checkout(t);
  const res = await t.app.request('/robokassa/result', form(signed({ outSum: '1.000000', invId: pay.invoiceId })));
  assert.equal(res.status, 400);
  assert.match(await res.text(), /OutSum/);
  assert.equal((await status(t, pay.id)).status, 'pending');
  assert.equal(t.paid.length, 0);
  assert.deepEqual((await t.store.listNotifications(pay.invoiceId)).map((n) => n.verdict), ['amount_mismatch']);
  // an altered OutSum with the original signature fails the signature instead
  const original = signed({ outSum: '1500.000000', invId: pay.invoiceId });
  original.set('OutSum', '1.000000');
  assert.equal((await t.app.request('/robokassa/result', form(original))).status, 400);
});

test('a tampered amount for an invoice already paid is amount_mismatch, not a duplicate, and the payment keeps its paidAt', async () => {
  const t = makeApp();
  const pay = await checkout(t);
  assert.equal((await t.app.request('/robokassa/result', form(signed({ outSum: '1500.000000', invId: pay.invoiceId })))).status, 200);
  const paidAt = (await status(t, pay.id)).paidAt;
  const res = await t.app.request('/robokassa/result', form(signed({ outSum: '1.000000', invId: pay.invoiceId })));
  assert.equal(res.status, 400);
  assert.match(await res.text(), /OutSum/);
  assert.equal((await status(t, pay.id)).paidAt, paidAt);
  assert.equal(t.paid.length, 1);
  assert.deepEqual((await t.store.listNotifications(pay.invoiceId)).map((n) => n.verdict), ['paid', 'amount_mismatch']);
});

test("a shop's own Store without getPaymentStatus: the status poll reads the whole payment instead, same answer", async () => {
  const full = openSqliteStore(':memory:');
  const { getPaymentStatus, ...plain } = full;
  assert.equal(typeof getPaymentStatus, 'function');
  const withIt = makeApp({}, full);
  const without = makeApp({}, plain);
  const pay = await checkout(without);
  const a = await without.app.request(`/robokassa/payments/${pay.id}`);
  const b = await withIt.app.request(`/robokassa/payments/${pay.id}`);
  assert.equal(a.status, 200);
  assert.deepEqual(await a.json(), await b.json());
  assert.equal((await without.app.request('/robokassa/payments/no-such-payment')).status, 404);
});

test("a shop's own Store without markPaidIf: the amount is still checked (read first), then a valid notification pays", async () => {
  const { markPaidIf, ...plain } = openSqliteStore(':memory:');
  assert.equal(typeof markPaidIf, 'function');
  const t = makeApp({}, plain);
  const pay = await checkout(t);
  const bad = await t.app.request('/robokassa/result', form(signed({ outSum: '1.000000', invId: pay.invoiceId })));
  assert.equal(bad.status, 400);
  assert.equal((await status(t, pay.id)).status, 'pending');
  const good = await t.app.request('/robokassa/result', form(signed({ outSum: '1500.000000', invId: pay.invoiceId })));
  assert.equal(await good.text(), `OK${pay.invoiceId}`);
  assert.equal((await status(t, pay.id)).status, 'paid');
  assert.deepEqual((await t.store.listNotifications(pay.invoiceId)).map((n) => n.verdict), ['amount_mismatch', 'paid']);
  const unknown = await t.app.request('/robokassa/result', form(signed({ outSum: '1500.000000', invId: pay.invoiceId + 1000 })));
  assert.equal(unknown.status, 400);
  assert.match(await unknown.text(), /unknown InvId/);
});

test('unknown InvId, a missing field and a wrong content type are refused and recorded (where parsed)', async () => {
  const t = makeApp();
  const unknown = await t.app.request('/robokassa/result', form(signed({ outSum: '10.000000', invId: 999999 })));
  assert.equal(unknown.status, 400);
  assert.equal(await unknown.text(), 'unknown InvId');
  const missing = await t.app.request('/robokassa/result', form(new URLSearchParams({ InvId: '1', SignatureValue: 'AB' })));
  assert.equal(missing.status, 400);
  assert.match(await missing.text(), /OutSum/);
  const verdicts = (await t.store.listNotifications()).map((n) => n.verdict);
  assert.deepEqual(verdicts, ['unknown_invoice', 'malformed']);
  const json = await t.app.request('/robokassa/result', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
  assert.equal(json.status, 415);
});

test('a failed payment still becomes paid by a later valid ResultURL, and onPaid runs then', async () => {
  const t = makeApp();
  const pay = await checkout(t);
  const fail = await t.app.request(`/robokassa/fail?OutSum=1500.00&InvId=${pay.invoiceId}&Culture=ru&Shp_rk=${pay.form.fields['Shp_rk']}`);
  assert.equal(fail.status, 200);
  assert.equal((await status(t, pay.id)).status, 'failed');
  const res = await t.app.request('/robokassa/result', form(signed({ outSum: '1500.000000', invId: pay.invoiceId })));
  assert.equal(res.status, 200);
  assert.equal((await status(t, pay.id)).status, 'paid');
  assert.equal(t.paid.length, 1);
  // and FailURL never moves a paid payment back
  await t.app.request(`/robokassa/fail?OutSum=1500.00&InvId=${pay.invoiceId}`);
  assert.equal((await status(t, pay.id)).status, 'paid');
});

test('a throwing onPaid hook is logged, the payment stays paid and Robokassa still gets OK', async () => {
  const config = parseConfig(baseEnv());
  const logs: Record<string, unknown>[] = [];
  let calls = 0;
  const app = createApp(config, { store: openSqliteStore(':memory:'), log: (e) => void logs.push(e), onPaid: () => { calls++; throw new Error('mailer down'); } });
  const res = await app.request('/robokassa/checkout', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ items: [{ sku: 'hundred', quantity: 1 }] }) });
  const pay = (await res.json()) as { invoiceId: number };
  const ok = await app.request('/robokassa/result', form(signed({ outSum: '100.000000', invId: pay.invoiceId })));
  assert.equal(await ok.text(), `OK${pay.invoiceId}`);
  assert.equal(calls, 1);
  assert.ok(logs.some((l) => l['event'] === 'on_paid_failed' && String(l['error']).includes('mailer down')));
});

test('reopening the app over the same SQLite file keeps every payment and never reuses an InvId', async () => {
  const file = join(tempDir(), 'nested', 'shop.sqlite');
  const env = { ROBOKASSA_DATABASE: file };
  const first = makeApp(env, openSqliteStore(file));
  const a = await checkout(first);
  const b = await checkout(first);
  await first.app.request('/robokassa/result', form(signed({ outSum: '1500.000000', invId: a.invoiceId })));
  first.store.close();

  const second = makeApp(env, openSqliteStore(file));
  assert.equal((await status(second, a.id)).status, 'paid');
  assert.equal((await status(second, b.id)).status, 'pending');
  const c = await checkout(second);
  assert.ok(c.invoiceId > b.invoiceId && b.invoiceId > a.invoiceId);
  assert.ok(c.invoiceId > 0 && c.invoiceId <= 2147483647);
  // a duplicate after the restart is still a duplicate
  const dup = await second.app.request('/robokassa/result', form(signed({ outSum: '1500.000000', invId: a.invoiceId })));
  assert.equal(await dup.text(), `OK${a.invoiceId}`);
  assert.equal(second.paid.length, 0);
  second.store.close();

  // the default store (no options.store) opens the configured file as well
  const config = parseConfig(baseEnv(env));
  const app = createApp(config, { log: () => undefined });
  const res = await app.request(`/robokassa/payments/${b.id}`);
  assert.equal(res.status, 200);
});

test('InvIds are unique under concurrent checkouts', async () => {
  const t = makeApp();
  const pays = await Promise.all(Array.from({ length: 30 }, () => checkout(t)));
  assert.equal(new Set(pays.map((p) => p.invoiceId)).size, 30);
  assert.equal(new Set(pays.map((p) => p.id)).size, 30);
});

test('the passwords never appear in logs or notification records', async () => {
  const t = makeApp();
  const pay = await checkout(t);
  await t.app.request('/robokassa/result', form(signed({ outSum: '1500.000000', invId: pay.invoiceId, password: 'wrong' })));
  await t.app.request('/robokassa/result', form(signed({ outSum: '1500.000000', invId: pay.invoiceId })));
  const everything = JSON.stringify(t.logs) + JSON.stringify(await t.store.listNotifications());
  assert.ok(!everything.includes(PASSWORD1) && !everything.includes(PASSWORD2));
});

test('an InvId is never handed out again, even after its rows were deleted from the file', async () => {
  const { default: Database } = await import('better-sqlite3');
  const file = join(tempDir(), 'shop.sqlite');
  const first = makeApp({}, openSqliteStore(file));
  const a = await checkout(first);
  const b = await checkout(first);
  first.store.close();
  const db = new Database(file);
  db.exec(`DELETE FROM payments WHERE invoice_id = ${b.invoiceId}; DELETE FROM invoice_ids WHERE invoice_id = ${b.invoiceId};`);
  db.close();
  const second = makeApp({}, openSqliteStore(file));
  const c = await checkout(second);
  assert.ok(c.invoiceId > b.invoiceId && b.invoiceId > a.invoiceId, `${a.invoiceId} < ${b.invoiceId} < ${c.invoiceId}`);
  second.store.close();
});
