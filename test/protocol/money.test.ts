import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  RobokassaError, amountJsonToken, amountsEqual, formatMinorUnits, multiplyAmount, parseAmount, sumAmounts, toMinorUnits,
} from '../../src/protocol/index.js';

test('parseAmount gives two decimals', () => {
  assert.equal(parseAmount('1500'), '1500.00');
  assert.equal(parseAmount('1500.5'), '1500.50');
  assert.equal(parseAmount('0.01'), '0.01');
  assert.equal(parseAmount('100.00'), '100.00');
  assert.equal(parseAmount(10.5), '10.50');
  assert.equal(parseAmount(42), '42.00');
  assert.equal(parseAmount('999999999999.99'), '999999999999.99');
});

const badAmounts: unknown[] = ['1e3', '-1', '0', '0.00', '0.001', '10.5.1', ' 10', '10 ', 'NaN', 1e21, NaN, Infinity, -5, 0, '', '1,50', '01.00', '.5', '5.', '+5', '0x10', '1000000000000.00', null, undefined, {}, []];
for (const bad of badAmounts) {
  test(`parseAmount refuses ${typeof bad === 'string' ? JSON.stringify(bad) : String(bad)}, naming the field`, () => {
    assert.throws(() => parseAmount(bad, 'OutSum'), (e: unknown) => {
      assert.ok(e instanceof RobokassaError);
      assert.equal(e.code, 'invalid_amount');
      assert.equal(e.field, 'OutSum');
      assert.match(e.message, /^OutSum: /);
      return true;
    });
  });
}

test('multiplyAmount is exact, also for fractional quantities', () => {
  assert.equal(multiplyAmount('1500.00', 3), '4500.00');
  assert.equal(multiplyAmount('0.10', 3), '0.30'); // 0.1 * 3 in floats is 0.30000000000000004
  assert.equal(multiplyAmount('100.00', 0.333), '33.30');
  assert.equal(multiplyAmount('19.99', 1), '19.99');
  assert.throws(() => multiplyAmount('10.01', 0.5), { code: 'invalid_amount' });
  assert.throws(() => multiplyAmount('10.00', 0), { code: 'invalid_field', field: 'quantity' });
  assert.throws(() => multiplyAmount('10.00', 1e-7), { code: 'invalid_field' });
  assert.throws(() => multiplyAmount('10.001', 1), { code: 'invalid_amount', field: 'price' });
});

test('sumAmounts adds without floats', () => {
  assert.equal(sumAmounts(['0.10', '0.20']), '0.30');
  assert.equal(sumAmounts([]), '0.00');
  assert.equal(sumAmounts(['301.5', '301.50']), '603.00');
  assert.throws(() => sumAmounts(['1.005']), { code: 'invalid_amount' });
});

test('amountsEqual compares exact decimals at any scale', () => {
  assert.ok(amountsEqual('100.000000', '100.00'));
  assert.ok(amountsEqual('100', '100.00'));
  assert.ok(!amountsEqual('100.000001', '100.00'));
  assert.ok(!amountsEqual('100.01', '100.00'));
  assert.ok(!amountsEqual('abc', 'abc'));
  assert.ok(!amountsEqual('1e2', '100'));
});

test('amountJsonToken writes the shortest exact JSON number', () => {
  assert.equal(amountJsonToken('1500.00'), '1500');
  assert.equal(amountJsonToken('301.50'), '301.5');
  assert.equal(amountJsonToken('0.05'), '0.05');
  assert.equal(amountJsonToken('0.00'), '0');
  assert.equal(amountJsonToken('10'), '10');
});

test('property: sums and products agree with BigInt minor units', () => {
  const minor = fc.bigInt({ min: 0n, max: 10n ** 11n });
  fc.assert(fc.property(fc.array(minor, { maxLength: 20 }), (parts) => {
    const total = parts.reduce((a, b) => a + b, 0n);
    assert.equal(sumAmounts(parts.map(formatMinorUnits)), formatMinorUnits(total));
  }), { numRuns: 300 });
  fc.assert(fc.property(minor, fc.integer({ min: 1, max: 999 }), (price, q) => {
    assert.equal(multiplyAmount(formatMinorUnits(price), q), formatMinorUnits(price * BigInt(q)));
  }), { numRuns: 300 });
  fc.assert(fc.property(fc.bigInt({ min: 1n, max: 10n ** 14n - 1n }), fc.integer({ min: 0, max: 4 }), (m, extraZeros) => {
    const canonical = formatMinorUnits(m);
    assert.equal(parseAmount(canonical), canonical);
    assert.equal(toMinorUnits(canonical), m);
    assert.ok(amountsEqual(`${canonical}${'0'.repeat(extraZeros)}`, canonical));
    // the JSON token parses back to the same decimal
    assert.ok(amountsEqual(String(JSON.parse(amountJsonToken(canonical))), canonical) || m >= 2n ** 53n);
  }), { numRuns: 300 });
});
