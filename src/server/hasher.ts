// The server's Hasher: one-shot crypto.hash (Node ≥ 20.12), without the Hash object, stream wrapper and
// second call createHash(…).update(…).digest(…) costs; the same lowercase hex of the UTF-8 bytes as
// nodeHasher, which it falls back to where crypto.hash is missing. test/server/hasher.test.ts holds
// them equal for every cabinet algorithm.
import * as crypto from 'node:crypto';
import type { Hasher } from '../protocol/hash.js';
import { nodeHasher } from '../node-hasher.js';

type OneShot = (algorithm: string, data: string, outputEncoding: 'hex' | 'base64url') => string;
const oneShot = (crypto as { hash?: OneShot }).hash;

export const serverHasher: Hasher = oneShot === undefined ? nodeHasher : (algorithm, input) => oneShot(algorithm, input, 'hex');

/** SHA-256 of the UTF-8 bytes of `input`, base64url: the idempotency request hash. */
export const sha256Base64url: (input: string) => string = oneShot === undefined
  ? (input) => crypto.createHash('sha256').update(input, 'utf8').digest('base64url')
  : (input) => oneShot('sha256', input, 'base64url');
