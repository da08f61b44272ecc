// ROBOKASSA_RESULT_ALLOW: ResultURL heard only from the listed source addresses (Robokassa's published
// ones, or the shop's own list), checked before the body is read. Off by default: the signature is what
// proves a notification; this is a second wall for shops that want one. A refusal is 403 and one log
// entry (address and method; never the parameters, which carry the signature and the buyer's e-mail).
import type { Context, MiddlewareHandler } from 'hono';
import { addressMatcher } from './addresses.js';
import type { LogFn } from './deps.js';
import { clientAddress } from './rate-limit.js';

export interface ResultAllowOptions {
  allow: readonly string[];
  trustedProxy: ((address: string) => boolean) | undefined;
  log: LogFn;
  now: () => Date;
}

export function resultSourceAllowList(o: ResultAllowOptions): MiddlewareHandler {
  const check = resultSourceCheck(o);
  return async (c, next) => check(c) ?? next();
}

/** resultSourceAllowList's work without the middleware around it: the 403 for a source not on the list, else undefined. */
export function resultSourceCheck(o: ResultAllowOptions): (c: Context) => Response | undefined {
  const allowed = addressMatcher(o.allow);
  return (c) => {
    const address = clientAddress(c, o.trustedProxy);
    if (address !== undefined && allowed(address)) return undefined;
    o.log({
      time: o.now().toISOString(), event: 'result_source_refused', method: c.req.method, address: address ?? null,
      reason: address === undefined
        ? 'no client address: pass the server env to app.fetch(request, env)'
        : 'not in ROBOKASSA_RESULT_ALLOW (behind a reverse proxy, list it in ROBOKASSA_TRUST_PROXY)',
    });
    c.header('Cache-Control', 'no-store');
    return c.text('source address not allowed', 403);
  };
}
