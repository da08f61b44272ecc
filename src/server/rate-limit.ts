// Per-address rate limit for POST /checkout: each checkout allocates an InvId and writes a payment,
// so a flood from one address would fill the database. A token bucket per client address (burst =
// the per-minute limit, refilled evenly), in a map with a fixed cap so a flood of addresses can't grow
// memory either. Answers 429 in the JSON error shape with Retry-After.
import type { Context, MiddlewareHandler } from 'hono';
import { errorBody } from './http.js';

export interface RateLimitOptions {
  /** requests per minute per address (also the burst); 0 turns the limit off */
  perMinute: number;
  /** the reverse proxies whose X-Forwarded-For is believed (addresses.ts addressMatcher); none: the socket's address */
  trustedProxy?: (address: string) => boolean;
  /** addresses remembered at most (least recently seen forgotten first). Default 10,000. */
  maxClients?: number;
  /** only these methods count. Default POST. */
  methods?: readonly string[];
  now?: () => number;
  /** told once when a request comes without a client address (the limit is then skipped) */
  onUnknownClient?: () => void;
}

export const DEFAULT_CHECKOUT_RATE_LIMIT = 60;

interface Bucket { tokens: number; at: number }

/** The socket's address under @hono/node-server (undefined in app.request / other runtimes). */
function socketAddress(c: Context): string | undefined {
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  return env?.incoming?.socket?.remoteAddress;
}

/**
 * The client's address. X-Forwarded-For is believed only when the socket's peer is a trusted proxy,
 * and then hop by hop from the right while each hop is itself a trusted proxy: the first address that
 * isn't one is the client (entries left of it are the client's to forge). Without trusted proxies, or
 * when the peer isn't one, the socket's address. undefined when there is no socket (app.request, or a
 * host app calling backend.fetch(req) without its env): then nobody's header can be judged.
 */
export function clientAddress(c: Context, trustedProxy?: (address: string) => boolean): string | undefined {
  const peer = socketAddress(c);
  if (peer === undefined) return undefined;
  let client = peer;
  if (trustedProxy !== undefined && trustedProxy(peer)) {
    const hops = (c.req.header('x-forwarded-for') ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '');
    for (let hop = hops.pop(); hop !== undefined; hop = hops.pop()) {
      client = hop;
      if (!trustedProxy(hop)) break;
    }
  }
  return client.slice(0, 64);
}

/**
 * Token buckets per key (burst = perMinute, refilled evenly) in a map capped at `maxKeys`, least
 * recently seen forgotten first. take() answers 0 when a token was taken, else the seconds to wait.
 */
export function tokenBuckets(o: { perMinute: number; maxKeys?: number; now?: () => number }): { take(key: string): number } {
  const maxKeys = o.maxKeys ?? 10_000;
  const now = o.now ?? (() => Date.now());
  const perMs = o.perMinute / 60_000;
  const buckets = new Map<string, Bucket>();
  return {
    take(key) {
      const t = now();
      const seen = buckets.get(key);
      const bucket: Bucket = seen
        ? { tokens: Math.min(o.perMinute, seen.tokens + (t - seen.at) * perMs), at: t }
        : { tokens: o.perMinute, at: t };
      // re-inserted: the map's order is least recently seen first, the one to forget
      buckets.delete(key);
      buckets.set(key, bucket);
      while (buckets.size > maxKeys) buckets.delete(buckets.keys().next().value!);
      if (bucket.tokens < 1) return Math.max(1, Math.ceil((1 - bucket.tokens) / perMs / 1000));
      bucket.tokens -= 1;
      return 0;
    },
  };
}

export function rateLimit(options: RateLimitOptions): MiddlewareHandler {
  const check = rateLimitCheck(options);
  return async (c, next) => check(c) ?? next();
}

/** rateLimit's work without the middleware around it: the 429 when the request is over the limit, else undefined. */
export function rateLimitCheck(options: RateLimitOptions): (c: Context) => Response | undefined {
  const { perMinute } = options;
  const methods = options.methods ?? ['POST'];
  const buckets = tokenBuckets({ perMinute, ...(options.maxClients !== undefined && { maxKeys: options.maxClients }), ...(options.now !== undefined && { now: options.now }) });
  let warned = false;

  return (c) => {
    if (perMinute <= 0 || !methods.includes(c.req.method)) return undefined;
    const key = clientAddress(c, options.trustedProxy);
    if (key === undefined) {
      // No address (the app mounted with app.fetch(req) and no server env): one bucket for every
      // buyer would let a single client lock all of them out, so the limit steps aside instead
      if (!warned) options.onUnknownClient?.();
      warned = true;
      return undefined;
    }
    const retryAfter = buckets.take(key);
    if (retryAfter > 0) {
      return c.json(
        errorBody('rate_limited', `too many checkouts from this address: at most ${perMinute} a minute; try again in ${retryAfter} s`),
        429,
        { 'Retry-After': String(retryAfter) },
      );
    }
    return undefined;
  };
}
