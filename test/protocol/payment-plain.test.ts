// plainPaymentRequest: the hand-written check the signer runs before zod. Whatever it accepts, zod must
// accept and return the same; whatever zod refuses, it must leave to zod (undefined), so the errors are zod's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as z from 'zod/mini';
import { PaymentRequest, paymentSigner, type MerchantSettings } from '../../src/protocol/index.js';
import { plainPaymentRequest } from '../../src/protocol/payment.js';
import { nodeHasher } from '../../src/node-hasher.js';

const base = { outSum: '1500.00', invId: 42, description: 'Basic course', shp: { Shp_rk: '0123456789abcdef0123456789abcdef' } };

const cases: [string, unknown][] = [
  ['the checkout route\'s shape', base],
  ['with culture and e-mail', { ...base, culture: 'en', email: 'buyer@example.com' }],
  ['culture ru', { ...base, culture: 'ru' }],
  ['no shp', { outSum: '1.5', invId: 1, description: '' }],
  ['InvId at the int32 limit', { ...base, invId: 2147483647 }],
  ['description of 100 characters', { ...base, description: 'x'.repeat(100) }],
  ['description of 100 UTF-16 units with a surrogate pair', { ...base, description: `${'x'.repeat(98)}😀` }],
  ['Cyrillic description', { ...base, description: 'Курс «Основы» ×2, Книга' }],
  ['shp value of 500 characters', { ...base, shp: { Shp_rk: 'a'.repeat(500) } }],
  ['shp value with spaces and punctuation', { ...base, shp: { Shp_order_1: 'a b~!' } }],
  // refused by zod
  ['OutSum with 3 decimals', { ...base, outSum: '1500.001' }],
  ['OutSum zero', { ...base, outSum: '0.00' }],
  ['OutSum negative', { ...base, outSum: '-1' }],
  ['OutSum with a comma', { ...base, outSum: '1500,00' }],
  ['OutSum as a number', { ...base, outSum: 1500 }],
  ['OutSum empty', { ...base, outSum: '' }],
  ['OutSum with 9 integer digits', { ...base, outSum: '123456789.00' }],
  ['InvId 0', { ...base, invId: 0 }],
  ['InvId over int32', { ...base, invId: 2147483648 }],
  ['InvId fractional', { ...base, invId: 1.5 }],
  ['InvId as a string', { ...base, invId: '42' }],
  ['InvId NaN', { ...base, invId: Number.NaN }],
  ['InvId missing', { outSum: '1.00', description: 'x' }],
  ['description of 101 characters', { ...base, description: 'x'.repeat(101) }],
  ['description of 99 characters and a surrogate pair (101 units)', { ...base, description: `${'x'.repeat(99)}😀` }],
  ['description with a line break', { ...base, description: 'a\nb' }],
  ['description with a C1 control', { ...base, description: 'a\u0085b' }],
  ['description missing', { outSum: '1.00', invId: 1 }],
  ['culture kk', { ...base, culture: 'kk' }],
  ['culture undefined', { ...base, culture: undefined }],
  ['e-mail without a domain', { ...base, email: 'buyer@' }],
  ['e-mail with a space', { ...base, email: 'bu yer@example.com' }],
  ['shp name in capitals', { ...base, shp: { Shp_RK: 'x' } }],
  ['shp name without the prefix', { ...base, shp: { rk: 'x' } }],
  ['shp value with Cyrillic', { ...base, shp: { Shp_rk: 'ключ' } }],
  ['shp value of 501 characters', { ...base, shp: { Shp_rk: 'a'.repeat(501) } }],
  ['shp value a number', { ...base, shp: { Shp_rk: 1 } }],
  ['shp an array', { ...base, shp: ['x'] }],
  ['shp null', { ...base, shp: null }],
  ['an unknown field', { ...base, amount: '1500.00' }],
  ['null', null],
  ['an array', [base]],
  // accepted by zod but left to it (other shapes)
  ['two shp names', { ...base, shp: { Shp_a: '1', Shp_b: '2' } }],
  ['two shp names that sort differently', { ...base, shp: { Shp_a: '1', Shp_a1: '2' } }],
  ['with an expiration date', { ...base, expirationDate: '2029-01-16T12:00:00+03:00' }],
  ['with a receipt', { ...base, receipt: { items: [{ name: 'X', quantity: 1, sum: '1500.00', tax: 'none' }] } }],
  ['a class instance', Object.assign(new (class Req {})(), base)],
  ['shp with a null prototype', { ...base, shp: Object.assign(Object.create(null) as object, { Shp_rk: 'x' }) }],
];

for (const [name, input] of cases) {
  test(`plainPaymentRequest agrees with zod: ${name}`, () => {
    const zod = z.safeParse(PaymentRequest, input);
    const plain = plainPaymentRequest(input);
    if (plain !== undefined) {
      assert.ok(zod.success, 'accepted what zod refuses');
      assert.deepEqual(plain, zod.data);
    }
    if (!zod.success) assert.equal(plain, undefined);
  });
}

test('plainPaymentRequest takes the route\'s shapes (the fast path is the one a checkout uses)', () => {
  assert.notEqual(plainPaymentRequest(base), undefined);
  assert.notEqual(plainPaymentRequest({ ...base, culture: 'ru', email: 'a@b.kz' }), undefined);
});

test('each field is read once: a getter can\'t pass the check with one value and be signed with another', () => {
  let reads = 0;
  const tricky = { ...base };
  Object.defineProperty(tricky, 'outSum', { enumerable: true, get: () => (reads++ === 0 ? '1500.00' : '1.00') });
  const plain = plainPaymentRequest(tricky);
  assert.equal(plain?.outSum, '1500.00');
  assert.equal(reads, 1);
});

test('the signer still refuses a bad request with the field named (zod\'s error, not the fast path\'s silence)', () => {
  const settings: MerchantSettings = { merchantLogin: 'shop', hashAlgorithm: 'md5', region: 'kz', test: true };
  const sign = paymentSigner(settings, 'password_1', nodeHasher);
  assert.throws(() => sign({ ...base, description: 'a\nb' }), /Description: /);
  assert.throws(() => sign({ ...base, shp: { Shp_rk: 'ключ' } }), /Shp_rk: /);
  assert.throws(() => sign({ ...base, invId: 0 }), /InvId: /);
  // and signs the fast path's request exactly as zod's
  const fast = sign(base);
  assert.match(fast.url, /InvId=42&Description=Basic%20course&SignatureValue=[0-9a-f]{32}&Encoding=utf-8&IsTest=1&Shp_rk=0123456789abcdef0123456789abcdef$/);
});
