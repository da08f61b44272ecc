// The server's one-shot hasher gives what nodeHasher gives (lowercase hex of the UTF-8 bytes) for every
// cabinet algorithm, and the idempotency request hash what createHash gives.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { HASH_ALGORITHMS } from '../../src/protocol/index.js';
import { nodeHasher } from '../../src/node-hasher.js';
import { serverHasher, sha256Base64url } from '../../src/server/hasher.js';

const INPUTS = ['', 'shop:1500.00:1:password', 'Оплата заказа №7 — «курс»', '😀 emoji and \u00e9', 'x'.repeat(5000)];

test('serverHasher equals nodeHasher for every algorithm and input', () => {
  for (const algorithm of HASH_ALGORITHMS) {
    for (const input of INPUTS) assert.equal(serverHasher(algorithm, input), nodeHasher(algorithm, input), `${algorithm} of ${JSON.stringify(input.slice(0, 20))}`);
  }
  assert.equal(serverHasher('md5', 'abc'), '900150983cd24fb0d6963f7d28e17f72');
});

test('sha256Base64url equals createHash(sha256) base64url', () => {
  for (const input of INPUTS) assert.equal(sha256Base64url(input), createHash('sha256').update(input, 'utf8').digest('base64url'));
});
