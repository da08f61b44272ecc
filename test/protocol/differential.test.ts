// Differential property tests against the independent npm package @dev-aces/robokassa 1.1.0 for
// plain, Shp_, OutSumCurrency and UserIp signatures and ResultURL verification. Not for Receipt:
// that package signs raw JSON, which the documentation does not (robokassa-protocol.md §3.4, §10).
//
// The only known difference is the Shp_ sort: it uses localeCompare on "name=value", we sort bytes
// (as Robokassa's official SDK). Cases where the two orders differ (e.g. Shp_a_b vs Shp_a1) are skipped
// with fc.pre; our builder refuses the truly ambiguous sets itself.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Robokassa } from '@dev-aces/robokassa';
import { calculateReceivingSignatureValue } from '@dev-aces/robokassa/lib/internal/calculateReceivingSignatureValue.js';
import {
  HASH_ALGORITHMS, INT32_MAX, RobokassaError, buildPaymentRequest, callbackSignatureBase, formatMinorUnits, parsePaymentRequest,
  sortedShpPairs, verifyResultUrl, type PaymentRequest,
} from '../../src/protocol/index.js';
import { nodeHasher } from '../../src/node-hasher.js';

const RUNS = 1000;
const printable = fc.string({ minLength: 1, maxLength: 20, unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)) });
const shpValue = fc.string({ maxLength: 16, unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)) });
const shpName = fc.stringMatching(/^Shp_[a-z][a-z0-9_]{0,7}$/);
const shpSet = fc.dictionary(shpName, shpValue, { maxKeys: 5 });
const amount = fc.bigInt({ min: 1n, max: 10n ** 12n }).map(formatMinorUnits);
const ip = fc.oneof(fc.ipV4(), fc.constantFrom('2001:db8::1', '::1', 'fe80::1ff:fe23:4567:890a'));

function localeOrder(shp: Record<string, string>): string[] {
  return Object.entries(shp).map(([k, v]) => `${k}=${v}`).sort((a, b) => a.localeCompare(b));
}

function sameOrder(shp: Record<string, string>): boolean {
  return JSON.stringify(localeOrder(shp)) === JSON.stringify(sortedShpPairs(shp));
}

test(`payment signatures equal @dev-aces/robokassa (plain, Shp_, OutSumCurrency, UserIp), ${RUNS} cases`, () => {
  let withShp = 0;
  let withCurrency = 0;
  let withIp = 0;
  fc.assert(fc.property(
    fc.stringMatching(/^[A-Za-z0-9._-]{1,20}$/), printable, fc.constantFrom(...HASH_ALGORITHMS), fc.boolean(),
    amount, fc.integer({ min: 1, max: INT32_MAX }),
    fc.option(fc.constantFrom('USD', 'EUR', 'KZT'), { nil: undefined }), fc.option(ip, { nil: undefined }),
    fc.option(shpSet, { nil: undefined }),
    (merchantLogin, password1, hashAlgorithm, isTest, outSum, invId, outSumCurrency, userIp, shp) => {
      fc.pre(shp === undefined || sameOrder(shp));
      const request: PaymentRequest = {
        outSum, invId, description: 'Order',
        ...(outSumCurrency !== undefined && { outSumCurrency }),
        ...(userIp !== undefined && { userIp }),
        ...(shp !== undefined && Object.keys(shp).length > 0 && { shp }),
      };
      try {
        parsePaymentRequest(request);
      } catch (e) {
        // only the name/name=value ambiguity may be refused here
        assert.ok(e instanceof RobokassaError && /sorts differently/.test(e.message), String(e));
        fc.pre(false);
      }
      const ours = buildPaymentRequest({ merchantLogin, hashAlgorithm, region: 'ru', test: isTest }, password1, request, nodeHasher);
      const theirs = new URL(new Robokassa({ merchantLogin, password1, password2: 'unused', hashAlgorithm, isTest }).generatePaymentUrl({
        outSum, invId, description: 'Order',
        ...(outSumCurrency !== undefined && { outSumCurrency }),
        ...(userIp !== undefined && { userIp }),
        ...(request.shp !== undefined && { userParameters: request.shp }),
      })).searchParams;
      assert.equal(ours.signature, theirs.get('SignatureValue'));
      // and the signed values travel identically
      const sent = new URL(ours.url).searchParams;
      for (const name of ['MerchantLogin', 'OutSum', 'InvId', 'OutSumCurrency', 'UserIp', ...Object.keys(request.shp ?? {})]) {
        assert.equal(sent.get(name), theirs.get(name), name);
      }
      if (request.shp) withShp++;
      if (outSumCurrency) withCurrency++;
      if (userIp) withIp++;
    },
  ), { numRuns: RUNS });
  // the generators really exercised each modifier
  assert.ok(withShp > RUNS / 10 && withCurrency > RUNS / 10 && withIp > RUNS / 10, `${withShp} ${withCurrency} ${withIp}`);
});

test(`ResultURL verification agrees with @dev-aces/robokassa, ${RUNS} cases`, () => {
  fc.assert(fc.property(
    printable, fc.constantFrom(...HASH_ALGORITHMS),
    amount, fc.boolean(), fc.integer({ min: 1, max: INT32_MAX }), shpSet, fc.nat(), fc.boolean(),
    (password2, hashAlgorithm, outSum2, sixDecimals, invId, shp, flipAt, upper) => {
      fc.pre(sameOrder(shp));
      const outSum = sixDecimals ? `${outSum2}0000` : outSum2; // Robokassa sends 100.000000
      const checker = new Robokassa({ merchantLogin: 'm', password1: 'unused', password2, hashAlgorithm });

      // their signature is accepted by us (Robokassa sends upper case; case must not matter)
      const theirs = calculateReceivingSignatureValue({ hashAlgorithm, password2, response: { OutSum: outSum, InvId: invId, ...shp } });
      const received = { OutSum: outSum, InvId: String(invId), SignatureValue: upper ? theirs.toUpperCase() : theirs, ...shp };
      const parsed = verifyResultUrl(received, password2, hashAlgorithm, nodeHasher);
      assert.equal(parsed.outSum, outSum);

      // our signature is accepted by them
      const ours = nodeHasher(hashAlgorithm, callbackSignatureBase({ outSum, invId: String(invId), password: password2, shp }));
      assert.equal(ours, theirs);
      assert.ok(checker.checkPayment({ OutSum: outSum, InvId: invId, SignatureValue: ours, Fee: '0', PaymentMethod: 'BankCard', IncCurrLabel: 'BankCard', ...shp }));

      // one changed hex digit: both refuse
      const i = flipAt % ours.length;
      const flipped = `${ours.slice(0, i)}${ours[i] === '0' ? '1' : '0'}${ours.slice(i + 1)}`;
      assert.ok(!checker.checkPayment({ OutSum: outSum, InvId: invId, SignatureValue: flipped, Fee: '0', PaymentMethod: 'BankCard', IncCurrLabel: 'BankCard', ...shp }));
      assert.throws(() => verifyResultUrl({ ...received, SignatureValue: flipped }, password2, hashAlgorithm, nodeHasher), { code: 'signature_mismatch' });
    },
  ), { numRuns: RUNS });
});
