// ResultURL under replay and forgery: one paid transition and one onPaid however often a valid
// notification comes; unknown InvIds, lower amounts, other shops' signatures and test-mode notifications
// in live mode are refused, recorded as refused, and change no payment.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PASSWORD1, PASSWORD2, checkout, form, peer, signed } from '../helpers.js';
import { fileApp, snapshot } from './support.js';

test('a valid notification replayed 100 times: one paid transition, one onPaid, 100 × OK, paidAt never moves', async () => {
  const t = fileApp();
  try {
    const pay = await checkout(t);
    const params = signed({ outSum: '1500.000000', invId: pay.invoiceId, shp: { Shp_order: 'A-1' }, extra: { Fee: '30.00', PaymentMethod: 'BankCard' } });
    let paidAt: string | null = null;
    for (let i = 0; i < 100; i++) {
      // GET and POST alike: the cabinet's method may change between retries
      const res = i % 2 === 0
        ? await t.app.request('/robokassa/result', form(params))
        : await t.app.request(`/robokassa/result?${params}`);
      assert.equal(res.status, 200);
      assert.equal(await res.text(), `OK${pay.invoiceId}`);
      const row = t.db.prepare('SELECT status, paid_at FROM payments WHERE id = ?').get(pay.id) as { status: string; paid_at: string };
      assert.equal(row.status, 'paid');
      paidAt ??= row.paid_at;
      assert.equal(row.paid_at, paidAt);
    }
    assert.equal(t.paid.length, 1);
    const verdicts = (await t.store.listNotifications(pay.invoiceId)).map((n) => n.verdict);
    assert.equal(verdicts.filter((v) => v === 'paid').length, 1);
    assert.equal(verdicts.filter((v) => v === 'duplicate').length, 99);
    assert.equal(t.logs.filter((l) => l['event'] === 'paid').length, 1);
  } finally {
    t.close();
  }
});

interface Forgery { name: string; params: (invoiceId: number) => URLSearchParams; verdict: string; env?: Record<string, string> }

const OTHER_SHOP_PASSWORD2 = 'another-shops-password-2';
const LIVE1 = 'live-password-one-1';
const LIVE2 = 'live-password-two-2';

const FORGERIES: Forgery[] = [
  { name: 'an unknown InvId (correctly signed)', params: () => signed({ outSum: '1500.000000', invId: 777777 }), verdict: 'unknown_invoice' },
  { name: 'an InvId beyond int32 (correctly signed)', params: () => signed({ outSum: '1500.000000', invId: '99999999999' }), verdict: 'unknown_invoice' },
  { name: 'a lower amount (correctly signed for it)', params: (id) => signed({ outSum: '1499.990000', invId: id }), verdict: 'amount_mismatch' },
  { name: 'a lower amount under the original signature', params: (id) => { const p = signed({ outSum: '1500.000000', invId: id }); p.set('OutSum', '1.000000'); return p; }, verdict: 'bad_signature' },
  { name: 'a higher amount (correctly signed for it)', params: (id) => signed({ outSum: '15000.000000', invId: id }), verdict: 'amount_mismatch' },
  { name: 'a signature made with another shop\'s Password #2', params: (id) => signed({ outSum: '1500.000000', invId: id, password: OTHER_SHOP_PASSWORD2 }), verdict: 'bad_signature' },
  { name: 'a signature made with Password #1', params: (id) => signed({ outSum: '1500.000000', invId: id, password: PASSWORD1 }), verdict: 'bad_signature' },
  { name: 'a signature with another hash algorithm', params: (id) => signed({ outSum: '1500.000000', invId: id, algorithm: 'sha256' }), verdict: 'bad_signature' },
  { name: 'an added Shp_ parameter', params: (id) => { const p = signed({ outSum: '1500.000000', invId: id }); p.set('Shp_discount', '99'); return p; }, verdict: 'bad_signature' },
  { name: 'an empty signature', params: (id) => { const p = signed({ outSum: '1500.000000', invId: id }); p.set('SignatureValue', ''); return p; }, verdict: 'malformed' },
  { name: 'a doubled OutSum', params: (id) => { const p = signed({ outSum: '1500.000000', invId: id }); p.append('OutSum', '1.00'); return p; }, verdict: 'malformed' },
  {
    name: 'the test password pair while in live mode',
    env: { ROBOKASSA_TEST: '0', ROBOKASSA_PASSWORD1: LIVE1, ROBOKASSA_PASSWORD2: LIVE2 },
    params: (id) => signed({ outSum: '1500.000000', invId: id, password: PASSWORD2, extra: { IsTest: '1' } }),
    verdict: 'bad_signature',
  },
  {
    // a shop that reused its live passwords as the test pair: Robokassa then signs a (moneyless) test
    // payment with them, and IsTest=1 is the only thing that tells it apart
    name: 'a test-mode notification (IsTest=1) in live mode, even when signed with the live Password #2',
    env: { ROBOKASSA_TEST: '0', ROBOKASSA_PASSWORD1: LIVE1, ROBOKASSA_PASSWORD2: LIVE2 },
    params: (id) => signed({ outSum: '1500.000000', invId: id, password: LIVE2, extra: { IsTest: '1' } }),
    verdict: 'test_payment',
  },
];

for (const f of FORGERIES) {
  test(`ResultURL refuses ${f.name}: 400, recorded as ${f.verdict}, no payment changed, no onPaid`, async () => {
    const t = fileApp(f.env);
    try {
      const pay = await checkout(t);
      const before = snapshot(t.db);
      const params = f.params(pay.invoiceId);
      for (const init of [form(params), undefined]) {
        const res = init ? await t.app.request('/robokassa/result', init) : await t.app.request(`/robokassa/result?${params}`);
        assert.equal(res.status, 400);
        const text = await res.text();
        assert.ok(!text.startsWith('OK'), text);
        assert.ok(!text.includes(PASSWORD2) && !text.includes(LIVE2));
      }
      const after = snapshot(t.db);
      assert.equal(after.states, before.states, 'a payment changed');
      assert.equal(after.payments, before.payments);
      assert.equal(after.notifications, before.notifications + 2, 'each refusal is recorded');
      const recorded = (await t.store.listNotifications()).slice(-2);
      assert.deepEqual(recorded.map((n) => [n.kind, n.verdict]), [['result', f.verdict], ['result', f.verdict]]);
      assert.equal(t.paid.length, 0);
      assert.ok(t.logs.some((l) => l['event'] === 'result_rejected' && l['verdict'] === f.verdict));
      // and the genuine notification still goes through afterwards
      const genuine = signed({ outSum: '1500.000000', invId: pay.invoiceId, password: f.env?.ROBOKASSA_PASSWORD2 ?? PASSWORD2, ...(f.env?.ROBOKASSA_TEST === '0' ? {} : { extra: { IsTest: '1' } }) });
      const ok = await t.app.request('/robokassa/result', form(genuine));
      assert.equal(await ok.text(), `OK${pay.invoiceId}`);
      assert.equal(t.paid.length, 1);
    } finally {
      t.close();
    }
  });
}

test('in test mode a notification with IsTest=1 is accepted (the sandbox and the demo send it)', async () => {
  const t = fileApp();
  try {
    const pay = await checkout(t);
    const res = await t.app.request('/robokassa/result', form(signed({ outSum: '1500.000000', invId: pay.invoiceId, extra: { IsTest: '1' } })));
    assert.equal(await res.text(), `OK${pay.invoiceId}`);
  } finally {
    t.close();
  }
});

test('a flood of forged notifications from one address: every one refused, but only the first 120 a minute are recorded (no disk filling); other addresses and genuine notifications are unaffected', async () => {
  const t = fileApp({ ROBOKASSA_TRUST_PROXY: '127.0.0.1' });
  try {
    const pay = await checkout(t);
    const from = (addr: string, params: URLSearchParams): RequestInit => ({ ...form(params), headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': addr } });
    const before = snapshot(t.db).notifications;
    for (let i = 0; i < 300; i++) {
      const res = await t.app.request('/robokassa/result', from('198.51.100.9', signed({ outSum: '1500.000000', invId: pay.invoiceId, password: `guess-${i}` })), peer('127.0.0.1'));
      assert.equal(res.status, 400);
    }
    const recorded = snapshot(t.db).notifications - before;
    assert.ok(recorded >= 120 && recorded <= 125, `${recorded} refusals recorded`);
    assert.ok(t.logs.some((l) => l['event'] === 'result_rejected_unrecorded'), 'the unrecorded ones are counted in the log');
    // another address is still recorded, and a genuine notification from the flooding address still pays
    await t.app.request('/robokassa/result', from('203.0.113.5', signed({ outSum: '1500.000000', invId: pay.invoiceId, password: 'other' })), peer('127.0.0.1'));
    assert.equal(snapshot(t.db).notifications - before, recorded + 1);
    const ok = await t.app.request('/robokassa/result', from('198.51.100.9', signed({ outSum: '1500.000000', invId: pay.invoiceId })), peer('127.0.0.1'));
    assert.equal(await ok.text(), `OK${pay.invoiceId}`);
    assert.equal(t.paid.length, 1);
  } finally {
    t.close();
  }
});
