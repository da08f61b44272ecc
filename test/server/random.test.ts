import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomToken } from '../../src/server/random.js';

test('randomToken: the asked length and alphabet, never the same token twice across many pool refills', () => {
  const seen = new Set<string>();
  for (let i = 0; i < 2000; i++) {
    const id = randomToken(24, 'base64url');
    const shp = randomToken(16, 'hex');
    assert.match(id, /^[A-Za-z0-9_-]{32}$/);
    assert.match(shp, /^[0-9a-f]{32}$/);
    seen.add(id).add(shp);
  }
  assert.equal(seen.size, 4000); // 80 KB handed out: the 4 KiB pool was refilled ~20 times
});

test('randomToken: refuses more bytes than the pool holds', () => {
  assert.throws(() => randomToken(4097, 'hex'), RangeError);
});
