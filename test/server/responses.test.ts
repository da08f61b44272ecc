// The hot routes' answers carry their CORS headers themselves (responses.ts), every other answer gets
// them from createApp's front middleware: in both cases Vary: Origin always, Access-Control-Allow-Origin
// only for an allow-listed origin, through app.request and through a real listening server (where the
// answers with plain header objects take @hono/node-server's own path to the socket).
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { CheckoutResponse } from '../../src/protocol/index.js';
import { PAGE_ORIGIN, makeApp, signed } from './helpers.js';

const OTHER_ALLOWED = 'http://localhost:3000';
const STRANGER = 'https://evil.example';

let server: ServerType;
let base: string;
const t = makeApp();

before(async () => {
  server = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch: t.app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  t.store.close();
});

type Send = (path: string, init?: RequestInit) => Promise<Response>;
const viaApp: Send = async (path, init) => t.app.request(path, init);
const viaHttp: Send = (path, init) => fetch(`${base}${path}`, init);

function corsOf(res: Response): { vary: string | null; acao: string | null } {
  return { vary: res.headers.get('vary'), acao: res.headers.get('access-control-allow-origin') };
}

let key = 0;
async function checkoutFrom(send: Send, origin: string | undefined): Promise<Response> {
  return send('/robokassa/checkout', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': `responses-${++key}`, ...(origin !== undefined && { origin }) },
    body: JSON.stringify({ items: [{ sku: 'course-basic', quantity: 1 }] }),
  });
}

for (const [how, send] of [['app.request', viaApp], ['a listening server', viaHttp]] as const) {
  test(`${how}: checkout, status and ResultURL answers name the allowed origin, never another, and always say Vary: Origin`, async () => {
    // the origins alternate: an answer's headers are never another request's
    for (const origin of [PAGE_ORIGIN, STRANGER, OTHER_ALLOWED, undefined, PAGE_ORIGIN]) {
      const allowed = origin === PAGE_ORIGIN || origin === OTHER_ALLOWED ? origin : null;
      const headers: Record<string, string> = origin === undefined ? {} : { origin };
      const created = await checkoutFrom(send, origin);
      assert.equal(created.status, 201);
      assert.equal(created.headers.get('content-type'), 'application/json');
      assert.deepEqual(corsOf(created), { vary: 'Origin', acao: allowed }, `checkout from ${origin}`);
      const pay = CheckoutResponse.parse(await created.json());

      const status = await send(`/robokassa/payments/${pay.id}`, { headers });
      assert.equal(status.status, 200);
      assert.equal(status.headers.get('cache-control'), 'no-store');
      assert.deepEqual(corsOf(status), { vary: 'Origin', acao: allowed }, `status from ${origin}`);
      assert.equal(((await status.json()) as { id: string }).id, pay.id);

      const result = await send('/robokassa/result', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body: signed({ outSum: '1500.00', invId: pay.invoiceId }) });
      assert.equal(result.status, 200);
      assert.equal(result.headers.get('content-type'), 'text/plain; charset=UTF-8');
      assert.equal(result.headers.get('cache-control'), 'no-store');
      assert.deepEqual(corsOf(result), { vary: 'Origin', acao: allowed }, `result from ${origin}`);
      assert.equal(await result.text(), `OK${pay.invoiceId}`);

      const refused = await send('/robokassa/result', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body: 'OutSum=1500.00&InvId=1&SignatureValue=00' });
      assert.equal(refused.status, 400);
      assert.deepEqual(corsOf(refused), { vary: 'Origin', acao: allowed }, `refused result from ${origin}`);
    }
  });

  test(`${how}: answers made elsewhere (an error, an unknown route, healthz) get the same CORS headers from the front middleware`, async () => {
    for (const origin of [PAGE_ORIGIN, STRANGER]) {
      const allowed = origin === PAGE_ORIGIN ? origin : null;
      const bad = await send('/robokassa/checkout', { method: 'POST', headers: { 'content-type': 'application/json', origin }, body: '{"items":[]}' });
      assert.equal(bad.status, 400);
      assert.deepEqual(corsOf(bad), { vary: 'Origin', acao: allowed });
      const missing = await send('/robokassa/nope', { headers: { origin } });
      assert.equal(missing.status, 404);
      assert.deepEqual(corsOf(missing), { vary: 'Origin', acao: allowed });
      const health = await send('/robokassa/healthz', { headers: { origin } });
      assert.deepEqual(corsOf(health), { vary: 'Origin', acao: allowed });
    }
    // outside /robokassa/ no CORS at all
    const outside = await send('/elsewhere', { headers: { origin: PAGE_ORIGIN } });
    assert.equal(outside.status, 404);
    assert.deepEqual(corsOf(outside), { vary: null, acao: null });
  });
}
