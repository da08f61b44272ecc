// Through a real listening server (port 0): what fetch, a browser and Robokassa actually see.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { CheckoutResponse, PaymentStatusResponse } from '../../src/protocol/index.js';
import { PAGE_ORIGIN, PASSWORD1, makeApp, signed } from './helpers.js';

let server: ServerType;
let base: string;
const t = makeApp();

before(async () => {
  server = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch: t.app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/robokassa`;
});

after(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  t.store.close();
});

test('checkout, ResultURL (form POST), status and the return page over real HTTP', async () => {
  const res = await fetch(`${base}/checkout`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: PAGE_ORIGIN, 'idempotency-key': 'http-1' },
    body: JSON.stringify({ items: [{ sku: 'course-basic', quantity: 1 }], culture: 'ru' }),
  });
  assert.equal(res.status, 201);
  assert.equal(res.headers.get('access-control-allow-origin'), PAGE_ORIGIN);
  const pay = CheckoutResponse.parse(await res.json());

  const result = await fetch(`${base}/result`, { method: 'POST', body: signed({ outSum: '1500.000000', invId: pay.invoiceId, shp: { Shp_order: 'x1' } }) });
  assert.equal(result.status, 200);
  assert.equal(result.headers.get('content-type'), 'text/plain; charset=UTF-8');
  assert.equal(await result.text(), `OK${pay.invoiceId}`);

  const status = PaymentStatusResponse.parse(await (await fetch(`${base}/payments/${pay.id}`)).json());
  assert.equal(status.status, 'paid');
  assert.equal(t.paid.length, 1);

  const success = await fetch(`${base}/success`, { method: 'POST', body: signed({ outSum: '1500.000000', invId: pay.invoiceId, password: PASSWORD1, extra: { Culture: 'ru' } }) });
  assert.equal(success.status, 200);
  assert.match(success.headers.get('content-security-policy') ?? '', /script-src 'self'/);
  assert.match(await success.text(), /Оплата завершена/);
});

test('a chunked body over 16 KiB is cut off with 413 (no Content-Length to trust)', async () => {
  const chunk = new TextEncoder().encode('x'.repeat(4096));
  let sent = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent++ < 8) controller.enqueue(chunk);
      else controller.close();
    },
  });
  const res = await fetch(`${base}/checkout`, { method: 'POST', headers: { 'content-type': 'application/json' }, body, duplex: 'half' } as RequestInit);
  assert.equal(res.status, 413);
  assert.equal(((await res.json()) as { error: { code: string } }).error.code, 'payload_too_large');
});
