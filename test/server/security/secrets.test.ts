// Secrets stay secret: the built files in dist/ carry none of the configured passwords (the demo's, the
// tests'), and a full payment run through the backend and the sandbox — success, refusals, every error
// path — shows them in no response body, no response header and no log line, of either side. Card
// data typed on the sandbox's page never reaches the shop: not in a request to it, not in its store.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createSandboxApp } from '../../../src/sandbox/app.js';
import { API_KEY, PAGE_ORIGIN, PASSWORD1, PASSWORD2, form, json, peer, signed } from '../helpers.js';
import { fileApp } from './support.js';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
/** Every password the project configures anywhere: the demo's (public, but for the sandbox only) and the tests'. */
const SECRETS = ['demo-password-1', 'demo-password-2', PASSWORD1, PASSWORD2, API_KEY];
const CARD = '4111111111111111';

function walk(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

test('dist/ (the embed, the npm and node builds, the demo script, types) contains no configured password', () => {
  const dist = join(ROOT, 'dist');
  const files = walk(dist);
  assert.ok(files.some((f) => f.endsWith('robokassa-checkout.js')), 'dist/robokassa-checkout.js is missing: run the build first');
  const hits: string[] = [];
  for (const file of files) {
    const text = readFileSync(file).toString('latin1');
    for (const s of SECRETS) if (text.includes(s)) hits.push(`${relative(ROOT, file)}: ${s.slice(0, 4)}…`);
  }
  assert.deepEqual(hits, []);
  // the embed can't sign: no password, and no hashing either (DESIGN.md: the bundle carries no secrets)
  const embed = readFileSync(join(dist, 'robokassa-checkout.js'), 'utf8');
  assert.ok(!/password1|password2|ROBOKASSA_PASSWORD|SignatureValue/i.test(embed), 'the embed mentions signing');
});

test('a full run — checkout, the sandbox page, a card payment, ResultURL, return pages, every error path — never shows a password', async () => {
  const SANDBOX = 'http://sandbox.test';
  const t = fileApp({ ROBOKASSA_PAYMENT_URL: `${SANDBOX}/sandbox/Merchant/Index.aspx`, ROBOKASSA_RATE_LIMIT: '3', ROBOKASSA_TRUST_PROXY: '127.0.0.1' });
  const seen: { where: string; text: string }[] = [];
  const shopRequests: string[] = [];
  const sandboxLogs: Record<string, unknown>[] = [];
  const record = async (where: string, res: Response): Promise<Response> => {
    const text = await res.clone().text();
    seen.push({ where, text: `${[...res.headers].map(([k, v]) => `${k}: ${v}`).join('\n')}\n\n${text}` });
    return res;
  };
  // the shop, as the sandbox reaches it: every request recorded (no card data may come through)
  const shop = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const req = new Request(input, init);
    shopRequests.push(`${req.url}\n${await req.clone().text()}`);
    return record(`sandbox->shop ${req.method} ${new URL(req.url).pathname}`, await t.app.fetch(req));
  };
  const sandbox = createSandboxApp({
    merchantLogin: 'test-shop', password1: PASSWORD1, password2: PASSWORD2, hashAlgorithm: 'md5', testMode: true,
    resultUrl: 'http://shop.test/robokassa/result', successUrl: 'http://shop.test/robokassa/success', failUrl: 'http://shop.test/robokassa/fail',
    fetch: shop as typeof fetch, log: (e) => void sandboxLogs.push(e), retryDelaysMs: [1, 1], notifyWaitMs: 2_000,
  });
  const backend = async (path: string, init?: RequestInit): Promise<Response> => record(`shop ${init?.method ?? 'GET'} ${path}`, await t.app.request(path, init, peer('127.0.0.1')));
  const onSandbox = async (url: string, init?: RequestInit): Promise<Response> => record(`sandbox ${init?.method ?? 'GET'} ${new URL(url).pathname}`, await sandbox.request(url, init));
  try {
    // the happy path: checkout, the payment page, a card, the notification the sandbox sends
    const created = await backend('/robokassa/checkout', json({ items: [{ sku: 'course-basic', quantity: 1 }], email: 'buyer@example.com', returnUrl: `${PAGE_ORIGIN}/shop` }, { origin: PAGE_ORIGIN, 'idempotency-key': 'secret-run', 'x-forwarded-for': '203.0.113.1' }));
    assert.equal(created.status, 201);
    const pay = (await created.json()) as { id: string; invoiceId: number; url: string };
    let res = await onSandbox(pay.url);
    for (let hops = 0; res.status === 303 && hops < 3; hops++) res = await onSandbox(new URL(res.headers.get('location')!, SANDBOX).href);
    assert.equal(res.status, 200, 'the sandbox shows its payment page');
    const action = /<form[^>]*method="post"[^>]*action="([^"]+)"/i.exec(await res.clone().text())?.[1] ?? /action="([^"]+)"/.exec(await res.clone().text())?.[1];
    assert.ok(action, 'a card form on the page');
    const paid = await onSandbox(new URL(action.replace(/&amp;/g, '&'), SANDBOX).href, {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ cardNumber: CARD, expiry: '12/30', cvc: '987', email: 'buyer@example.com' }).toString(),
    });
    assert.ok(paid.status < 500);
    for (let i = 0; i < 100 && t.paid.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    assert.equal(t.paid.length, 1, 'the sandbox\'s ResultURL made the payment paid');
    // the return pages, the status, a second checkout with the same key
    await backend(`/robokassa/success?${signed({ outSum: '1500.00', invId: pay.invoiceId, password: PASSWORD1, extra: { Culture: 'ru' } })}`);
    await backend(`/robokassa/fail?OutSum=1500.00&InvId=${pay.invoiceId}`);
    await backend(`/robokassa/payments/${pay.id}`);
    await backend('/robokassa/checkout', json({ items: [{ sku: 'course-basic', quantity: 1 }], email: 'buyer@example.com', returnUrl: `${PAGE_ORIGIN}/shop` }, { origin: PAGE_ORIGIN, 'idempotency-key': 'secret-run', 'x-forwarded-for': '203.0.113.1' }));
    // every error path
    const errors: [string, RequestInit | undefined][] = [
      ['/robokassa/result', form(signed({ outSum: '1500.000000', invId: pay.invoiceId, password: 'wrong-password-x' }))],
      ['/robokassa/result', form(signed({ outSum: '1.000000', invId: pay.invoiceId }))],
      ['/robokassa/result', form(signed({ outSum: '1500.000000', invId: 424242 }))],
      ['/robokassa/result', form(new URLSearchParams({ InvId: '1' }))],
      ['/robokassa/result', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }],
      [`/robokassa/success?${signed({ outSum: '1500.00', invId: pay.invoiceId, password: PASSWORD2 })}`, undefined],
      ['/robokassa/success?InvId=x', undefined],
      ['/robokassa/checkout', json({ items: [{ sku: 'course-basic', quantity: 1 }], amount: '1.00' })],
      ['/robokassa/checkout', json({ items: [{ sku: 'nope', quantity: 1 }] })],
      ['/robokassa/checkout', json({ items: [{ sku: 'course-basic', quantity: 1 }] }, { 'idempotency-key': 'secret-run', 'x-forwarded-for': '203.0.113.1' })],
      ['/robokassa/checkout', json({ items: [{ sku: 'course-basic', quantity: 1 }] }, { 'x-forwarded-for': '203.0.113.1' })],
      ['/robokassa/checkout', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'x' }],
      ['/robokassa/checkout', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"x":' }],
      ['/robokassa/checkout', { method: 'POST', headers: { 'content-type': 'application/json' }, body: 'x'.repeat(20_000) }],
      ['/robokassa/orders', json({ items: [] }, { authorization: 'Bearer wrong-key-0123456789' })],
      ['/robokassa/orders', json({ items: [{ name: 'x', price: 'abc', quantity: 1 }] }, { authorization: `Bearer ${API_KEY}` })],
      ['/robokassa/orders/nope', undefined],
      ['/robokassa/payments/nope', undefined],
      ['/robokassa/products/nope', undefined],
      ['/robokassa/nowhere', undefined],
      ['/robokassa/checkout', { method: 'OPTIONS', headers: { origin: 'https://evil.example' } }],
    ];
    for (const [path, init] of errors) assert.ok((await backend(path, init)).status >= 400, path);
    // the sandbox's own refusals: a forged signature, an unknown page
    const forged = new URL(pay.url);
    forged.searchParams.set('OutSum', '1.00');
    await onSandbox(forged.href);
    await onSandbox(`${SANDBOX}/sandbox/Merchant/Payment/nope`);

    assert.ok(seen.length > 30, `only ${seen.length} responses seen`);
    const everything = [
      ...seen.map((s) => [s.where, s.text] as const),
      ...t.logs.map((l) => ['shop log', JSON.stringify(l)] as const),
      ...sandboxLogs.map((l) => ['sandbox log', JSON.stringify(l)] as const),
      ...(await t.store.listNotifications()).map((n) => ['notification record', JSON.stringify(n)] as const),
    ];
    for (const [where, text] of everything) {
      for (const s of SECRETS) assert.ok(!text.includes(s), `${where} shows a password: ${text.slice(0, 200)}`);
    }
    // card data stays with the payment page: nothing sent to the shop, nothing stored, nothing logged
    const shopSide = [...shopRequests, ...t.logs.map((l) => JSON.stringify(l)), ...sandboxLogs.map((l) => JSON.stringify(l))];
    for (const text of shopSide) {
      assert.ok(!text.includes(CARD) && !text.includes('4111 1111') && !/cvc=|cvv=|987&/i.test(text), `card data: ${text.slice(0, 200)}`);
    }
    const dbText = JSON.stringify(t.db.prepare('SELECT * FROM payments').all()) + JSON.stringify(t.db.prepare('SELECT * FROM notifications').all());
    assert.ok(!dbText.includes(CARD) && !dbText.includes('1111111111'), 'card data in the shop\'s database');
  } finally {
    t.close();
  }
});
