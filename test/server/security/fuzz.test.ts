// Fuzzing every route of createApp with fast-check: random and malformed methods, paths, query strings,
// headers, bodies (JSON that almost fits, random JSON, odd and very long Unicode, raw bytes, wrong content
// types). Whatever comes in: never a 5xx, never a throw, the JSON error shape naming the problem on the
// JSON routes, CORS only for allow-listed origins, and nothing in the store changes that the request
// had no right to change (rows counted through a second connection before and after each request).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { API_KEY, PAGE_ORIGIN, PASSWORD1, PASSWORD2, checkout, form, signed } from '../helpers.js';
import { assertErrorShape, assertNoStack, fileApp, snapshot, type Snapshot } from './support.js';

// the rate limit has its own tests (abuse.test.ts); here every valid checkout should get through
const t = fileApp({ ROBOKASSA_RATE_LIMIT: '0' });
after(() => t.close());

// what the store holds before the fuzzing: a pending payment, a paid one, an order
const pending = await checkout(t);
const paid = await checkout(t, { items: [{ sku: 'hundred', quantity: 2 }] });
assert.equal((await t.app.request('/robokassa/result', form(signed({ outSum: '200.000000', invId: paid.invoiceId })))).status, 200);
const orderRes = await t.app.request('/robokassa/orders', {
  method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${API_KEY}` },
  body: JSON.stringify({ orderId: 'order-1', items: [{ name: 'Thing', price: '10.00', quantity: 1 }] }),
});
assert.equal(orderRes.status, 201);

type Kind = 'json' | 'result' | 'page' | 'asset';
const ROUTES: { path: string; kind: Kind }[] = [
  { path: '/robokassa/checkout', kind: 'json' },
  { path: '/robokassa/orders', kind: 'json' },
  { path: '/robokassa/orders/order-1', kind: 'json' },
  { path: '/robokassa/products/course-basic', kind: 'json' },
  { path: `/robokassa/payments/${pending.id}`, kind: 'json' },
  { path: '/robokassa/healthz', kind: 'json' },
  { path: '/robokassa/result', kind: 'result' },
  { path: '/robokassa/success', kind: 'page' },
  { path: '/robokassa/fail', kind: 'page' },
  { path: '/robokassa/return.js', kind: 'asset' },
  { path: '/robokassa/return.css', kind: 'asset' },
];
const kindOf = (path: string): Kind => ROUTES.find((r) => r.path === path)?.kind ?? 'json';

// odd strings: every Unicode plane, lone surrogates, control characters, bidi overrides, long ones
const oddText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 64 }),
  fc.string({ unit: 'grapheme', maxLength: 64 }),
  fc.constantFrom('', ' ', '\u0000', '\uD800', '\uDFFF', '\u202E', '\uFEFF', '𝕏', 'e\u0301', '../../etc/passwd', '<script>alert(1)</script>', '${7*7}', '%00', '%', '\r\nX: y', 'null', 'undefined', '__proto__', 'constructor', '1e400', '-0', 'NaN', '9'.repeat(40)),
  fc.integer({ min: 1000, max: 40_000 }).map((n) => '€'.repeat(n)),
);
const amountish = fc.oneof(fc.constantFrom('1500.00', '1500.000000', '200.000000', '0', '-1500', '1500', '1e3', ' 1500.00', '1500,00', '0x5DC', '15e2'), oddText);
const invIdish = fc.oneof(fc.constantFrom(String(pending.invoiceId), String(paid.invoiceId), '0', '-1', '2147483648', '99999999999999999999', '1.0', '01'), oddText);

const validCheckout = fc.record({
  items: fc.array(fc.record({ sku: fc.constantFrom('course-basic', 'course-pro', 'hundred'), quantity: fc.integer({ min: 1, max: 999 }) }), { minLength: 1, maxLength: 3 }),
  email: fc.constant('buyer@example.com'),
  culture: fc.constantFrom('ru', 'en'),
  returnUrl: fc.constantFrom(`${PAGE_ORIGIN}/shop?x=1`, 'https://evil.example/'),
}, { requiredKeys: ['items'] });

const randomCheckout = fc.record({
  items: fc.oneof(
    fc.array(fc.record({
      sku: fc.oneof(fc.constantFrom('course-basic', 'course-pro', 'hundred', 'nope', 'toString', '__proto__'), oddText),
      quantity: fc.oneof(fc.integer({ min: -5, max: 1200 }), fc.double(), fc.constant('1' as unknown), fc.constant(null)),
    }, { requiredKeys: [] }), { maxLength: 60 }),
    fc.jsonValue(),
  ),
  orderId: fc.oneof(fc.constantFrom('order-1', 'nope'), oddText),
  amount: amountish,
  price: amountish,
  email: fc.oneof(fc.constant('buyer@example.com'), oddText),
  culture: fc.oneof(fc.constantFrom('ru', 'en', 'kk'), oddText),
  returnUrl: fc.oneof(fc.constantFrom(`${PAGE_ORIGIN}/x`, 'https://evil.example/', 'javascript:alert(1)', '//evil.example'), oddText),
}, { requiredKeys: [] });

// valid, one field off, or anything: the 201s prove a valid body writes exactly one payment
const checkoutBody = fc.oneof(
  validCheckout,
  fc.tuple(validCheckout, randomCheckout, fc.constantFrom('items', 'orderId', 'amount', 'price', 'email', 'culture', 'returnUrl')).map(([v, r, k]) => ({ ...v, [k]: (r as Record<string, unknown>)[k] ?? null })),
  randomCheckout,
);

const orderBody = fc.record({
  orderId: fc.oneof(fc.constantFrom('order-1', 'order-2'), oddText),
  description: oddText,
  currency: fc.oneof(fc.constantFrom('KZT', 'RUB', 'XXX'), oddText),
  items: fc.oneof(fc.array(fc.record({ name: oddText, price: amountish, quantity: fc.oneof(fc.integer({ min: -1, max: 2000 }), fc.double()), tax: oddText }, { requiredKeys: [] }), { maxLength: 60 }), fc.jsonValue()),
  receipt: fc.jsonValue(),
  email: oddText,
}, { requiredKeys: [] });

const callbackParams = fc.dictionary(
  fc.oneof(fc.constantFrom('OutSum', 'InvId', 'SignatureValue', 'Shp_x', 'SHP_y', 'Culture', 'IsTest', 'EMail', 'Fee', 'out_summ'), oddText),
  fc.oneof(amountish, invIdish, fc.constantFrom('ru', 'en', '1', 'ABCDEF0123456789ABCDEF0123456789'), oddText),
  { maxKeys: 8 },
);

const body = fc.oneof(
  { weight: 3, arbitrary: checkoutBody.map((v) => JSON.stringify(v)) },
  { weight: 2, arbitrary: orderBody.map((v) => JSON.stringify(v)) },
  { weight: 2, arbitrary: callbackParams.map((p) => new URLSearchParams(p).toString()) },
  { weight: 1, arbitrary: fc.json() },
  { weight: 1, arbitrary: oddText },
  { weight: 1, arbitrary: fc.constantFrom('{', '[]', 'null', '"x"', '{"items":', '{"a":1,"a":2}', '\uFEFF{}', '{"items":[{"sku":"course-basic","quantity":1e309}]}') },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 512 }) },
  { weight: 1, arbitrary: fc.integer({ min: 16_000, max: 40_000 }).map((n) => `{"items":[{"sku":"${'a'.repeat(n)}","quantity":1}]}`) },
);

const contentType = fc.oneof(
  fc.constantFrom('application/json', 'application/json; charset=utf-8', 'APPLICATION/JSON', 'application/x-www-form-urlencoded', 'text/plain', 'multipart/form-data; boundary=x', 'application/xml', ''),
  fc.string({ unit: 'binary-ascii', maxLength: 40 }),
);

const headerText = fc.string({ unit: 'binary-ascii', maxLength: 300 });
const headers = fc.record({
  'content-type': contentType,
  origin: fc.oneof(fc.constantFrom(PAGE_ORIGIN, 'http://localhost:3000', 'https://evil.example', 'null', 'https://shop.example.evil.example'), headerText),
  'idempotency-key': fc.oneof(fc.uuid(), headerText),
  authorization: fc.oneof(fc.constant(`Bearer ${API_KEY}`), fc.constant(`Bearer ${API_KEY}x`), fc.constant('Basic Zm9vOmJhcg=='), headerText),
  'accept-language': fc.oneof(fc.constantFrom('kk', 'kk-KZ,ru;q=0.9', 'en', '*'), headerText),
  'content-encoding': fc.constantFrom('gzip', 'br', 'identity'),
  'x-forwarded-for': headerText,
}, { requiredKeys: [] });

const method = fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD', 'PROPFIND');

const path = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...ROUTES.map((r) => r.path)) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom('/robokassa/products/', '/robokassa/payments/', '/robokassa/orders/', '/robokassa/'), oddText).map(([p, s]) => p + encodeURIComponent(s.replace(/[\uD800-\uDFFF]/gu, "?"))) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom('/robokassa/products/', '/robokassa/payments/', '/robokassa/'), fc.constantFrom('%', '%E0%A4%A', '%C0%AF', '..%2F..%2F', '%00', 'a/b/c', '%F0%9F%98')).map(([p, s]) => p + s) },
  { weight: 1, arbitrary: fc.webPath() },
);

const query = fc.oneof(
  fc.constant(''),
  callbackParams.map((p) => `?${new URLSearchParams(p)}`),
  fc.string({ unit: 'binary-ascii', maxLength: 80 }).map((s) => `?${s.replace(/[#\s]/g, '')}`),
  fc.integer({ min: 3000, max: 12_000 }).map((n) => `?OutSum=${'1'.repeat(n)}&InvId=1`),
);

interface Req { method: string; path: string; query: string; headers: Record<string, string>; body: string | Uint8Array<ArrayBuffer> }
const request = fc.record({ method, path, query, headers, body }) as fc.Arbitrary<Req>;

let skipped = 0;
let ran = 0;
const statuses = new Map<number, number>();

async function send(r: Req): Promise<void> {
  let req: Request;
  try {
    const noBody = r.method === 'GET' || r.method === 'HEAD';
    req = new Request(`http://localhost${r.path}${r.query}`, { method: r.method, headers: r.headers, ...(noBody ? {} : { body: r.body }) });
  } catch {
    // a header value fetch itself refuses (Node's HTTP parser would refuse it too): nothing reached the app
    skipped++;
    return;
  }
  ran++;
  const before = snapshot(t.db);
  let res: Response;
  try {
    res = await t.app.fetch(req);
  } catch (err) {
    assert.fail(`${r.method} ${r.path}: the app threw ${String(err)}`);
  }
  const text = await res.text();
  const where = `${r.method} ${r.path}${r.query.slice(0, 80)} -> ${res.status}`;
  statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
  assert.ok(res.status < 500, `${where}: ${text.slice(0, 300)}`);
  const after = snapshot(t.db);
  const kind = kindOf(r.path);
  const type = res.headers.get('content-type');

  if (r.method !== 'HEAD') {
    if (res.status >= 400 && (kind === 'json' || kind === 'asset' || /json/.test(type ?? ''))) assertErrorShape(res.status, type, text, where);
    if (kind === 'result' && res.status === 400 && !/json/.test(type ?? '')) {
      assert.match(type ?? '', /^text\/plain/, where);
      assert.ok(text.length > 0, `${where}: a refusal says why`);
    }
    if (kind === 'result') assert.notEqual(res.status, 200, `${where}: a fuzzed notification was accepted: ${text}`);
    assertNoStack(text, where);
  }

  // CORS: only an allow-listed origin, and only the one that asked
  const acao = res.headers.get('access-control-allow-origin');
  if (acao !== null) {
    assert.ok(t.config.allowedOrigins.includes(acao) && acao === r.headers.origin, `${where}: CORS allowed ${acao} for origin ${r.headers.origin}`);
  }

  checkStore(r, res.status, before, after, where);
}

function checkStore(r: Req, status: number, before: Snapshot, after: Snapshot, where: string): void {
  const createdPayment = r.method === 'POST' && r.path === '/robokassa/checkout' && status === 201;
  const createdOrder = r.method === 'POST' && r.path === '/robokassa/orders' && status === 201;
  const dPayments = after.payments - before.payments;
  assert.ok(dPayments === 0 || (dPayments === 1 && createdPayment), `${where}: ${dPayments} payments written`);
  assert.equal(after.invoiceIds - before.invoiceIds, dPayments, `${where}: an InvId was allocated without a payment`);
  assert.ok(after.idempotencyKeys - before.idempotencyKeys <= dPayments, `${where}: an idempotency key without a payment`);
  assert.equal(after.orders - before.orders, createdOrder ? 1 : 0, `${where}: orders written`);
  const dNotes = after.notifications - before.notifications;
  const notifying = ['result', 'page'].includes(kindOf(r.path)) && (r.method === 'GET' || r.method === 'POST' || r.method === 'HEAD');
  assert.ok(dNotes === 0 || (dNotes === 1 && notifying), `${where}: ${dNotes} notifications recorded`);
  // payments that existed: unchanged, except that an (unsigned, by design) FailURL may fail a pending one
  const was = before.states.split('|');
  const now = after.states.split('|').slice(0, was.length);
  for (let i = 0; i < was.length; i++) {
    if (was[i] === now[i]) continue;
    const [id, from] = was[i]!.split(':');
    const [id2, to] = now[i]!.split(':');
    assert.ok(id === id2 && from === 'pending' && to === 'failed' && r.path === '/robokassa/fail' && status === 200, `${where}: payment changed ${was[i]} -> ${now[i]}`);
  }
  // the paid payment and the order never move
  assert.ok(after.states.includes(`${paid.id}:paid:`), `${where}: the paid payment changed`);
  assert.equal(after.orderStates.split('|').filter((s) => s.startsWith('order-1:')).join(), 'order-1:open', `${where}: order-1 changed`);
}

test('fuzz: every route, random method/path/query/headers/body — no 5xx, the error shape, no stray writes', async () => {
  await fc.assert(fc.asyncProperty(request, send), { numRuns: 800, seed: Number(process.env.RK_FUZZ_SEED ?? 20261129) });
  assert.ok(ran > 500, `only ${ran} requests reached the app (${skipped} refused by fetch)`);
});

test('fuzz: POST /checkout with near-valid JSON bodies — a 201 or a named 4xx, and a 201 writes exactly one payment', async () => {
  const arb = fc.record({ body: checkoutBody, key: fc.option(fc.oneof(fc.uuid(), headerText), { nil: undefined }), origin: fc.constantFrom(PAGE_ORIGIN, 'https://evil.example') });
  await fc.assert(fc.asyncProperty(arb, async ({ body: b, key, origin }) => {
    const headers: Record<string, string> = { 'content-type': 'application/json', origin };
    if (key !== undefined) headers['idempotency-key'] = key;
    await send({ method: 'POST', path: '/robokassa/checkout', query: '', headers, body: JSON.stringify(b) });
  }), { numRuns: 400, seed: 7 });
  // any amount/price in the body is refused, so prices can't be tampered with
  const tampered = await t.app.request('/robokassa/checkout', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ items: [{ sku: 'course-basic', quantity: 1, price: '1.00' }] }) });
  assert.equal(tampered.status, 400);
});

test('fuzz: ResultURL / SuccessURL / FailURL with random parameters, GET and form POST — never accepted, always recorded as refused', async () => {
  const arb = fc.record({ params: callbackParams, path: fc.constantFrom('/robokassa/result', '/robokassa/success', '/robokassa/fail'), post: fc.boolean() });
  await fc.assert(fc.asyncProperty(arb, async ({ params, path: p, post }) => {
    const qs = new URLSearchParams(params).toString();
    await send(post
      ? { method: 'POST', path: p, query: '', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: qs }
      : { method: 'GET', path: p, query: qs ? `?${qs}` : '', headers: {}, body: '' });
  }), { numRuns: 400, seed: 11 });
  const verdicts = new Set((await t.store.listNotifications()).filter((n) => n.kind === 'result').map((n) => n.verdict));
  for (const v of verdicts) assert.ok(['paid', 'bad_signature', 'unknown_invoice', 'amount_mismatch', 'malformed', 'test_payment'].includes(v), `verdict ${v}`);
  // the one 'paid' is the seeding notification
  assert.equal((await t.store.listNotifications()).filter((n) => n.verdict === 'paid').length, 1);
});

test('no log line and no recorded notification carries a password or the API key', async () => {
  const everything = JSON.stringify(t.logs) + JSON.stringify(await t.store.listNotifications());
  for (const secret of [PASSWORD1, PASSWORD2, API_KEY]) assert.ok(!everything.includes(secret), 'a secret leaked into the log');
  assert.ok(!t.logs.some((l) => l['event'] === 'unhandled_error'), `unhandled errors: ${JSON.stringify(t.logs.filter((l) => l['event'] === 'unhandled_error')).slice(0, 500)}`);
  console.log(`fuzz: ${ran} requests, ${skipped} refused by fetch itself; statuses ${JSON.stringify(Object.fromEntries([...statuses].sort((a, b) => a[0] - b[0])))}`);
});

test('malformed HTTP over a real socket (bad Host, bad chunking, invalid UTF-8, a lying Content-Length, huge headers): a 4xx or a closed connection, and the server keeps serving', async () => {
  const { serve } = await import('@hono/node-server');
  const { connect } = await import('node:net');
  const server = serve({ fetch: t.app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise((r) => server.once('listening', r));
  const port = (server.address() as { port: number }).port;
  const raw = (req: string | Buffer, endAfterMs = 300): Promise<string> => new Promise((resolve) => {
    const s = connect(port, '127.0.0.1');
    let out = '';
    s.on('data', (d) => { out += d; });
    s.on('close', () => resolve(out));
    s.on('error', () => undefined);
    s.write(req);
    setTimeout(() => s.end(), endAfterMs);
    setTimeout(() => s.destroy(), 3_000);
  });
  const post = (path: string, headers: string, body: string | Buffer): Buffer => Buffer.concat([Buffer.from(`POST ${path} HTTP/1.1\r\nHost: x\r\n${headers}Connection: close\r\n\r\n`), Buffer.isBuffer(body) ? body : Buffer.from(body)]);
  const cases: (string | Buffer)[] = [
    'GET /robokassa/healthz HTTP/1.1\r\nHost: [\r\nConnection: close\r\n\r\n',
    'GET /robokassa/healthz HTTP/1.1\r\nConnection: close\r\n\r\n',
    'GET * HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n',
    'GET /robokassa/payments/%%% HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n',
    `GET /robokassa/healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\nConnection: close\r\n\r\n`,
    post('/robokassa/checkout', 'Content-Type: application/json\r\nContent-Length: 6\r\n', Buffer.from([0x7b, 0xff, 0xfe, 0xc0, 0x80, 0x7d])),
    post('/robokassa/result', 'Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 9\r\n', Buffer.from([0x4f, 0x75, 0x74, 0x53, 0x75, 0x6d, 0x3d, 0xff, 0xfe])),
    post('/robokassa/checkout', 'Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n', 'zz\r\nnot hex\r\n'),
    post('/robokassa/checkout', 'Content-Type: application/json\r\nContent-Length: 5\r\nContent-Length: 6\r\n', '{}{}{}'),
    post('/robokassa/checkout', 'Content-Type: application/json\r\nContent-Length: 999\r\n', '{"items":'),
    post('/robokassa/checkout', 'Content-Type: application/json\r\nContent-Length: 99999999\r\n', '{'),
  ];
  try {
    for (const c of cases) {
      const answer = await raw(c);
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1] ?? 0);
      assert.ok(status === 0 || (status >= 400 && status < 500), `${String(c).slice(0, 60)} -> ${answer.slice(0, 80)}`);
      const health = await fetch(`http://127.0.0.1:${port}/robokassa/healthz`);
      assert.equal(health.status, 200);
    }
  } finally {
    await new Promise<void>((r) => { if ('closeAllConnections' in server) server.closeAllConnections(); server.close(() => r()); });
  }
});
