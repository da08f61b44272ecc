// `robokassa-checkout check-backend URL`: the HTTP contract's conformance checks (DESIGN.md, and the
// OpenAPI document built from the same zod schemas) run over HTTP against any backend, ours or a shop's
// own in PHP or Python. It needs no password: it checks what can be seen from outside, including that
// a forged notification is refused. It creates a few pending payments (never paid) and records one
// refused notification: point it at a test shop.
import { parseArgs } from 'node:util';
import * as z from 'zod/mini';
import { en } from 'zod/locales';
import {
  ApiError, CheckoutResponse, PaymentStatusResponse, ProductResponse, multiplyAmount,
} from '../protocol/index.js';
import type { Io } from './run.js';

export const CHECK_BACKEND_USAGE = 'usage: robokassa-checkout check-backend URL [--sku course-basic] [--origin https://shop.example] [--timeout 10000]\n'
  + '  URL: the backend\'s base, e.g. http://127.0.0.1:8080/robokassa; --origin: a page origin the backend allows (default: the URL\'s own origin)';

export interface CheckBackendOptions {
  /** base URL, e.g. http://127.0.0.1:8080/robokassa (a trailing slash is ignored) */
  base: string;
  /** a product in the backend's catalog */
  sku: string;
  /** a page origin in the backend's allow-list */
  origin: string;
  timeoutMs: number;
  /** replaces globalThis.fetch (tests) */
  fetch?: typeof fetch;
}

export interface CheckResult { name: string; ok: boolean; detail: string }

/** One check's failure: the message is the readable reason printed after ✗. */
class CheckFailed extends Error {}
const fail = (reason: string): never => {
  throw new CheckFailed(reason);
};
function expect(condition: unknown, reason: string): asserts condition {
  if (!condition) fail(reason);
}

interface Exchange { method: string; path: string; status: number; headers: Headers; text: string }

/** zod/mini with English messages; "amount: expected string, received number". */
function shape<T>(schema: z.ZodMiniType<T>, value: unknown, what: string): T {
  const result = z.safeParse(schema, value, { error: en().localeError });
  if (result.success) return result.data;
  const issues = result.error.issues.slice(0, 3).map((i) => `${i.path.join('.') || '(body)'}: ${i.message}${i.path.length > 0 ? ` (got ${JSON.stringify(valueAt(value, i.path))})` : ''}`);
  return fail(`${what} does not match the contract — ${issues.join('; ')}`);
}
function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
  let v = value;
  for (const key of path) v = v !== null && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[key] : undefined;
  return v;
}

/** Amounts as Robokassa compares them: "1500.00" and "1500.000000" are equal. */
const sameAmount = (a: string, b: string): boolean => /^\d+(\.\d+)?$/.test(a) && /^\d+(\.\d+)?$/.test(b)
  && a.replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '') === b.replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '');

/** Header names and body texts that no answer may carry (the passwords themselves are unknown here). */
const SECRET_HEADER = /pass(word)?|secret|api[-_]?key|private|credential/i;
const SECRET_TEXT: [RegExp, string][] = [
  [/ROBOKASSA_(PASSWORD[12]|API_KEY)\s*[=:]/i, 'a configuration secret assignment'],
  [/"(password[12]?|pass[12]|secret|apiKey|api_key)"\s*:/i, 'a secret-named JSON field'],
  [/\bPassword ?#?[12]\s*[=:]\s*\S/i, 'a password value'],
  [/[A-Za-z0-9._-]+:\d+(\.\d+)?:\d*:[^:\s"&]{3,}/, 'a signature base string (login:OutSum:InvId:password)'],
  [/\n\s+at .+:\d+:\d+\)?/, 'a stack trace'],
  [/\b(Traceback \(most recent call last\)|Fatal error:|Stack trace:|SQLSTATE\[)/, 'an error dump'],
];

export async function checkBackend(options: CheckBackendOptions): Promise<CheckResult[]> {
  const base = options.base.replace(/\/+$/, '');
  const doFetch = options.fetch ?? fetch;
  const seen: Exchange[] = [];
  const run = Date.now().toString(36) + Math.random().toString(36).slice(2, 8);

  async function request(method: string, path: string, init: { headers?: Record<string, string>; body?: string } = {}): Promise<Exchange> {
    let res: Response;
    try {
      res = await doFetch(`${base}${path}`, { method, redirect: 'manual', signal: AbortSignal.timeout(options.timeoutMs), ...init });
    } catch (err) {
      const cause = err instanceof Error ? (err.cause instanceof Error ? err.cause.message : err.message) : String(err);
      return fail(`${method} ${path}: no answer (${cause})`);
    }
    const exchange = { method, path, status: res.status, headers: res.headers, text: await res.text() };
    seen.push(exchange);
    return exchange;
  }
  const jsonOf = (x: Exchange): unknown => {
    expect(/^application\/([a-z.+-]*\+)?json\b/i.test(x.headers.get('content-type') ?? ''), `${x.method} ${x.path} → ${x.status}: content-type is "${x.headers.get('content-type') ?? 'none'}", not application/json`);
    try {
      return JSON.parse(x.text) as unknown;
    } catch {
      return fail(`${x.method} ${x.path} → ${x.status}: the body is not JSON`);
    }
  };
  const status = (x: Exchange, expected: number | number[]): void => {
    const list = Array.isArray(expected) ? expected : [expected];
    expect(list.includes(x.status), `${x.method} ${x.path} answered ${x.status}, expected ${list.join(' or ')}${x.text ? `: ${x.text.slice(0, 160)}` : ''}`);
  };
  /** A 4xx in the one error shape; returns it. */
  const apiError = (x: Exchange, expected: number | number[]): ApiError => {
    status(x, expected);
    return shape(ApiError, jsonOf(x), `${x.method} ${x.path} → ${x.status} error body`);
  };
  const post = (path: string, body: unknown, headers: Record<string, string> = {}): Promise<Exchange> =>
    request('POST', path, { headers: { 'content-type': 'application/json', origin: options.origin, ...headers }, body: JSON.stringify(body) });

  const results: CheckResult[] = [];
  let product: ProductResponse | undefined;
  let payment: CheckoutResponse | undefined;
  let unreachable = false;
  /** needsPayment: the check reads the payment the checkout check made; without it, it fails as not run. */
  async function check(name: string, body: () => Promise<string>, needsPayment = false): Promise<void> {
    if (unreachable) {
      results.push({ name, ok: false, detail: 'not run: the backend did not answer' });
      return;
    }
    if (needsPayment && payment === undefined) {
      results.push({ name, ok: false, detail: 'not run: needs the payment from the checkout check, which failed' });
      return;
    }
    try {
      results.push({ name, ok: true, detail: await body() });
    } catch (err) {
      if (!(err instanceof CheckFailed)) throw err;
      results.push({ name, ok: false, detail: err.message });
    }
  }

  const body = (quantity: number) => ({ items: [{ sku: options.sku, quantity }] });
  const key = `check-backend-${run}`;

  await check('healthz', async () => {
    const x = await request('GET', '/healthz');
    status(x, 200);
    return 'GET /healthz answers 200';
  });
  // nothing answered at all: one reason is enough, not fifteen
  unreachable = seen.length === 0;

  await check('product lookup', async () => {
    const x = await request('GET', `/products/${encodeURIComponent(options.sku)}`);
    status(x, 200);
    product = shape(ProductResponse, jsonOf(x), `GET /products/${options.sku}`);
    expect(product.sku === options.sku, `GET /products/${options.sku} answered sku "${product.sku}"`);
    return `${product.sku}: ${product.price} ${product.currency}${product.test ? ' (test mode)' : ''}`;
  });

  await check('unknown product is 404', async () => {
    const e = apiError(await request('GET', `/products/no-such-product-${run}`), 404);
    return `404 ${e.error.code}`;
  });

  await check('checkout creates a pending payment with a signed URL', async () => {
    const x = await post('/checkout', body(2), { 'idempotency-key': key });
    status(x, 201);
    const p = shape(CheckoutResponse, jsonOf(x), 'POST /checkout 201 body');
    if (product !== undefined) {
      const expected = multiplyAmount(product.price, 2);
      expect(p.amount === expected, `amount is "${p.amount}" for 2 × ${product.price}, expected "${expected}"`);
      expect(p.currency === product.currency, `currency is ${p.currency}, the product's is ${product.currency}`);
    }
    const url = new URL(p.url);
    const q = url.searchParams;
    for (const field of ['MerchantLogin', 'OutSum', 'InvId', 'SignatureValue']) expect(q.get(field), `the payment URL has no ${field}`);
    expect(sameAmount(q.get('OutSum')!, p.amount), `the URL's OutSum "${q.get('OutSum')}" is not the answer's amount "${p.amount}"`);
    expect(q.get('InvId') === String(p.invoiceId), `the URL's InvId "${q.get('InvId')}" is not the answer's invoiceId ${p.invoiceId}`);
    expect(p.invoiceId <= 2147483647, `invoiceId ${p.invoiceId} is over int32`);
    const signature = q.get('SignatureValue')!;
    expect(/^[0-9a-fA-F]+$/.test(signature) && [32, 40, 64, 96, 128].includes(signature.length), `SignatureValue "${signature}" is not a hex MD5/RIPEMD-160/SHA digest`);
    expect((q.get('IsTest') === '1') === p.test, `test is ${p.test} but the URL ${q.get('IsTest') === '1' ? 'has' : 'lacks'} IsTest=1`);
    const f = p.form.fields;
    expect(new URL(p.form.action).origin === url.origin, `form.action ${p.form.action} is not the payment URL's host`);
    for (const field of ['MerchantLogin', 'OutSum', 'InvId', 'SignatureValue']) {
      expect(f[field] === q.get(field), `form.fields.${field} "${f[field] ?? '(missing)'}" differs from the URL's "${q.get(field)}"`);
    }
    payment = p;
    return `201: InvId ${p.invoiceId}, ${p.amount} ${p.currency}, OutSum and InvId agree in url and form, ${signature.length / 2}-byte signature`;
  });

  await check('CORS on the answer', async () => {
    const x = await request('GET', `/products/${encodeURIComponent(options.sku)}`, { headers: { origin: options.origin } });
    const allow = x.headers.get('access-control-allow-origin');
    expect(allow === options.origin, `Access-Control-Allow-Origin is ${allow === null ? 'missing' : `"${allow}"`} for the allowed origin ${options.origin} (is --origin in the backend's allow-list?)`);
    expect(/\borigin\b/i.test(x.headers.get('vary') ?? ''), 'no "Vary: Origin": a cache could hand one page\'s answer to another');
    return `Access-Control-Allow-Origin: ${allow}, Vary: Origin`;
  });

  await check('idempotency: same key, same body → same payment', async () => {
    const x = await post('/checkout', body(2), { 'idempotency-key': key });
    expect(x.status === 201 || x.status === 200, `the repeat answered ${x.status}, expected 201`);
    const again = shape(CheckoutResponse, jsonOf(x), 'the repeated checkout');
    expect(again.id === payment!.id && again.invoiceId === payment!.invoiceId, `the repeat made another payment (InvId ${again.invoiceId}, first ${payment!.invoiceId}): Idempotency-Key is ignored`);
    expect(again.url === payment!.url, 'the repeat answered another payment URL');
    return `same id and InvId ${again.invoiceId}`;
  }, true);

  await check('idempotency: same key, other body → 409', async () => {
    const e = apiError(await post('/checkout', body(1), { 'idempotency-key': key }), 409);
    return `409 ${e.error.code}`;
  }, true);

  await check('no key → a new payment', async () => {
    const x = await post('/checkout', body(2));
    status(x, 201);
    const other = shape(CheckoutResponse, jsonOf(x), 'POST /checkout 201 body');
    expect(other.id !== payment!.id && other.invoiceId !== payment!.invoiceId, `two checkouts without a key share InvId ${other.invoiceId}`);
    return `InvId ${other.invoiceId}`;
  }, true);

  await check('status of a fresh payment is pending', async () => {
    const x = await request('GET', `/payments/${encodeURIComponent(payment!.id)}`, { headers: { origin: options.origin } });
    status(x, 200);
    const s = shape(PaymentStatusResponse, jsonOf(x), `GET /payments/{id}`);
    expect(s.id === payment!.id && s.invoiceId === payment!.invoiceId, 'the status is another payment\'s');
    expect(s.status === 'pending', `status is "${s.status}", expected "pending"`);
    expect(s.amount === payment!.amount && s.currency === payment!.currency, `amount ${s.amount} ${s.currency} differs from the checkout's ${payment!.amount} ${payment!.currency}`);
    expect(s.paidAt === null, `paidAt is ${JSON.stringify(s.paidAt)} before any payment`);
    expect(/no-store/i.test(x.headers.get('cache-control') ?? ''), `Cache-Control is "${x.headers.get('cache-control') ?? 'missing'}": a cached status could hide the payment`);
    return 'pending, paidAt null, Cache-Control: no-store';
  }, true);

  await check('unknown payment id is 404', async () => {
    const e = apiError(await request('GET', `/payments/no-such-payment-${run}`), 404);
    return `404 ${e.error.code}`;
  });

  await check('an amount in the checkout body is refused, naming it', async () => {
    const e = apiError(await post('/checkout', { ...body(1), amount: '1.00' }), 400);
    const named = (e.error.issues ?? []).some((i) => i.path === 'amount') || /\bamount\b/.test(e.error.message);
    expect(named, `400, but neither issues nor message name "amount": ${JSON.stringify(e.error)}`);
    return `400 ${e.error.code}, names "amount"`;
  });

  await check('validation errors name the field', async () => {
    const bad = apiError(await post('/checkout', body(0)), 400);
    expect((bad.error.issues ?? []).some((i) => i.path === 'items.0.quantity'), `quantity 0: issues ${JSON.stringify(bad.error.issues ?? [])} don't name items.0.quantity`);
    const unknown = apiError(await post('/checkout', { items: [{ sku: `no-such-product-${run}`, quantity: 1 }] }), 400);
    expect((unknown.error.issues ?? []).some((i) => i.path === 'items.0.sku'), `an unknown sku: issues ${JSON.stringify(unknown.error.issues ?? [])} don't name items.0.sku`);
    const neither = apiError(await post('/checkout', {}), 400);
    const broken = await request('POST', '/checkout', { headers: { 'content-type': 'application/json', origin: options.origin }, body: '{"items": [' });
    const notJson = apiError(broken, 400);
    return `items.0.quantity, items.0.sku; {} → ${neither.error.code}; bad JSON → ${notJson.error.code}`;
  });

  await check('CORS preflight', async () => {
    const x = await request('OPTIONS', '/checkout', {
      headers: { origin: options.origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,idempotency-key' },
    });
    expect(x.status === 204 || x.status === 200, `preflight answered ${x.status}, expected 204`);
    expect(x.headers.get('access-control-allow-origin') === options.origin, `Access-Control-Allow-Origin is "${x.headers.get('access-control-allow-origin') ?? 'missing'}", expected ${options.origin}`);
    const methods = (x.headers.get('access-control-allow-methods') ?? '').toUpperCase();
    expect(methods.includes('POST'), `Access-Control-Allow-Methods "${methods}" lacks POST`);
    const headers = (x.headers.get('access-control-allow-headers') ?? '').toLowerCase();
    expect(headers.includes('idempotency-key') && headers.includes('content-type'), `Access-Control-Allow-Headers "${headers}" lacks Content-Type or Idempotency-Key`);
    const foreign = await request('OPTIONS', '/checkout', { headers: { origin: 'https://not-allowed.invalid', 'access-control-request-method': 'POST' } });
    const leaked = foreign.headers.get('access-control-allow-origin');
    expect(leaked === null, `a foreign origin's preflight got Access-Control-Allow-Origin "${leaked}"`);
    return `${x.status}, POST with Content-Type and Idempotency-Key; a foreign origin gets no Allow-Origin (${foreign.status})`;
  });

  await check('/result refuses a bad signature', async () => {
    const p = payment!;
    const forged = new URLSearchParams({ OutSum: `${p.amount}0000`, InvId: String(p.invoiceId), SignatureValue: '0'.repeat(32) });
    const byPost = await request('POST', '/result', { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: forged.toString() });
    expect(byPost.status >= 400 && byPost.status < 500, `POST /result with a forged signature answered ${byPost.status}${byPost.text ? ` "${byPost.text.slice(0, 60)}"` : ''}, expected 400`);
    expect(!/^OK/i.test(byPost.text.trim()), `POST /result with a forged signature answered "${byPost.text.slice(0, 40)}": Robokassa would read that as accepted`);
    const byGet = await request('GET', `/result?${forged.toString()}`);
    expect(byGet.status >= 400 && byGet.status < 500 && !/^OK/i.test(byGet.text.trim()), `GET /result with a forged signature answered ${byGet.status} "${byGet.text.slice(0, 40)}"`);
    const after = await request('GET', `/payments/${encodeURIComponent(p.id)}`);
    const s = shape(PaymentStatusResponse, jsonOf(after), 'GET /payments/{id} after the forged notification');
    expect(s.status === 'pending', `after a forged notification the payment is "${s.status}"`);
    return `POST ${byPost.status}, GET ${byGet.status}; the payment stays pending`;
  }, true);

  await check('no secret-looking values in any answer', async () => {
    const found: string[] = [];
    for (const x of seen) {
      for (const [name] of x.headers) if (SECRET_HEADER.test(name)) found.push(`${x.method} ${x.path}: header "${name}"`);
      for (const [pattern, what] of SECRET_TEXT) {
        const m = pattern.exec(x.text);
        // a few characters to find it by, never the whole match: it may be the secret
        if (m) found.push(`${x.method} ${x.path} → ${x.status}: ${what} ("${m[0].slice(0, 8)}…")`);
      }
    }
    expect(seen.length > 0, 'no answers to scan');
    expect(found.length === 0, found.slice(0, 3).join('; '));
    return `${seen.length} answers scanned (headers and bodies)`;
  });

  return results;
}

export function formatResults(results: readonly CheckResult[], io: Io): void {
  for (const r of results) io.out(`${r.ok ? '✓' : '✗'} ${r.name} — ${r.detail}`);
  const passed = results.filter((r) => r.ok).length;
  io.out(passed === results.length ? `all ${results.length} checks passed` : `${results.length - passed} of ${results.length} checks failed`);
}

/** The command: exit 0 when every check passed, 1 when one failed, 2 for bad flags. */
export async function checkBackendCommand(args: string[], io: Io, fetchImpl?: typeof fetch): Promise<number> {
  let values;
  let positionals;
  try {
    ({ values, positionals } = parseArgs({
      args, allowPositionals: true, strict: true,
      options: { sku: { type: 'string' }, origin: { type: 'string' }, timeout: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    }));
  } catch (err) {
    io.err(`error: ${err instanceof Error ? err.message.split('. To specify')[0] : String(err)}`);
    io.err(CHECK_BACKEND_USAGE);
    return 2;
  }
  if (values.help) {
    io.out(CHECK_BACKEND_USAGE);
    return 0;
  }
  const usage = (message: string): number => {
    io.err(`error: ${message}`);
    io.err(CHECK_BACKEND_USAGE);
    return 2;
  };
  if (positionals.length !== 1) return usage(positionals.length === 0 ? 'missing the backend URL' : `unexpected argument ${JSON.stringify(positionals[1])}`);
  let base: URL;
  try {
    base = new URL(positionals[0]!);
  } catch {
    return usage(`${JSON.stringify(positionals[0])} is not a URL like http://127.0.0.1:8080/robokassa`);
  }
  if (base.protocol !== 'http:' && base.protocol !== 'https:') return usage(`the backend URL must be http(s), got ${base.protocol}`);
  const origin = values.origin ?? base.origin;
  if (!URL.canParse(origin) || new URL(origin).origin !== origin.replace(/\/$/, '')) return usage(`--origin ${JSON.stringify(origin)} is not an origin like https://shop.example`);
  const timeout = values.timeout === undefined ? 10_000 : Number(values.timeout);
  if (!Number.isInteger(timeout) || timeout < 100) return usage('--timeout must be a whole number of milliseconds (at least 100)');
  const sku = values.sku ?? 'course-basic';
  io.out(`checking ${base.href.replace(/\/$/, '')} (sku ${sku}, origin ${new URL(origin).origin})`);
  const results = await checkBackend({ base: base.href, sku, origin: new URL(origin).origin, timeoutMs: timeout, ...(fetchImpl !== undefined && { fetch: fetchImpl }) });
  formatResults(results, io);
  return results.every((r) => r.ok) ? 0 : 1;
}
