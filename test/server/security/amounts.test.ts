// Amount tampering: the price never comes from the buyer. Any amount or price in the checkout body is
// refused, quantities can't be negative, fractional or huge, and a registered order whose total
// Robokassa can't take is refused when it is registered (GET /orders never answers outside the contract).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OrderResponse } from '../../../src/protocol/index.js';
import { API_KEY, json } from '../helpers.js';
import { assertErrorShape, fileApp, snapshot } from './support.js';

const auth = { authorization: `Bearer ${API_KEY}` };

test('checkout bodies that try to set the price, or quantities that would bend it, are refused and write nothing', async () => {
  const t = fileApp({ ROBOKASSA_RATE_LIMIT: '0' });
  try {
    const before = snapshot(t.db);
    const bodies: unknown[] = [
      { items: [{ sku: 'course-basic', quantity: 1 }], amount: '1.00' },
      { items: [{ sku: 'course-basic', quantity: 1 }], outSum: '1.00' },
      { items: [{ sku: 'course-basic', quantity: 1, price: '1.00' }] },
      { items: [{ sku: 'course-basic', quantity: 1, sum: '1.00' }] },
      { items: [{ sku: 'course-basic', quantity: 0 }] },
      { items: [{ sku: 'course-basic', quantity: -1 }] },
      { items: [{ sku: 'course-basic', quantity: 0.01 }] },
      { items: [{ sku: 'course-basic', quantity: 1e9 }] },
      { items: [{ sku: 'course-basic', quantity: '1' }] },
      { orderId: 'order-x', amount: '1.00' },
      { items: [{ sku: 'course-basic', quantity: 1 }], currency: 'USD' },
    ];
    for (const body of bodies) {
      const res = await t.app.request('/robokassa/checkout', json(body));
      assert.equal(res.status, 400, JSON.stringify(body));
      assertErrorShape(400, res.headers.get('content-type'), await res.text(), JSON.stringify(body));
    }
    assert.deepEqual(snapshot(t.db), before);
  } finally {
    t.close();
  }
});

test('an order whose total is beyond what Robokassa takes is refused at registration, naming items', async () => {
  const t = fileApp();
  try {
    const items = Array.from({ length: 50 }, (_, i) => ({ name: `Line ${i}`, price: '999999999999.99', quantity: 999 }));
    const res = await t.app.request('/robokassa/orders', json({ orderId: 'too-big', items }, auth));
    assert.equal(res.status, 400);
    const body = assertErrorShape(400, res.headers.get('content-type'), await res.text(), 'order total');
    assert.equal(body.error.issues?.[0]?.path, 'items');
    assert.equal(snapshot(t.db).orders, 0);
    assert.equal((await t.app.request('/robokassa/orders/too-big')).status, 404);
    // the largest total that fits is still fine, and GET /orders answers within the contract
    const ok = await t.app.request('/robokassa/orders', json({ orderId: 'just-fits', items: [{ name: 'Big', price: '999999999999.99', quantity: 1 }] }, auth));
    assert.equal(ok.status, 201);
    OrderResponse.parse(await (await t.app.request('/robokassa/orders/just-fits')).json());
  } finally {
    t.close();
  }
});
