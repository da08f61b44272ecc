// Clickjacking and XSS defences in the headers of every page a buyer sees outside the shop's own page:
// the backend's return pages (success, fail, invalid) and the sandbox's pages refuse to be framed —
// CSP frame-ancestors 'none' for today's browsers and X-Frame-Options: DENY for older ones — run no
// inline script, and names and descriptions from the catalog or an order are escaped on them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSandboxApp } from '../../../src/sandbox/app.js';
import { nodeHasher } from '../../../src/node-hasher.js';
import { buildPaymentRequest } from '../../../src/protocol/index.js';
import { API_KEY, PAGE_ORIGIN, PASSWORD1, checkout, json, signed } from '../helpers.js';
import { fileApp } from './support.js';

const EVIL = '"><script>alert(1)</script><img src=x onerror=alert(2)>';

function assertNoFraming(res: Response, where: string): void {
  const csp = res.headers.get('content-security-policy') ?? '';
  assert.match(csp, /frame-ancestors 'none'/, `${where}: CSP ${csp}`);
  assert.equal(res.headers.get('x-frame-options'), 'DENY', `${where}: X-Frame-Options`);
  assert.equal(res.headers.get('x-content-type-options'), 'nosniff', `${where}: nosniff`);
  assert.doesNotMatch(csp, /'unsafe-inline'|'unsafe-eval'/, `${where}: CSP allows inline script`);
}

test('return pages (success, fail, invalid, unknown) cannot be framed and carry a strict CSP', async () => {
  const t = fileApp();
  try {
    const pay = await checkout(t, undefined, { origin: PAGE_ORIGIN });
    const pages = [
      `/robokassa/success?${signed({ outSum: '1500.00', invId: pay.invoiceId, password: PASSWORD1 })}`,
      `/robokassa/success?OutSum=1.00&InvId=${pay.invoiceId}`,
      `/robokassa/fail?OutSum=1500.00&InvId=${pay.invoiceId}`,
      '/robokassa/fail?OutSum=1.00&InvId=999999',
    ];
    for (const path of pages) assertNoFraming(await t.app.request(path), path);
  } finally {
    t.close();
  }
});

test('sandbox pages cannot be framed, and an order description full of markup is shown as text', async () => {
  const t = fileApp();
  try {
    // an order registered by the shop's backend with a hostile description and item name
    const order = await t.app.request('/robokassa/orders', json({ orderId: 'xss-1', description: EVIL.slice(0, 100), items: [{ name: EVIL, price: '10.00', quantity: 1 }] }, { authorization: `Bearer ${API_KEY}` }));
    assert.equal(order.status, 201);
    const created = await t.app.request('/robokassa/checkout', json({ orderId: 'xss-1' }));
    assert.equal(created.status, 201);
    // the markup travels as JSON data, never as a document
    assert.match(created.headers.get('content-type') ?? '', /^application\/json/);
  } finally {
    t.close();
  }
  const sandbox = createSandboxApp({
    merchantLogin: 'test-shop', password1: 'sandbox-pass-1', password2: 'sandbox-pass-2', hashAlgorithm: 'md5', testMode: true,
    resultUrl: 'http://shop.test/robokassa/result', successUrl: 'http://shop.test/robokassa/success', failUrl: 'http://shop.test/robokassa/fail',
    log: () => undefined,
  });
  const request = buildPaymentRequest({ merchantLogin: 'test-shop', hashAlgorithm: 'md5', region: 'kz', test: true, paymentUrl: 'http://sandbox.test/sandbox/Merchant/Index.aspx' },
    'sandbox-pass-1', { outSum: '10.00', invId: 5, description: EVIL.slice(0, 100) }, nodeHasher);
  let res = await sandbox.request(request.url);
  for (let hops = 0; res.status === 303 && hops < 3; hops++) res = await sandbox.request(new URL(res.headers.get('location')!, 'http://sandbox.test').href);
  assert.equal(res.status, 200);
  assertNoFraming(res, 'sandbox payment page');
  const html = await res.text();
  assert.doesNotMatch(html, /<script>alert|<img src=x/);
  const refused = await sandbox.request('http://sandbox.test/sandbox/Merchant/Index.aspx?MerchantLogin=test-shop&OutSum=1&InvId=1&SignatureValue=00');
  assertNoFraming(refused, 'sandbox error page');
});
