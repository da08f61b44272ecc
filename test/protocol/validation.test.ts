// Bad input is refused with one RobokassaError naming the field; no message ever carries a password.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  MerchantSettings, PaymentRequest, Receipt, RobokassaError, buildPaymentRequest, opStateRequestUrl, parseHashAlgorithm,
  parseMerchantSettings, parsePaymentRequest, parseReceipt, verifyResultUrl, verifySuccessUrl, type Hasher,
} from '../../src/protocol/index.js';
import { nodeHasher } from '../../src/node-hasher.js';

const settings: MerchantSettings = { merchantLogin: 'robo-demo', hashAlgorithm: 'md5', region: 'ru', test: true };
const good = { outSum: '100.00', invId: 1, description: 'Order 1' };

function refused(fn: () => unknown, field: string, code?: RobokassaError['code']): RobokassaError {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  assert.ok(caught instanceof RobokassaError, `expected a RobokassaError, got ${String(caught)}`);
  assert.equal(caught.field, field, caught.message);
  assert.ok(caught.message.startsWith(`${field}: `), `message names the field: ${caught.message}`);
  if (code) assert.equal(caught.code, code, caught.message);
  return caught;
}

test('a good request passes the schema unchanged', () => {
  assert.deepEqual(parsePaymentRequest(good), good);
});

for (const outSum of ['1e3', '-1', '0', '0.001', '10.5.1', ' 10', 'NaN', 1e21]) {
  test(`OutSum ${JSON.stringify(outSum)} is refused`, () => {
    const e = refused(() => buildPaymentRequest(settings, 'password_1', { ...good, outSum } as PaymentRequest, nodeHasher), 'OutSum', 'invalid_amount');
    assert.doesNotMatch(e.message, /password_1/);
  });
}

for (const invId of [0, -1, 2147483648, '12a', 1.5, '5', null]) {
  test(`InvId ${JSON.stringify(invId)} is refused`, () => {
    const e = refused(() => buildPaymentRequest(settings, 'password_1', { ...good, invId } as unknown as PaymentRequest, nodeHasher), 'InvId', 'invalid_field');
    assert.match(e.message, /1 to 2147483647/);
  });
}

test('InvId 2147483647 (int32 max) is accepted', () => {
  assert.equal(buildPaymentRequest(settings, 'p', { ...good, invId: 2147483647 }, nodeHasher).form.fields['InvId'], '2147483647');
});

test('a missing InvId is refused as missing unless the caller allows it', () => {
  const { invId: _omit, ...draft } = good;
  refused(() => buildPaymentRequest(settings, 'p', draft, nodeHasher), 'InvId', 'missing_field');
  assert.equal(buildPaymentRequest(settings, 'p', draft, nodeHasher, { allowMissingInvId: true }).form.fields['InvId'], undefined);
});

test('Description of 101 characters is refused, 100 accepted', () => {
  refused(() => parsePaymentRequest({ ...good, description: 'x'.repeat(101) }), 'Description', 'invalid_field');
  assert.equal(parsePaymentRequest({ ...good, description: 'Я'.repeat(100) }).description.length, 100);
  refused(() => parsePaymentRequest({ ...good, description: 'line\nbreak' }), 'Description');
});

for (const name of ['Shp item', 'Shp_item id', 'Shp_товар', 'Shp_Товар', 'shp_item', 'SHP_item', 'Shp_Item', 'Shp_', 'item']) {
  test(`Shp name ${JSON.stringify(name)} is refused, naming it`, () => {
    const e = refused(() => parsePaymentRequest({ ...good, shp: { [name]: '1' } }), name, 'invalid_field');
    assert.match(e.message, /Shp_/);
  });
}

test('Shp values must be printable ASCII; ambiguous sort orders are refused', () => {
  refused(() => parsePaymentRequest({ ...good, shp: { Shp_name: 'Вася' } }), 'Shp_name');
  refused(() => parsePaymentRequest({ ...good, shp: { Shp_a: '1', Shp_a1: '2' } }), 'Shp_a');
  assert.deepEqual(parsePaymentRequest({ ...good, shp: { Shp_a: '1', Shp_ab: '2', Shp_a_b: '3' } }).shp, { Shp_a: '1', Shp_ab: '2', Shp_a_b: '3' });
});

const line = { name: 'Course', quantity: 1, sum: '100.00', tax: 'none' } as const;

test('receipt lines must add up to OutSum exactly', () => {
  const e = refused(
    () => buildPaymentRequest(settings, 'password_1', { ...good, receipt: { items: [line, { ...line, sum: '0.01' }] } }, nodeHasher),
    'Receipt', 'receipt_total_mismatch',
  );
  assert.match(e.message, /100\.01/);
  assert.match(e.message, /100\.00/);
  buildPaymentRequest(settings, 'p', { ...good, receipt: { items: [{ ...line, sum: '99.99' }, { ...line, sum: '0.01' }] } }, nodeHasher);
});

test('receipt item name of 129 characters is refused, 128 accepted', () => {
  refused(() => parseReceipt({ items: [{ ...line, name: 'n'.repeat(129) }] }), 'Receipt.items[0].name', 'invalid_field');
  refused(() => parsePaymentRequest({ ...good, receipt: { items: [line, { ...line, name: 'n'.repeat(129) }] } }), 'Receipt.items[1].name');
  assert.equal(parseReceipt({ items: [{ ...line, name: 'n'.repeat(128) }] }).items[0]?.name.length, 128);
});

test('receipt fields are checked: tax sets, sums, quantities, unknown keys', () => {
  for (const tax of ['vat20', 'vat12', 'vat16', 'vat22', 'vat122', 'none']) parseReceipt({ items: [{ ...line, tax }] });
  refused(() => parseReceipt({ items: [{ ...line, tax: 'vat18' }] }), 'Receipt.items[0].tax');
  refused(() => parseReceipt({ items: [{ ...line, sum: 100 }] }), 'Receipt.items[0].sum', 'invalid_amount');
  refused(() => parseReceipt({ items: [{ ...line, sum: '1.001' }] }), 'Receipt.items[0].sum', 'invalid_amount');
  refused(() => parseReceipt({ items: [{ ...line, sum: '123456789.00' }] }), 'Receipt.items[0].sum');
  refused(() => parseReceipt({ items: [{ ...line, quantity: 0 }] }), 'Receipt.items[0].quantity');
  refused(() => parseReceipt({ items: [{ ...line, quantity: 0.0001 }] }), 'Receipt.items[0].quantity');
  refused(() => parseReceipt({ items: [{ ...line, paymentMethod: 'full_payment' }] }), 'Receipt.items[0].paymentMethod');
  refused(() => parseReceipt({ sno: 'simplified', items: [line] }), 'Receipt.sno');
  refused(() => parseReceipt({ items: [] }), 'Receipt.items');
  refused(() => parseReceipt({}), 'Receipt.items', 'missing_field');
});

test('a Kazakh shop cannot send a Russian VAT code', () => {
  const kz: MerchantSettings = { ...settings, region: 'kz' };
  refused(() => buildPaymentRequest(kz, 'p', { ...good, receipt: { items: [{ ...line, tax: 'vat20' }] } }, nodeHasher), 'Receipt.items[0].tax');
  buildPaymentRequest(kz, 'p', { ...good, receipt: { items: [{ ...line, tax: 'vat12' }] } }, nodeHasher);
});

test('other request fields are checked and named', () => {
  refused(() => parsePaymentRequest({ ...good, culture: 'de' }), 'Culture');
  refused(() => parsePaymentRequest({ ...good, email: 'not-an-email' }), 'Email');
  refused(() => parsePaymentRequest({ ...good, outSumCurrency: 'RUB' }), 'OutSumCurrency');
  refused(() => parsePaymentRequest({ ...good, userIp: '300.1.1.1' }), 'UserIp');
  refused(() => parsePaymentRequest({ ...good, expirationDate: 'tomorrow' }), 'ExpirationDate');
  refused(() => parsePaymentRequest({ ...good, incCurrLabel: 'Bank Card' }), 'IncCurrLabel');
  refused(() => parsePaymentRequest({ ...good, amount: '5' }), 'amount');
  assert.equal(parsePaymentRequest({ ...good, userIp: '2001:db8::1' }).userIp, '2001:db8::1');
  assert.equal(parsePaymentRequest({ ...good, expirationDate: '2010-02-11T16:07:11.6973153+03:00' }).expirationDate, '2010-02-11T16:07:11.6973153+03:00');
});

test('unknown hash algorithm is refused everywhere it can enter', () => {
  refused(() => parseHashAlgorithm('md4'), 'hashAlgorithm', 'unknown_algorithm');
  assert.equal(parseHashAlgorithm('SHA256'), 'sha256');
  refused(() => parseMerchantSettings({ ...settings, hashAlgorithm: 'crc32' }), 'hashAlgorithm', 'unknown_algorithm');
  refused(() => buildPaymentRequest({ ...settings, hashAlgorithm: 'sha3' } as unknown as MerchantSettings, 'p', good, nodeHasher), 'hashAlgorithm', 'unknown_algorithm');
  refused(() => verifyResultUrl({ OutSum: '1', InvId: '1', SignatureValue: 'ab' }, 'p', 'gost' as never, nodeHasher), 'hashAlgorithm', 'unknown_algorithm');
});

test('merchant settings are checked', () => {
  refused(() => parseMerchantSettings({ ...settings, merchantLogin: 'shop:1' }), 'MerchantLogin');
  refused(() => parseMerchantSettings({ ...settings, region: 'by' }), 'region');
  refused(() => parseMerchantSettings({ ...settings, test: 'yes' }), 'test');
  refused(() => parseMerchantSettings({ ...settings, paymentUrl: 'ftp://x/Merchant/Index.aspx' }), 'paymentUrl');
  refused(() => parseMerchantSettings({ hashAlgorithm: 'md5', region: 'ru', test: false }), 'MerchantLogin', 'missing_field');
  assert.ok(MerchantSettings.def !== undefined);
  assert.ok(Receipt.def !== undefined);
});

test('empty passwords are refused as missing, naming which one', () => {
  refused(() => buildPaymentRequest(settings, '', good, nodeHasher), 'password1', 'missing_field');
  refused(() => verifyResultUrl({ OutSum: '1', InvId: '1', SignatureValue: 'ab' }, '', 'md5', nodeHasher), 'password2', 'missing_field');
  refused(() => verifySuccessUrl({ OutSum: '1', InvId: '1', SignatureValue: 'ab' }, '', 'md5', nodeHasher), 'password1', 'missing_field');
  refused(() => opStateRequestUrl(settings, '5', '', nodeHasher), 'password2', 'missing_field');
});

test('property: no error message ever contains a password', () => {
  // Passwords of 6+ printable characters, unlikely to occur by chance in a message.
  const password = fc.string({ minLength: 6, maxLength: 24, unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%^&*()_-=+[]{};\'",.<>/?~'.split('')) });
  const badRequest = fc.oneof(
    fc.constant({ ...good, outSum: '1e3' }),
    fc.constant({ ...good, invId: 0 }),
    fc.constant({ ...good, description: 'd'.repeat(101) }),
    fc.constant({ ...good, shp: { 'Shp bad': 'x' } }),
    fc.constant({ ...good, receipt: { items: [{ ...line, sum: '1.00' }] } }),
  );
  const recording: Hasher = (alg, input) => nodeHasher(alg, input);
  fc.assert(fc.property(password, password, badRequest, (p1, p2, request) => {
    const messages: string[] = [];
    const collect = (fn: () => unknown): void => {
      try {
        fn();
      } catch (e) {
        assert.ok(e instanceof RobokassaError);
        // the stack's frames are code locations ("at Property.run (…fast-check…)"), where a drawn password
        // like "proper" turns up by chance; what the error says is its message and the stack's header
        messages.push(e.message, String(e), (e.stack ?? '').split('\n').filter((line) => !/^\s+at /.test(line)).join('\n'));
      }
    };
    // the password also appears as a request value, to show messages never echo it back through the base string
    collect(() => buildPaymentRequest(settings, p1, request as PaymentRequest, recording));
    collect(() => buildPaymentRequest(settings, p1, { ...good, shp: { Shp_bad: `${p1}\u0000` } }, recording));
    collect(() => verifyResultUrl({ OutSum: '100.00', InvId: '5', SignatureValue: 'ABCDEF' }, p2, 'md5', recording));
    collect(() => verifySuccessUrl({ OutSum: '100.00', InvId: '5', SignatureValue: 'ABCDEF' }, p1, 'sha256', recording));
    collect(() => verifyResultUrl({ OutSum: '100.00', InvId: '5' }, p2, 'md5', recording));
    collect(() => opStateRequestUrl(settings, 'x', p2, recording));
    assert.equal(messages.length, 18);
    for (const m of messages) {
      assert.ok(!m.includes(p1) && !m.includes(p2), `message leaks a password: ${m}`);
    }
  }), { numRuns: 200 });
});
