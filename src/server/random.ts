// Random tokens for ids and signed Shp_ values, cut from a pooled block of CSPRNG bytes: one
// randomFillSync per 4 KiB instead of one per token (each call costs several µs; a checkout takes two
// tokens). Bytes are handed out once and never reused, so the tokens are as unpredictable as before.
import { randomFillSync } from 'node:crypto';

const POOL_BYTES = 4096;
const pool = Buffer.alloc(POOL_BYTES);
let used = POOL_BYTES;

/** `bytes` fresh random bytes (at most 4096) as a string in `encoding`. */
export function randomToken(bytes: number, encoding: 'hex' | 'base64url'): string {
  if (bytes > POOL_BYTES) throw new RangeError(`randomToken: at most ${POOL_BYTES} bytes`);
  if (used + bytes > POOL_BYTES) {
    randomFillSync(pool);
    used = 0;
  }
  const token = pool.toString(encoding, used, used + bytes);
  pool.fill(0, used, used + bytes); // what was handed out does not stay in memory
  used += bytes;
  return token;
}
