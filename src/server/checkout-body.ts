// The POST /checkout body, checked by hand when it has the usual shape (catalog items, maybe culture,
// e-mail and returnUrl), else by zod. Both return the same object with the same key order (the
// Idempotency-Key's request hash is taken over it); whatever the hand check can't prove valid goes to
// zod, so every error still names its field. test/server/checkout-body.test.ts holds the two together.
import * as z from 'zod/mini';
import { CheckoutRequest, IDENTIFIER_PATTERN } from '../protocol/index.js';
import { validate } from './http.js';

const KEYS = new Set(['items', 'email', 'culture', 'returnUrl']);
const { email: EMAIL, returnUrl: RETURN_URL } = CheckoutRequest.def.shape;

const plainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype;

/** The body as zod would return it, or undefined when the hand check can't tell (then zod decides). */
export function plainCheckoutBody(input: unknown): CheckoutRequest | undefined {
  if (!plainObject(input)) return undefined;
  for (const key of Object.keys(input)) if (!KEYS.has(key)) return undefined;
  // each field read once: what is checked is what is used
  const { items, email, culture, returnUrl } = input;
  if (!Array.isArray(items) || items.length < 1 || items.length > 50) return undefined;
  const lines: { sku: string; quantity: number }[] = [];
  for (const item of items as unknown[]) {
    if (!plainObject(item)) return undefined;
    if (Object.keys(item).length !== 2 || !Object.hasOwn(item, 'sku') || !Object.hasOwn(item, 'quantity')) return undefined;
    const { sku, quantity } = item;
    if (typeof sku !== 'string' || !IDENTIFIER_PATTERN.test(sku)) return undefined;
    if (typeof quantity !== 'number' || !Number.isInteger(quantity) || quantity < 1 || quantity > 999) return undefined;
    lines.push({ sku, quantity });
  }
  // zod's key order: the shape's (items, orderId, email, culture, returnUrl)
  const out: CheckoutRequest = { items: lines };
  if ('email' in input) {
    if (typeof email !== 'string' || !z.safeParse(EMAIL, email).success) return undefined;
    out.email = email;
  }
  if ('culture' in input) {
    if (culture !== 'ru' && culture !== 'en') return undefined;
    out.culture = culture;
  }
  if ('returnUrl' in input) {
    if (typeof returnUrl !== 'string' || !z.safeParse(RETURN_URL, returnUrl).success) return undefined;
    out.returnUrl = returnUrl;
  }
  return out;
}

/** The checkout body, validated: the hand check for the usual shape, zod (and its 400 naming the field) for the rest. */
export function checkoutBody(input: unknown): CheckoutRequest {
  return plainCheckoutBody(input) ?? validate(CheckoutRequest, input);
}
