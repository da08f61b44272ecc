// plainCheckoutBody, the hand check the checkout route runs before zod: whatever it accepts, zod accepts
// and returns the same, down to the key order (the Idempotency-Key's request hash is taken over it);
// whatever zod refuses, it leaves to zod, so the 400 still names the field.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as z from 'zod/mini';
import { CheckoutRequest } from '../../src/protocol/index.js';
import { checkoutBody, plainCheckoutBody } from '../../src/server/checkout-body.js';
import { HttpError } from '../../src/server/http.js';

const item = { sku: 'course-basic', quantity: 1 };
const cases: [string, unknown][] = [
  ['one item', { items: [item] }],
  ['as the element sends it, keys in another order', { returnUrl: 'https://shop.example/course?x=1#y', culture: 'en', email: 'buyer@example.com', items: [{ quantity: 2, sku: 'a.b_c-D9' }] }],
  ['50 items', { items: Array.from({ length: 50 }, (_, i) => ({ sku: `s${i}`, quantity: 999 })) }],
  ['a 64-character SKU', { items: [{ sku: `a${'b'.repeat(63)}`, quantity: 1 }] }],
  ['returnUrl on http', { items: [item], returnUrl: 'http://localhost:3000/' }],
  // refused by zod
  ['no items', {}],
  ['empty items', { items: [] }],
  ['51 items', { items: Array.from({ length: 51 }, () => item) }],
  ['items not an array', { items: item }],
  ['an item with a price', { items: [{ ...item, price: '1.00' }] }],
  ['an amount beside the items', { items: [item], amount: '1.00' }],
  ['quantity 0', { items: [{ sku: 'a', quantity: 0 }] }],
  ['quantity 1000', { items: [{ sku: 'a', quantity: 1000 }] }],
  ['quantity 1.5', { items: [{ sku: 'a', quantity: 1.5 }] }],
  ['quantity as a string', { items: [{ sku: 'a', quantity: '1' }] }],
  ['quantity missing', { items: [{ sku: 'a' }] }],
  ['a 65-character SKU', { items: [{ sku: `a${'b'.repeat(64)}`, quantity: 1 }] }],
  ['a SKU starting with a dot', { items: [{ sku: '.a', quantity: 1 }] }],
  ['a SKU with a space', { items: [{ sku: 'a b', quantity: 1 }] }],
  ['a SKU with a line break at the end', { items: [{ sku: 'ab\n', quantity: 1 }] }],
  ['a Cyrillic SKU', { items: [{ sku: 'курс', quantity: 1 }] }],
  ['a bad e-mail', { items: [item], email: 'buyer@' }],
  ['e-mail null', { items: [item], email: null }],
  ['culture kk', { items: [item], culture: 'kk' }],
  ['returnUrl javascript:', { items: [item], returnUrl: 'javascript:alert(1)' }],
  ['returnUrl not a URL', { items: [item], returnUrl: 'shop.example' }],
  ['items and orderId', { items: [item], orderId: 'o-1' }],
  ['an array', [item]],
  ['null', null],
  ['a string', 'items'],
  // accepted by zod, left to it
  ['an order', { orderId: 'order-1' }],
  ['an undefined culture', { items: [item], culture: undefined }],
  ['a class instance', Object.assign(new (class Body {})(), { items: [item] })],
];

for (const [name, input] of cases) {
  test(`plainCheckoutBody agrees with zod: ${name}`, () => {
    const zod = z.safeParse(CheckoutRequest, input);
    const plain = plainCheckoutBody(input);
    if (plain !== undefined) {
      assert.ok(zod.success, 'accepted what zod refuses');
      assert.deepEqual(plain, zod.data);
      assert.equal(JSON.stringify(plain), JSON.stringify(zod.data), 'another key order: another request hash');
    }
    if (!zod.success) assert.equal(plain, undefined);
  });
}

test('the element\'s bodies take the hand check', () => {
  assert.notEqual(plainCheckoutBody({ items: [item] }), undefined);
  assert.notEqual(plainCheckoutBody({ items: [item], culture: 'ru', email: 'a@b.kz', returnUrl: 'https://shop.example/p' }), undefined);
});

test('checkoutBody: a refused body is zod\'s 400 naming the field', () => {
  assert.throws(() => checkoutBody({ items: [{ sku: 'a', quantity: 0 }] }), (e: unknown) => e instanceof HttpError && e.status === 400 && e.issues?.[0]?.path === 'items.0.quantity');
  assert.throws(() => checkoutBody({ items: [item], amount: '1.00' }), (e: unknown) => e instanceof HttpError && e.issues?.[0]?.path === 'amount');
  assert.deepEqual(checkoutBody({ orderId: 'order-1' }), { orderId: 'order-1' });
});
