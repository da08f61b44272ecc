// The backend's HTTP contract (DESIGN.md, prefix /robokassa), shared by the server and the element.
// Written with zod/mini so the browser bundle never pulls full zod.
import * as z from 'zod/mini';
import { RETURN_MESSAGE_TYPE } from './return-names.js';

/** Decimal money string with exactly two decimals, as the backend always sends it ("1500.00"). */
export const MoneyString = z.string().check(z.regex(/^(0|[1-9]\d{0,11})\.\d{2}$/, 'expected an amount like "1500.00"'));

export const Currency = z.enum(['KZT', 'RUB', 'USD', 'EUR']);
export type Currency = z.infer<typeof Currency>;

export const Culture = z.enum(['ru', 'en']);

export const PaymentStatus = z.enum(['pending', 'paid', 'failed', 'cancelled']);
export type PaymentStatus = z.infer<typeof PaymentStatus>;

/** SKU and order ids are short, URL-safe identifiers. */
export const IDENTIFIER_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
export const Identifier = z.string().check(z.regex(IDENTIFIER_PATTERN, 'expected 1–64 letters, digits, ".", "_" or "-"'));

export const CheckoutItem = z.strictObject({
  sku: Identifier,
  quantity: z.int().check(z.gte(1), z.lte(999)),
});

/**
 * POST /checkout body: either `items` (catalog SKUs) or `orderId` (an order registered by the shop's
 * backend). Strict: any key not listed (an `amount`, a `price`) is refused, because the price always
 * comes from the catalog or the order store.
 */
export const CheckoutRequest = z.strictObject({
  items: z.optional(z.array(CheckoutItem).check(z.minLength(1), z.maxLength(50))),
  orderId: z.optional(Identifier),
  email: z.optional(z.email()),
  culture: z.optional(Culture),
  returnUrl: z.optional(z.url({ protocol: /^https?$/ })),
}).check(
  z.refine((v) => (v.items === undefined) !== (v.orderId === undefined), {
    message: 'send either "items" or "orderId", not both and not neither',
    path: ['items'],
  }),
);
export type CheckoutRequest = z.infer<typeof CheckoutRequest>;

/** 201 answer of POST /checkout. */
export const CheckoutResponse = z.object({
  id: z.string().check(z.minLength(16), z.maxLength(64)),
  invoiceId: z.int().check(z.positive()),
  url: z.url({ protocol: /^https?$/ }),
  form: z.object({ action: z.url({ protocol: /^https?$/ }), fields: z.record(z.string(), z.string()) }),
  amount: MoneyString,
  currency: Currency,
  description: z.string(),
  test: z.boolean(),
});
export type CheckoutResponse = z.infer<typeof CheckoutResponse>;

/** GET /products/{sku}. */
export const ProductResponse = z.object({
  sku: Identifier,
  name: z.string(),
  price: MoneyString,
  currency: Currency,
  test: z.boolean(),
});
export type ProductResponse = z.infer<typeof ProductResponse>;

/** GET /orders/{orderId}. */
export const OrderResponse = z.object({
  orderId: Identifier,
  description: z.string(),
  amount: MoneyString,
  currency: Currency,
  status: z.enum(['open', 'paid']),
  test: z.boolean(),
});
export type OrderResponse = z.infer<typeof OrderResponse>;

/** One line of POST /orders: the shop's own price (validated as an amount by the route). */
export const CreateOrderItem = z.strictObject({
  name: z.string().check(z.minLength(1), z.maxLength(128)),
  price: z.string(),
  quantity: z.int().check(z.gte(1), z.lte(999)),
  tax: z.optional(z.string()),
  paymentMethod: z.optional(z.string()),
  paymentObject: z.optional(z.string()),
  nomenclatureCode: z.optional(z.string()),
});

/** POST /orders body (server to server, Bearer API key): the shop's backend registers an order. */
export const CreateOrderRequest = z.strictObject({
  /** the shop's own id; generated when left out */
  orderId: z.optional(Identifier),
  description: z.optional(z.string().check(z.minLength(1), z.maxLength(100), z.regex(/^[^\p{Cc}]*$/u, 'must not contain control characters or line breaks'))),
  currency: z.optional(Currency),
  items: z.array(CreateOrderItem).check(z.minLength(1), z.maxLength(50)),
  /** present: a fiscal Receipt goes with this order's payment (else the catalog's setting applies) */
  receipt: z.optional(z.strictObject({ sno: z.optional(z.string()) })),
  email: z.optional(z.email()),
});
export type CreateOrderRequest = z.infer<typeof CreateOrderRequest>;

/** 201 answer of POST /orders. */
export const CreateOrderResponse = z.object({
  orderId: Identifier,
  amount: MoneyString,
  currency: Currency,
  description: z.string(),
});
export type CreateOrderResponse = z.infer<typeof CreateOrderResponse>;

/** GET /healthz. */
export const HealthResponse = z.object({ status: z.literal('ok') });

/** GET /payments/{id}. `paidAt` is an ISO 8601 time, null until paid. */
export const PaymentStatusResponse = z.object({
  id: z.string(),
  invoiceId: z.int().check(z.positive()),
  status: PaymentStatus,
  amount: MoneyString,
  currency: Currency,
  paidAt: z.nullable(z.string()),
});
export type PaymentStatusResponse = z.infer<typeof PaymentStatusResponse>;

/** Every JSON error the backend sends: a 4xx for the caller's mistakes, never a stack trace. */
export const ApiError = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    issues: z.optional(z.array(z.object({ path: z.string(), message: z.string() }))),
  }),
});
export type ApiError = z.infer<typeof ApiError>;

/** What the return pages (/success, /fail) post to the opener and on the BroadcastChannel. */
export { RETURN_MESSAGE_TYPE, RETURN_CHANNEL, RETURN_PARAM_ID, RETURN_PARAM_OUTCOME } from './return-names.js';
export const ReturnMessage = z.object({
  type: z.literal(RETURN_MESSAGE_TYPE),
  id: z.string(),
  invoiceId: z.int().check(z.positive()),
  outcome: z.enum(['success', 'fail']),
});
export type ReturnMessage = z.infer<typeof ReturnMessage>;
