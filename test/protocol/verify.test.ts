// ResultURL / SuccessURL / FailURL parsing and verification, and tampering.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  FailNotification, ResultNotification, SuccessNotification, RobokassaError, callbackSignatureBase, parseCallback,
  resultAnswer, timingSafeEqualHex, verifyResultUrl, verifySuccessUrl, HASH_ALGORITHMS,
} from '../../src/protocol/index.js';
import { nodeHasher } from '../../src/node-hasher.js';

const base = { OutSum: '100.000000', InvId: '450009', SignatureValue: '4ADCEF23DEDED52FAEF69A96EFDF67E8', Shp_oplata: '1', Shp_login: 'Vasya' };

test('timingSafeEqualHex ignores hex case only', () => {
  assert.ok(timingSafeEqualHex('abcdef0123', 'ABCDEF0123'));
  assert.ok(!timingSafeEqualHex('abcdef0123', 'abcdef0124'));
  assert.ok(!timingSafeEqualHex('abc', 'abcd'));
  assert.ok(!timingSafeEqualHex('', 'a'));
  assert.ok(timingSafeEqualHex('', ''));
  assert.ok(!timingSafeEqualHex('g', 'G')); // only A–F fold
});

test('a valid ResultURL: parsed fields, as received', () => {
  const p = verifyResultUrl({ ...base, Fee: '3.900000', EMail: 'a@b.c', PaymentMethod: 'BankCard', IncCurrLabel: 'BankCardPSR', IsTest: '1', Culture: 'ru' }, 'password_2', 'md5', nodeHasher);
  assert.deepEqual(p, {
    outSum: '100.000000', invId: '450009', signature: base.SignatureValue, shp: { Shp_oplata: '1', Shp_login: 'Vasya' },
    culture: 'ru', email: 'a@b.c', fee: '3.900000', paymentMethod: 'BankCard', incCurrLabel: 'BankCardPSR', isTest: true,
  });
  assert.equal(resultAnswer(p.invId), 'OK450009');
});

test('a wrong password or algorithm gives signature_mismatch with the hint', () => {
  for (const [password, alg] of [['password_1', 'md5'], ['password_2', 'sha1']] as const) {
    assert.throws(() => verifyResultUrl(base, password, alg, nodeHasher), (e: unknown) => {
      assert.ok(e instanceof RobokassaError);
      assert.equal(e.code, 'signature_mismatch');
      assert.equal(e.field, 'SignatureValue');
      assert.match(e.message, /signature mismatch: check Password #2 and the hash algorithm chosen in the Robokassa cabinet/);
      return true;
    });
  }
  assert.throws(() => verifySuccessUrl(base, 'password_1', 'md5', nodeHasher), /check Password #1/);
});

test('tampering with OutSum, InvId, a Shp_ value or one hex digit fails', () => {
  const tampered: Record<string, string>[] = [
    { ...base, OutSum: '100.000001' },
    { ...base, OutSum: '100.00' }, // re-formatted: the signature covers the string as received
    { ...base, OutSum: '1000.000000' },
    { ...base, InvId: '450008' },
    { ...base, Shp_login: 'Vasyа' }, // Cyrillic а
    { ...base, Shp_oplata: '2' },
    { ...base, Shp_extra: '1' },
    { OutSum: base.OutSum, InvId: base.InvId, SignatureValue: base.SignatureValue, Shp_login: 'Vasya' }, // a Shp_ dropped
    { ...base, SignatureValue: '4ADCEF23DEDED52FAEF69A96EFDF67E9' },
    { ...base, SignatureValue: '4ADCEF23DEDED52FAEF69A96EFDF67E' },
    { ...base, SignatureValue: `${base.SignatureValue}0` },
  ];
  for (const params of tampered) {
    assert.throws(() => verifyResultUrl(params, 'password_2', 'md5', nodeHasher), { code: 'signature_mismatch' }, JSON.stringify(params));
  }
});

test('property: changing any one hex digit of the signature, or OutSum/InvId/Shp_, fails', () => {
  const digits = '0123456789abcdef';
  fc.assert(fc.property(
    fc.constantFrom(...HASH_ALGORITHMS),
    fc.bigInt({ min: 1n, max: 10n ** 12n }), fc.integer({ min: 1, max: 2147483647 }),
    fc.dictionary(fc.stringMatching(/^Shp_[a-z][a-z0-9_]{0,8}$/), fc.stringMatching(/^[A-Za-z0-9._@-]{0,12}$/), { maxKeys: 4 }),
    fc.nat(), fc.nat(), fc.boolean(),
    (alg, minor, invId, shp, position, replacement, upper) => {
      const outSum = `${minor / 100n}.${String(minor % 100n).padStart(2, '0')}0000`;
      const sig = nodeHasher(alg, callbackSignatureBase({ outSum, invId: String(invId), password: 'pw2', shp }));
      const sent = upper ? sig.toUpperCase() : sig;
      const params = { OutSum: outSum, InvId: String(invId), SignatureValue: sent, ...shp };
      verifyResultUrl(params, 'pw2', alg, nodeHasher);
      const i = position % sig.length;
      const original = sig[i] ?? '0';
      const other = digits.replace(original, '')[replacement % 15] ?? '0';
      const flipped = `${sent.slice(0, i)}${upper ? other.toUpperCase() : other}${sent.slice(i + 1)}`;
      assert.throws(() => verifyResultUrl({ ...params, SignatureValue: flipped }, 'pw2', alg, nodeHasher), { code: 'signature_mismatch' });
      assert.throws(() => verifyResultUrl({ ...params, OutSum: `${outSum}1` }, 'pw2', alg, nodeHasher), { code: 'signature_mismatch' });
      assert.throws(() => verifyResultUrl({ ...params, InvId: String(invId + 1) }, 'pw2', alg, nodeHasher), { code: 'signature_mismatch' });
      const [firstShp] = Object.keys(shp);
      if (firstShp !== undefined) {
        assert.throws(() => verifyResultUrl({ ...params, [firstShp]: `${shp[firstShp] ?? ''}x` }, 'pw2', alg, nodeHasher), { code: 'signature_mismatch' });
      }
    },
  ), { numRuns: 300 });
});

test('parseCallback: missing, malformed and duplicated parameters', () => {
  assert.throws(() => parseCallback({ InvId: '5', SignatureValue: 'ab' }), { code: 'missing_field', field: 'OutSum' });
  assert.throws(() => parseCallback({ OutSum: '5.00', SignatureValue: 'ab' }), { code: 'missing_field', field: 'InvId' });
  assert.throws(() => parseCallback({ OutSum: '5.00', InvId: '' }), { code: 'missing_field', field: 'InvId' });
  assert.throws(() => parseCallback({ OutSum: '5,00', InvId: '5' }), { code: 'invalid_amount', field: 'OutSum' });
  assert.throws(() => parseCallback({ OutSum: '5.00', InvId: '5a' }), { code: 'invalid_field', field: 'InvId' });
  assert.throws(() => parseCallback(new URLSearchParams('OutSum=5.00&InvId=5&OutSum=6.00')), { code: 'invalid_field', field: 'OutSum' });
  assert.throws(() => parseCallback(new URLSearchParams('OutSum=5.00&InvId=5&Shp_a=1&Shp_a=2')), { code: 'invalid_field', field: 'Shp_a' });
  assert.throws(() => parseCallback({ OutSum: '5.00', InvId: '5', Shp_a: 1 } as unknown as Record<string, string>), { code: 'invalid_field', field: 'Shp_a' });
  assert.throws(() => verifyResultUrl({ OutSum: '5.00', InvId: '5' }, 'p', 'md5', nodeHasher), { code: 'missing_field', field: 'SignatureValue' });
});

test('parseCallback keeps every Shp_ spelling, ignores other extras, reads FailURL without a signature', () => {
  const p = parseCallback(new URLSearchParams('OutSum=10.000000&InvId=7&Culture=en&SHP_A=1&shp_b=2&Shp_c=3&shpd=4&crc=XYZ&IsTest=0'));
  assert.deepEqual(p, { outSum: '10.000000', invId: '7', shp: { SHP_A: '1', shp_b: '2', Shp_c: '3' }, culture: 'en', isTest: false });
  assert.ok(!('signature' in p));
});

test('mixed-case Shp_ names are sorted by byte order when verifying (as the official SDK signs)', () => {
  const shp = { Shp_order: '25', shp_label: 'widget', Shp_Zeta: 'z' };
  // V4b "ASCII" variant from robokassa-protocol.md §9
  assert.equal(callbackSignatureBase({ outSum: '1', invId: '2', password: 'p', shp }), '1:2:p:Shp_Zeta=z:Shp_order=25:shp_label=widget');
});

test('notification schemas accept what Robokassa sends and keep extra fields', () => {
  const r = ResultNotification.parse({ ...base, Fee: '1.0', IncSum: '100.000000' });
  assert.equal(r['Shp_login'], 'Vasya');
  assert.equal(SuccessNotification.parse({ ...base, Culture: 'ru' }).OutSum, '100.000000');
  assert.equal(FailNotification.parse({ OutSum: '100.000000', InvId: '1', Culture: 'ru' }).InvId, '1');
  assert.ok(!ResultNotification.safeParse({ OutSum: '100.000000', InvId: '1' }).success);
  assert.ok(!FailNotification.safeParse({ OutSum: 'x', InvId: '1' }).success);
});
