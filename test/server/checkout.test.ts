import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError, CheckoutResponse, OrderResponse, ProductResponse } from '../../src/protocol/index.js';
import { API_KEY, PAGE_ORIGIN, checkout, decodeReceipt, form, json, makeApp, signed, writeCatalog } from './helpers.js';

async function error(res: Response, status: number): Promise<ApiError> {
  assert.equal(res.status, status, `expected ${status}`);
  assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
  return ApiError.parse(await res.json());
}

test('POST /checkout prices from the catalog, signs the URL and the form, answers 201 with the contract shape', async () => {
  const t = makeApp();
  const res = await t.app.request('/robokassa/checkout', json({ items: [{ sku: 'course-basic', quantity: 2 }, { sku: 'course-pro', quantity: 1 }], email: 'buyer@example.com', culture: 'en' }, { origin: PAGE_ORIGIN }));
  assert.equal(res.status, 201);
  const body = CheckoutResponse.parse(await res.json());
  assert.equal(body.amount, '27900.50');
  assert.equal(body.currency, 'KZT');
  assert.equal(body.test, true);
  assert.equal(body.description, 'Online course: basics ×2, Online course: pro');
  assert.match(body.id, /^[A-Za-z0-9_-]{32}$/); // 24 random bytes, base64url
  assert.equal(body.form.action, 'https://auth.robokassa.kz/Merchant/Index.aspx');
  const f = body.form.fields;
  assert.equal(f['MerchantLogin'], 'test-shop');
  assert.equal(f['OutSum'], '27900.50');
  assert.equal(f['InvId'], String(body.invoiceId));
  assert.equal(f['IsTest'], '1');
  assert.equal(f['Culture'], 'en');
  assert.equal(f['Email'], 'buyer@example.com');
  assert.match(f['SignatureValue'] ?? '', /^[0-9a-f]{32}$/);
  // the GET link carries the same signed fields
  const url = new URL(body.url);
  assert.equal(url.origin + url.pathname, body.form.action);
  for (const [k, v] of Object.entries(f)) assert.equal(k === 'Receipt' ? decodeURIComponent(url.searchParams.get(k) ?? '') : url.searchParams.get(k), k === 'Receipt' ? decodeURIComponent(v) : v, k);
  // receipt lines from the catalog add up to OutSum
  const receipt = decodeReceipt(f['Receipt'] ?? '');
  assert.deepEqual(receipt.items.map((i) => [i.name, i.quantity, i.sum, i.tax]), [['Online course: basics', 2, 3000, 'none'], ['Online course: pro', 1, 24900.5, 'vat12']]);
  assert.equal(receipt.items[0]!['payment_method'], 'full_payment');
  assert.equal(receipt.sno, undefined);
  // CORS for the allow-listed origin
  assert.equal(res.headers.get('access-control-allow-origin'), PAGE_ORIGIN);
});

test('POST /checkout without a receipt in the catalog sends no Receipt', async () => {
  const t = makeApp({ ROBOKASSA_CATALOG: writeCatalog({ products: [{ sku: 'a', name: 'A', price: '5.00', currency: 'KZT' }] }) });
  const body = await checkout(t, { items: [{ sku: 'a', quantity: 3 }] });
  assert.equal(body.amount, '15.00');
  assert.equal(body.form.fields['Receipt'], undefined);
});

test('POST /checkout refuses an amount, an unknown sku, bad quantities and a bad e-mail with 400 naming the field', async () => {
  const t = makeApp();
  const cases: [unknown, string][] = [
    [{ items: [{ sku: 'course-basic', quantity: 1 }], amount: '1.00' }, 'amount'],
    [{ items: [{ sku: 'course-basic', quantity: 1, price: '1.00' }] }, 'items.0.price'],
    [{ items: [{ sku: 'no-such-thing', quantity: 1 }] }, 'items.0.sku'],
    [{ items: [{ sku: 'course-basic', quantity: 0 }] }, 'items.0.quantity'],
    [{ items: [{ sku: 'course-basic', quantity: 1.5 }] }, 'items.0.quantity'],
    [{ items: [{ sku: 'course-basic', quantity: 10000 }] }, 'items.0.quantity'],
    [{ items: [{ sku: 'course-basic', quantity: 1 }], email: 'not-an-email' }, 'email'],
    [{ items: [{ sku: 'course-basic', quantity: 1 }], culture: 'de' }, 'culture'],
    [{ items: [{ sku: 'course-basic', quantity: 1 }], returnUrl: 'javascript:alert(1)' }, 'returnUrl'],
    [{}, 'items'],
  ];
  for (const [body, path] of cases) {
    const e = await error(await t.app.request('/robokassa/checkout', json(body)), 400);
    assert.equal(e.error.code, 'invalid_request', JSON.stringify(body));
    assert.ok(e.error.issues?.some((i) => i.path === path), `${JSON.stringify(body)} -> ${JSON.stringify(e.error.issues)}`);
    assert.ok(e.error.message.length > 0);
  }
  assert.equal((await error(await t.app.request('/robokassa/checkout', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{nope' }), 400)).error.code, 'invalid_json');
});

test('Idempotency-Key: same key and body -> same payment; same key, other body -> 409; no key -> a new payment', async () => {
  const t = makeApp();
  const body = { items: [{ sku: 'course-basic', quantity: 1 }] };
  const a = await checkout(t, body, { 'idempotency-key': 'key-1' });
  const b = await checkout(t, body, { 'idempotency-key': 'key-1' });
  assert.deepEqual(b, a);
  const conflict = await t.app.request('/robokassa/checkout', json({ items: [{ sku: 'course-basic', quantity: 2 }] }, { 'idempotency-key': 'key-1', origin: PAGE_ORIGIN }));
  assert.equal((await error(conflict, 409)).error.code, 'idempotency_conflict');
  const c = await checkout(t, body);
  assert.notEqual(c.id, a.id);
  assert.notEqual(c.invoiceId, a.invoiceId);
  const concurrent = await Promise.all(Array.from({ length: 10 }, () => checkout(t, body, { 'idempotency-key': 'key-2' })));
  assert.equal(new Set(concurrent.map((p) => p.id)).size, 1);
  const bad = await t.app.request('/robokassa/checkout', json(body, { 'idempotency-key': 'has space' }));
  assert.equal((await error(bad, 400)).error.issues?.[0]?.path, 'Idempotency-Key');
});

test('a payment for an order registered through POST /orders, with the order\'s prices and receipt', async () => {
  const t = makeApp();
  const create = await t.app.request('/robokassa/orders', json({
    description: 'Invoice 2026-17',
    items: [{ name: 'Consulting', price: '1000.10', quantity: 3, tax: 'vat12', paymentObject: 'service' }, { name: 'Delivery', price: '500', quantity: 1 }],
  }, { authorization: `Bearer ${API_KEY}` }));
  assert.equal(create.status, 201);
  const { orderId } = (await create.json()) as { orderId: string };
  assert.match(orderId, /^ord_[A-Za-z0-9_-]{16}$/);

  const shown = OrderResponse.parse(await (await t.app.request(`/robokassa/orders/${orderId}`)).json());
  assert.deepEqual(shown, { orderId, description: 'Invoice 2026-17', amount: '3500.30', currency: 'KZT', status: 'open', test: true });

  const pay = await checkout(t, { orderId, email: 'a@b.kz' });
  assert.equal(pay.amount, '3500.30');
  assert.equal(pay.description, 'Invoice 2026-17');
  const receipt = decodeReceipt(pay.form.fields['Receipt'] ?? '');
  assert.deepEqual(receipt.items.map((i) => i.sum), [3000.3, 500]);

  await t.app.request('/robokassa/result', form(signed({ outSum: '3500.300000', invId: pay.invoiceId })));
  assert.equal(OrderResponse.parse(await (await t.app.request(`/robokassa/orders/${orderId}`)).json()).status, 'paid');
  const again = await t.app.request('/robokassa/checkout', json({ orderId }));
  assert.equal((await error(again, 409)).error.code, 'order_paid');
  assert.equal((await error(await t.app.request('/robokassa/checkout', json({ orderId: 'missing-order' })), 404)).error.issues?.[0]?.path, 'orderId');
  assert.equal((await error(await t.app.request('/robokassa/orders/missing-order'), 404)).error.code, 'order_not_found');
});

test('POST /orders needs the API key, validates items, refuses a taken orderId; disabled without a key', async () => {
  const t = makeApp();
  const body = { orderId: 'shop-17', items: [{ name: 'Thing', price: '10.00', quantity: 1 }] };
  const none = await t.app.request('/robokassa/orders', json(body));
  assert.equal((await error(none, 401)).error.code, 'unauthorized');
  assert.equal(none.headers.get('www-authenticate'), 'Bearer');
  assert.equal((await error(await t.app.request('/robokassa/orders', json(body, { authorization: 'Bearer wrong-key-wrong-key' })), 401)).error.code, 'unauthorized');
  const auth = { authorization: `Bearer ${API_KEY}` };
  assert.equal((await t.app.request('/robokassa/orders', json(body, auth))).status, 201);
  assert.equal((await error(await t.app.request('/robokassa/orders', json(body, auth)), 409)).error.code, 'order_exists');
  const bad: [unknown, string][] = [
    [{ items: [{ name: 'X', price: '1.005', quantity: 1 }] }, 'items.0.price'],
    [{ items: [{ name: 'X', price: '-1', quantity: 1 }] }, 'items.0.price'],
    [{ items: [{ name: 'X', price: '1.00', quantity: 1, tax: 'vat20' }] }, 'items.0.tax'], // Russian VAT in a kz shop
    [{ items: [{ name: 'X', price: '1.00', quantity: 1, paymentObject: 'spaceship' }] }, 'items.0.paymentObject'],
    [{ items: [] }, 'items'],
    [{ items: [{ name: 'X', price: '1.00', quantity: 1 }], currency: 'RUB' }, 'currency'],
    [{ items: [{ name: 'X', price: '1.00', quantity: 1 }], receipt: { sno: 'nonsense' } }, 'receipt.sno'],
  ];
  for (const [b, path] of bad) {
    const e = await error(await t.app.request('/robokassa/orders', json(b, auth)), 400);
    assert.ok(e.error.issues?.some((i) => i.path === path), `${JSON.stringify(b)} -> ${JSON.stringify(e.error.issues)}`);
  }
  const disabled = makeApp({ ROBOKASSA_API_KEY: undefined });
  assert.equal((await error(await disabled.app.request('/robokassa/orders', json(body, auth)), 404)).error.code, 'not_found');
});

test('GET /products/{sku}, GET /payments/{id}, GET /healthz', async () => {
  const t = makeApp();
  const product = ProductResponse.parse(await (await t.app.request('/robokassa/products/course-pro')).json());
  assert.deepEqual(product, { sku: 'course-pro', name: 'Online course: pro', price: '24900.50', currency: 'KZT', test: true });
  assert.equal((await error(await t.app.request('/robokassa/products/none'), 404)).error.code, 'product_not_found');
  const pay = await checkout(t);
  const res = await t.app.request(`/robokassa/payments/${pay.id}`);
  assert.deepEqual(await res.json(), { id: pay.id, invoiceId: pay.invoiceId, status: 'pending', amount: '1500.00', currency: 'KZT', paidAt: null });
  assert.equal(res.headers.get('cache-control'), 'no-store');
  assert.equal((await error(await t.app.request('/robokassa/payments/guess'), 404)).error.code, 'payment_not_found');
  const health = await t.app.request('/robokassa/healthz');
  assert.equal(health.status, 200);
  assert.deepEqual(await health.json(), { status: 'ok' });
});

test('CORS: preflight for an allowed origin with Idempotency-Key; refused for others; no header for others', async () => {
  const t = makeApp();
  const pre = await t.app.request('/robokassa/checkout', { method: 'OPTIONS', headers: { origin: PAGE_ORIGIN, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type, idempotency-key' } });
  assert.equal(pre.status, 204);
  assert.equal(pre.headers.get('access-control-allow-origin'), PAGE_ORIGIN);
  assert.match(pre.headers.get('access-control-allow-headers') ?? '', /Idempotency-Key/);
  assert.match(pre.headers.get('access-control-allow-headers') ?? '', /Content-Type/);
  assert.match(pre.headers.get('access-control-allow-methods') ?? '', /POST/);
  const other = await t.app.request('/robokassa/checkout', { method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } });
  assert.equal(other.status, 403);
  assert.equal(other.headers.get('access-control-allow-origin'), null);
  const get = await t.app.request('/robokassa/products/course-basic', { headers: { origin: 'https://evil.example' } });
  assert.equal(get.status, 200);
  assert.equal(get.headers.get('access-control-allow-origin'), null);
  assert.match(get.headers.get('vary') ?? '', /Origin/);
});

test('bodies over 16 KiB -> 413, wrong content type -> 415, unknown routes -> 404 JSON, no stack traces', async () => {
  const t = makeApp();
  const big = JSON.stringify({ items: [{ sku: 'course-basic', quantity: 1 }], pad: 'x'.repeat(17 * 1024) });
  assert.equal((await error(await t.app.request('/robokassa/checkout', { method: 'POST', headers: { 'content-type': 'application/json' }, body: big }), 413)).error.code, 'payload_too_large');
  assert.equal((await error(await t.app.request('/robokassa/checkout', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{}' }), 415)).error.code, 'unsupported_media_type');
  assert.equal((await error(await t.app.request('/robokassa/checkout', { method: 'POST', body: 'a=1' }), 415)).error.code, 'unsupported_media_type');
  assert.equal((await error(await t.app.request('/robokassa/nope'), 404)).error.code, 'not_found');
  assert.equal((await error(await t.app.request('/elsewhere'), 404)).error.code, 'not_found');
  assert.equal((await error(await t.app.request('/robokassa/checkout'), 404)).error.code, 'not_found'); // GET on a POST route
});

test('an unexpected failure answers 500 JSON without a stack trace, and logs no secret', async () => {
  const t = makeApp();
  t.store.close(); // every store call now throws
  const res = await t.app.request('/robokassa/payments/anything');
  const e = await error(res, 500);
  assert.equal(e.error.code, 'internal_error');
  const text = JSON.stringify(e);
  assert.ok(!/at .*\.ts:\d+/.test(text));
  assert.ok(t.logs.some((l) => l['event'] === 'unhandled_error'));
});

test('each request is logged as one structured entry: method, path, status, ms', async () => {
  const t = makeApp();
  await t.app.request('/robokassa/products/course-basic?secret=1');
  const entry = t.logs.find((l) => l['path'] === '/robokassa/products/course-basic');
  assert.ok(entry);
  assert.equal(entry['method'], 'GET');
  assert.equal(entry['status'], 200);
  assert.equal(typeof entry['ms'], 'number');
  assert.equal(typeof entry['time'], 'string');
});

test('kk: a buyer whose browser prefers Kazakh gets Culture=ru at Robokassa and kk pages back', async () => {
  const t = makeApp();
  const pay = await checkout(t, { items: [{ sku: 'hundred', quantity: 1 }] }, { 'accept-language': 'kk-KZ,kk;q=0.9,ru;q=0.8' });
  assert.equal(pay.form.fields['Culture'], 'ru');
  const page = await t.app.request(`/robokassa/fail?OutSum=100.00&InvId=${pay.invoiceId}&Culture=ru`);
  assert.match(await page.text(), /<html lang="kk">/);
});

test('an order the protocol can\'t sign (a receipt line over 8 integer digits) answers 422 and uses up no InvId', async () => {
  const t = makeApp();
  const create = await t.app.request('/robokassa/orders', json({ items: [{ name: 'Yacht', price: '100000000.00', quantity: 1 }] }, { authorization: `Bearer ${API_KEY}` }));
  const { orderId } = (await create.json()) as { orderId: string };
  const e = await error(await t.app.request('/robokassa/checkout', json({ orderId })), 422);
  assert.equal(e.error.code, 'unsignable_payment');
  assert.match(e.error.message, /Receipt\.items\[0\]\.sum/);
  const next = await checkout(t);
  assert.equal(next.invoiceId, 1);
});

test('a catalog cart\'s receipt, checked once and reused, follows the cart: other quantities, other lines; an unsignable cart is a 422 every time', async () => {
  const t = makeApp({ ROBOKASSA_CATALOG: writeCatalog({ receipt: {}, products: [{ sku: 'b', name: 'Book', price: '1.50', currency: 'KZT' }, { sku: 'yacht', name: 'Yacht', price: '9000000.00', currency: 'KZT' }] }) });
  const lines = (pay: { form: { fields: Record<string, string> } }) => decodeReceipt(pay.form.fields['Receipt'] ?? '').items.map((i) => [i.name, i.quantity, i.sum]);
  for (let round = 0; round < 2; round++) {
    assert.deepEqual(lines(await checkout(t, { items: [{ sku: 'b', quantity: 1 }] })), [['Book', 1, 1.5]]);
    assert.deepEqual(lines(await checkout(t, { items: [{ sku: 'b', quantity: 3 }] })), [['Book', 3, 4.5]]);
    assert.deepEqual(lines(await checkout(t, { items: [{ sku: 'b', quantity: 3 }, { sku: 'yacht', quantity: 1 }] })), [['Book', 3, 4.5], ['Yacht', 1, 9000000]]);
    // 12 yachts: a line over Robokassa's 8 integer digits
    const e = await error(await t.app.request('/robokassa/checkout', json({ items: [{ sku: 'yacht', quantity: 12 }] })), 422);
    assert.equal(e.error.code, 'unsignable_payment');
    assert.match(e.error.message, /Receipt\.items\[0\]\.sum/);
  }
});

test('a returnUrl outside the allow-list is not recorded, and the checkout still goes ahead', async () => {
  const t = makeApp();
  const pay = await checkout(t, { items: [{ sku: 'hundred', quantity: 1 }], returnUrl: 'https://evil.example/back' });
  assert.equal((await t.store.getPayment(pay.id))?.returnUrl, null);
  assert.ok(t.logs.some((l) => l['event'] === 'return_url_ignored' && l['origin'] === 'https://evil.example'));
  const kept = await checkout(t, { items: [{ sku: 'hundred', quantity: 1 }], returnUrl: `${PAGE_ORIGIN}/cart` });
  assert.equal((await t.store.getPayment(kept.id))?.returnUrl, `${PAGE_ORIGIN}/cart`);
});

test('the Description is built from item names and kept within Robokassa\'s 100 characters', async () => {
  const long = 'Полный пакет "Веб-разработчик с нуля до первой работы": 12 курсов, 48 практических заданий, ревью кода';
  const t = makeApp({ ROBOKASSA_CATALOG: writeCatalog({ receipt: {}, products: [{ sku: 'long', name: long, price: '10.00', currency: 'KZT' }, { sku: 'b', name: 'Book', price: '1.00', currency: 'KZT' }] }) });
  const pay = await checkout(t, { items: [{ sku: 'b', quantity: 2 }, { sku: 'long', quantity: 1 }] });
  assert.ok([...pay.description].length <= 100, pay.description);
  assert.ok(pay.description.startsWith('Book ×2, Полный пакет'));
  assert.ok(pay.description.endsWith('…'));
  assert.equal(pay.form.fields['Description'], pay.description);
  // the receipt keeps the full names
  assert.equal(decodeReceipt(pay.form.fields['Receipt'] ?? '').items[1]?.name, long);
});

test('a catalog cart sold again: every payment gets the cart\'s own lines, total and description (kept per cart), others are other carts', async () => {
  const t = makeApp();
  const cart = { items: [{ sku: 'course-basic', quantity: 2 }, { sku: 'hundred', quantity: 1 }] };
  const first = await checkout(t, cart);
  const again = await checkout(t, cart);
  assert.notEqual(again.id, first.id);
  for (const p of [first, again]) {
    assert.equal(p.amount, '3100.00');
    assert.equal(p.description, 'Online course: basics ×2, Hundred');
    assert.equal(p.form.fields['Receipt'], first.form.fields['Receipt']);
    const stored = await t.store.getPayment(p.id);
    assert.deepEqual(stored?.items.map((i) => [i.sku, i.quantity, i.price, i.sum]), [['course-basic', 2, '1500.00', '3000.00'], ['hundred', 1, '100.00', '100.00']]);
  }
  // another quantity, another order of the same SKUs: other carts, priced as such
  assert.equal((await checkout(t, { items: [{ sku: 'course-basic', quantity: 3 }, { sku: 'hundred', quantity: 1 }] })).amount, '4600.00');
  assert.equal((await checkout(t, { items: [{ sku: 'hundred', quantity: 1 }, { sku: 'course-basic', quantity: 2 }] })).description, 'Hundred, Online course: basics ×2');
  // an unknown SKU next to a known cart is still the 400 naming it
  const bad = await error(await t.app.request('/robokassa/checkout', json({ items: [...cart.items, { sku: 'no-such-thing', quantity: 1 }] })), 400);
  assert.deepEqual(bad.error.issues?.map((i) => i.path), ['items.2.sku']);
  t.store.close();
});
