// Hashing is injected so the protocol core stays platform-neutral (node:crypto on the server,
// nothing in the browser bundle).
import { RobokassaError, describeValue } from './errors.js';

/** The algorithms a shop can choose in the Robokassa cabinet (technical settings). */
export const HASH_ALGORITHMS = ['md5', 'ripemd160', 'sha1', 'sha256', 'sha384', 'sha512'] as const;
export type HashAlgorithm = (typeof HASH_ALGORITHMS)[number];

/** Hashes the UTF-8 bytes of `input`; returns lowercase hex. */
export type Hasher = (algorithm: HashAlgorithm, input: string) => string;

export function isHashAlgorithm(value: unknown): value is HashAlgorithm {
  return typeof value === 'string' && (HASH_ALGORITHMS as readonly string[]).includes(value);
}

/** Accepts any case ("MD5", "Sha256") because the cabinet shows upper-case names. */
export function parseHashAlgorithm(value: unknown, field = 'hashAlgorithm'): HashAlgorithm {
  const lower = typeof value === 'string' ? value.trim().toLowerCase() : value;
  if (isHashAlgorithm(lower)) return lower;
  throw new RobokassaError(
    'unknown_algorithm',
    `${field}: unknown hash algorithm ${describeValue(value)}; use one of ${HASH_ALGORITHMS.join(', ')} — the one chosen in the Robokassa cabinet's technical settings`,
    field,
  );
}

/**
 * Compares two hex digests ignoring case, in time that depends only on the lengths
 * (Robokassa sends upper case, hashers give lower case).
 */
export function timingSafeEqualHex(a: string, b: string): boolean {
  const length = Math.max(a.length, b.length);
  let diff = a.length ^ b.length;
  for (let i = 0; i < length; i++) {
    diff |= lowerHexCode(a.charCodeAt(i)) ^ lowerHexCode(b.charCodeAt(i));
  }
  return diff === 0;
}

/** Folds A–F onto a–f without branching on secret data; NaN (past the end) becomes -1. */
function lowerHexCode(code: number): number {
  if (Number.isNaN(code)) return -1;
  const isUpperHex = ((code - 65) >>> 0) < 6 ? 1 : 0; // 'A'..'F'
  return code + isUpperHex * 32;
}
