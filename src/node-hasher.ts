// The Node implementation of the protocol's injected Hasher (server, sandbox, CLI).
import { createHash } from 'node:crypto';
import type { Hasher } from './protocol/hash.js';

/** Lowercase hex digest of the UTF-8 bytes of `input`. All six cabinet algorithms exist in Node's OpenSSL. */
export const nodeHasher: Hasher = (algorithm, input) => createHash(algorithm).update(input, 'utf8').digest('hex');
