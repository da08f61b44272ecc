// toQueryString keeps the last long value's encoding (a cart's Receipt): a different long value, or
// the earlier one again, is encoded afresh, and every link equals the plain encodeURIComponent join.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toQueryString } from '../../src/protocol/index.js';

const plain = (fields: Record<string, string>): string => Object.entries(fields).map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');

test('long values alternate: each link is encoded from its own values', () => {
  const a = `{"items":[{"name":"Курс ${'a'.repeat(80)}","sum":1500}]}`;
  const b = `{"items":[{"name":"Book & pen ${'b'.repeat(80)}","sum":10}]}`;
  const sameLengthAsA = a.replace('Курс', 'Кур!');
  for (const receipt of [a, a, b, a, sameLengthAsA, b, `${b}`, encodeURIComponent(a)]) {
    const fields = { OutSum: '1.00', Receipt: receipt, Shp_rk: 'x'.repeat(70), Description: 'short' };
    assert.equal(toQueryString(fields), plain(fields));
  }
});

test('a long value that can not be encoded throws each time and leaves the next link right', () => {
  const lone = `${'x'.repeat(70)}\ud800`;
  assert.throws(() => toQueryString({ Receipt: lone }), URIError);
  assert.throws(() => toQueryString({ Receipt: lone }), URIError);
  const fine = { Receipt: 'y'.repeat(70) };
  assert.equal(toQueryString(fine), plain(fine));
});
