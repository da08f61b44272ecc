// The merchant backend as a Hono app with every route under /robokassa/ (DESIGN.md "The backend's HTTP
// contract"). It listens nowhere: main.ts (or a shop's own server, or the demo) serves app.fetch.
import { Hono, type Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ServerConfig } from './config.js';
import { describeError, type Deps, type LogFn } from './deps.js';
import { HttpError, errorBody } from './http.js';
import { checkoutRoutes } from './routes/checkout.js';
import { orderRoutes } from './routes/orders.js';
import { resultRoutes } from './routes/result.js';
import { returnPageRoutes } from './routes/return-pages.js';
import { openapiRoutes } from './routes/openapi.js';
import { openSqliteStore } from './sqlite-store.js';
import type { PaymentRecord, Store } from './store.js';
import { DEFAULT_CHECKOUT_RATE_LIMIT, rateLimitCheck } from './rate-limit.js';
import { proxyMatcher } from './addresses.js';
import { resultSourceCheck } from './result-allow.js';
import { corsSet, responder } from './responses.js';
import { DEFAULT_TIMEOUTS, readBody, withDeadline, type Timeouts } from './timeouts.js';
import { OWED_HOOK_GRACE_MS, deliverOwedHooks } from './paid-hook.js';

export const ROUTE_PREFIX = '/robokassa';
export const MAX_BODY_BYTES = 16 * 1024;

export interface AppOptions {
  /** Default: SQLite at config.databasePath (opened now, migrated); required with DATABASE_URL (openStore). */
  store?: Store;
  /**
   * Runs once per invoice that becomes paid, after the commit, in the normal path. Owed until it has
   * run to the end: after a crash or a failing hook it is delivered again (at least once) by
   * reconcilePayments and, once, OWED_HOOK_GRACE_MS after this app is created. Make it idempotent.
   */
  onPaid?: (payment: PaymentRecord) => void | Promise<void>;
  /** One structured entry per request and per notable event. Default: one JSON line on stdout. */
  log?: LogFn;
  now?: () => Date;
  /** Body read and handler deadlines (408 / 503). Default 10 s and 15 s. */
  timeouts?: Partial<Timeouts>;
}

const MASK = '********';

/**
 * Wraps the log so no entry can carry a secret, whatever a handler or an error message put in it.
 * Secrets shorter than 4 characters can't be told from ordinary text and are not searched for.
 */
export function redactingLog(log: LogFn, secrets: readonly string[]): LogFn {
  const needles = secrets.filter((s) => s.length >= 4);
  const clean = (value: unknown): unknown => {
    if (typeof value === 'string') return needles.some((s) => value.includes(s)) ? needles.reduce((text, s) => text.split(s).join(MASK), value) : value;
    if (Array.isArray(value)) return value.map(clean);
    if (value !== null && typeof value === 'object') {
      // copied only when something in it changes (most entries carry no secret)
      let copy: Record<string, unknown> | undefined;
      for (const [k, v] of Object.entries(value)) {
        const cleaned = clean(v);
        if (cleaned !== v) (copy ??= { ...value })[k] = cleaned;
      }
      return copy ?? value;
    }
    return value;
  };
  return (entry) => log(clean(entry) as Record<string, unknown>);
}

// Lines logged within one event-loop turn go out in one write (stdout to a file or a pipe is a
// synchronous write each; one per request was a good part of a status poll's cost). Flushed before exit.
let pending = '';
const flushLog = (): void => {
  if (pending === '') return;
  const text = pending;
  pending = '';
  process.stdout.write(text);
};
let flushesOnExit = false;
const appendLine = (line: string): void => {
  if (pending === '') {
    setImmediate(flushLog);
    if (!flushesOnExit) process.once('exit', flushLog);
    flushesOnExit = true;
  }
  pending += line;
};
const stdoutLog: LogFn = (entry) => appendLine(`${JSON.stringify(entry)}\n`);

/**
 * The request line, { time, method, path, status, ms }. To the default stdout log it is written as
 * the text JSON.stringify gives for that entry (the same keys in the same order), without the object,
 * its redacting copy and the generic walk; when a string in it holds a secret, or with a log of the
 * shop's own, it goes through `log` (redacted) as any entry does.
 */
function requestLogger(log: LogFn, own: boolean, secrets: readonly string[]): (time: string, method: string, path: string, status: number, ms: number) => void {
  const needles = secrets.filter((s) => s.length >= 4);
  const clean = (text: string): boolean => {
    for (const s of needles) if (text.includes(s)) return false;
    return true;
  };
  return (time, method, path, status, ms) => {
    if (own || !clean(time) || !clean(method) || !clean(path)) {
      log({ time, method, path, status, ms });
      return;
    }
    appendLine(`{"time":${JSON.stringify(time)},"method":${JSON.stringify(method)},"path":${JSON.stringify(path)},"status":${status},"ms":${ms}}\n`);
  };
}

export function createApp(config: ServerConfig, options: AppOptions = {}): Hono {
  const now = options.now ?? (() => new Date());
  const secrets = [config.password1, config.password2, ...(config.apiKey !== undefined ? [config.apiKey] : [])];
  const log = redactingLog(options.log ?? stdoutLog, secrets);
  const logRequest = requestLogger(log, options.log !== undefined, secrets);
  if (options.store === undefined && config.postgresUrl !== undefined) {
    // PostgreSQL opens asynchronously (connect, migrate): not silently SQLite instead
    throw new Error('createApp: DATABASE_URL selects PostgreSQL; open it first and pass { store: await openStore(config) }');
  }
  const deps: Deps = {
    config,
    store: options.store ?? openSqliteStore(config.databasePath),
    now,
    log,
    trustedProxy: proxyMatcher(config.trustProxy),
    respond: responder(config.allowedOrigins),
    ...(options.onPaid !== undefined && { onPaid: options.onPaid }),
  };

  if (deps.onPaid !== undefined) {
    // at start-up: hooks a crashed process left owed, once the grace has passed for any that a live
    // process may still be running; unref'd, so it never keeps a process (or a test) alive
    const { store, onPaid } = deps;
    setTimeout(() => {
      deliverOwedHooks(store, onPaid, { now, log }).catch((err: unknown) => {
        log({ time: now().toISOString(), event: 'on_paid_redelivery_failed', error: describeError(err) });
      });
    }, OWED_HOOK_GRACE_MS).unref();
  }

  const { trustedProxy } = deps;
  const onError = (err: unknown, c: Context): Response => {
    // c.json: a handler may have set headers before it threw (WWW-Authenticate)
    if (err instanceof HttpError) return c.json(errorBody(err.code, err.message, err.issues), err.status);
    if (err instanceof HTTPException) {
      const status = err.status;
      return c.json(errorBody(status === 413 ? 'payload_too_large' : 'bad_request', status === 413 ? 'the body is too large' : 'the request could not be read'), status);
    }
    // never a stack trace out: the name and message go to the log (redacted), the caller gets a code
    log({ time: now().toISOString(), event: 'unhandled_error', method: c.req.method, path: c.req.path, error: describeError(err) });
    return c.json(errorBody('internal_error', 'the server could not handle this request; try again later'), 500);
  };

  const app = new Hono();
  const timeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
  const limitCheckouts = rateLimitCheck({
    perMinute: config.checkoutRateLimit ?? DEFAULT_CHECKOUT_RATE_LIMIT,
    trustedProxy,
    onUnknownClient: () => log({ time: now().toISOString(), event: 'rate_limit_skipped', reason: 'no client address: pass the server env to app.fetch(request, env) (X-Forwarded-For alone is never believed)' }),
  });
  const resultSource = config.resultAllow === undefined ? undefined : resultSourceCheck({ allow: config.resultAllow, trustedProxy, log, now });
  const apiPath = (path: string): boolean => path === ROUTE_PREFIX || path.startsWith(`${ROUTE_PREFIX}/`);

  // One front middleware (one async step per request instead of one per concern), in this order:
  //  - one log line per request, whatever answered it; path only (query strings carry signatures and e-mails)
  //  - under /robokassa/: CORS for the allow-listed page origins only (preflight answered here; Vary and
  //    the allowed origin on every other answer, made with them by `respond` or added here)
  //  - POST /checkout: the per-address rate limit; /result: the source allow-list (ROBOKASSA_RESULT_ALLOW),
  //    both before the body is read, so a refused request costs nothing
  //  - the body: at most MAX_BODY_BYTES (413), within timeouts.bodyMs (408), read once (timeouts.ts)
  //  - the handler's deadline, timeouts.handlerMs (503)
  // The handler's own errors reach app.onError inside next(); one thrown here is answered the same way.
  app.use('*', async (c, next) => {
    const started = performance.now();
    const path = c.req.path;
    if (!apiPath(path)) {
      await next();
    } else {
      const method = c.req.method;
      const origin = c.req.header('origin');
      const allowed = origin !== undefined && config.allowedOrigins.includes(origin);
      let answer: Response | undefined;
      try {
        if (method === 'OPTIONS') {
          answer = allowed
            ? c.body(null, 204, {
              'Access-Control-Allow-Origin': origin,
              'Access-Control-Allow-Methods': 'GET, POST',
              'Access-Control-Allow-Headers': 'Content-Type, Idempotency-Key',
              'Access-Control-Max-Age': '600',
              Vary: 'Origin',
            })
            : c.json(errorBody('origin_not_allowed', 'this origin is not in ROBOKASSA_ALLOWED_ORIGINS'), 403, { Vary: 'Origin' });
        } else {
          answer = (path === `${ROUTE_PREFIX}/checkout` ? limitCheckouts(c) : undefined)
            ?? (resultSource !== undefined && path === `${ROUTE_PREFIX}/result` ? resultSource(c) : undefined)
            ?? (method === 'GET' || method === 'HEAD' ? undefined : await readBody(c, timeouts.bodyMs, MAX_BODY_BYTES))
            ?? (await withDeadline(c, timeouts.handlerMs, next));
        }
      } catch (err) {
        answer = onError(err, c);
      }
      if (answer !== undefined) c.res = answer;
      if (method !== 'OPTIONS' && !corsSet(c.res)) {
        c.res.headers.append('Vary', 'Origin');
        if (allowed) c.res.headers.set('Access-Control-Allow-Origin', origin);
      }
    }
    logRequest(now().toISOString(), c.req.method, path, c.res.status, Math.round((performance.now() - started) * 10) / 10);
  });

  app.get(`${ROUTE_PREFIX}/healthz`, (c) => c.json({ status: 'ok' }));
  app.route(ROUTE_PREFIX, checkoutRoutes(deps));
  app.route(ROUTE_PREFIX, orderRoutes(deps));
  app.route(ROUTE_PREFIX, resultRoutes(deps));
  app.route(ROUTE_PREFIX, returnPageRoutes(deps));
  app.route(ROUTE_PREFIX, openapiRoutes());

  app.notFound((c) => c.json(errorBody('not_found', `no route ${c.req.method} ${c.req.path}`), 404));

  app.onError(onError);

  return app;
}
