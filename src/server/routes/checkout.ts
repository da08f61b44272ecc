// POST /checkout (prices from the catalog or a registered order, never from the request), and what
// the widget may read: GET /products/{sku}, GET /payments/{id}.
import { Hono, type Context } from 'hono';
import {
  RobokassaError, multiplyAmount, paymentSigner, sumAmounts,
  type CheckoutResponse, type PaymentRequest, type PaymentStatusResponse, type PreparedReceipt, type ProductResponse,
} from '../../protocol/index.js';
import { serverHasher, sha256Base64url } from '../hasher.js';
import { allowedOrigin, allowedUrl, type Deps } from '../deps.js';
import { HttpError, invalid, readJson } from '../http.js';
import { checkoutBody } from '../checkout-body.js';
import { regionCurrency } from '../catalog.js';
import { randomToken } from '../random.js';
import { buildReceipt, type ReceiptSettings } from '../receipt.js';
import { getPaymentStatus, type Lang, type LineItem, type PaymentRecord, type PaymentStatusRecord } from '../store.js';

const DESCRIPTION_MAX = 100;

/**
 * A random value signed into each payment link, which Robokassa echoes on FailURL (Shp_ parameters come
 * back on every callback). FailURL itself is unsigned: without this, anyone knowing an InvId (they are
 * sequential) and the price could fail buyers' pending payments while they are still paying.
 */
export const FAIL_TOKEN = 'Shp_rk';
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,200}$/;
/** Catalog carts whose lines, total, description and encoded receipt are kept (then the cache starts over). */
const PREPARED_CARTS_MAX = 1000;

// The first 6 bytes are shared by the ids made within the same second: the ids of one moment sit side by
// side in the payments index, so a batch of checkouts dirties one index page, not one each (random ids
// put every insert on a leaf of its own). The prefix is random too, so an id says nothing about when.
let idPrefix = '';
let idPrefixUntil = 0;

/** 32 base64url characters: 144 random bits of its own after a 48-bit random prefix; opaque and unguessable. */
export function newPaymentId(): string {
  const now = Date.now();
  if (now >= idPrefixUntil) {
    idPrefix = randomToken(6, 'base64url');
    idPrefixUntil = now + 1000;
  }
  return `${idPrefix}${randomToken(18, 'base64url')}`;
}

/** "Course ×2, Book" cut to Robokassa's 100 characters with an ellipsis. */
export function describeItems(items: readonly { name: string; quantity: number }[]): string {
  const text = items.map((i) => (i.quantity > 1 ? `${i.name} ×${i.quantity}` : i.name)).join(', ');
  const chars = [...text]; // count code points, not UTF-16 units, so a cut never splits a character
  return chars.length <= DESCRIPTION_MAX ? text : `${chars.slice(0, DESCRIPTION_MAX - 1).join('').trimEnd()}…`;
}

/** kk only from the browser's first Accept-Language choice: Robokassa's Culture knows only ru and en. */
function preferredLang(c: Context, culture: 'ru' | 'en' | undefined): Lang | null {
  const first = (c.req.header('accept-language') ?? '').split(',')[0]?.trim().toLowerCase() ?? '';
  if (culture !== 'en' && (first === 'kk' || first.startsWith('kk-'))) return 'kk';
  return culture ?? null;
}

export function checkoutResponse(p: PaymentRecord): CheckoutResponse {
  return { id: p.id, invoiceId: p.invoiceId, url: p.url, form: p.form, amount: p.amount, currency: p.currency, description: p.description, test: p.test };
}

export function paymentStatusResponse(p: PaymentStatusRecord): PaymentStatusResponse {
  return { id: p.id, invoiceId: p.invoiceId, status: p.status, amount: p.amount, currency: p.currency, paidAt: p.paidAt };
}

export function checkoutRoutes(deps: Deps): Hono {
  const { config, store, respond } = deps;
  const app = new Hono();
  // the shop's settings are checked once (config.ts validated them already; this throws at start-up if not)
  const sign = paymentSigner(config.merchant, config.password1, serverHasher);
  // A catalog cart (the same SKUs and quantities) has the same lines, total, description and receipt
  // every time it is sold, and the catalog is fixed for the app's life: they are worked out once per
  // cart (the receipt validated and encoded once), not per checkout. Frozen: every payment of the cart shares them.
  interface CartPlan { items: readonly LineItem[]; amount: string; description: string; receipt?: PreparedReceipt }
  const cartPlans = new Map<string, CartPlan>();
  const cartPlan = (cart: string, wanted: readonly { sku: string; quantity: number }[]): CartPlan => {
    let plan = cartPlans.get(cart);
    if (plan === undefined) {
      const items = wanted.map((item, i) => {
        const product = config.catalog.products.get(item.sku);
        if (!product) throw invalid([{ path: `items.${i}.sku`, message: `unknown product "${item.sku}"` }]);
        const { sku, name, price, currency: _currency, ...fiscal } = product;
        return Object.freeze({ sku, name, quantity: item.quantity, price, sum: multiplyAmount(price, item.quantity), ...fiscal });
      });
      plan = { items: Object.freeze(items), amount: sumAmounts(items.map((i) => i.sum)), description: describeItems(items) };
      if (cartPlans.size >= PREPARED_CARTS_MAX) cartPlans.clear();
      cartPlans.set(cart, plan);
    }
    return plan;
  };
  const preparedReceipt = (plan: CartPlan, settings: ReceiptSettings): PreparedReceipt =>
    (plan.receipt ??= sign.prepareReceipt(buildReceipt(settings, plan.items)));

  app.post('/checkout', async (c) => {
    const body = checkoutBody(await readJson(c));
    const key = c.req.header('idempotency-key');
    if (key !== undefined && !IDEMPOTENCY_KEY.test(key)) {
      throw new HttpError(400, 'invalid_request', 'Idempotency-Key: must be 1–200 printable ASCII characters (a UUID is fine)', [
        { path: 'Idempotency-Key', message: 'must be 1–200 printable ASCII characters' },
      ]);
    }
    // Not recorded unless allow-listed (no open redirect); the checkout itself still goes ahead, as
    // the element always sends its page's address
    const returnUrl = body.returnUrl === undefined ? null : allowedUrl(config, body.returnUrl);
    if (body.returnUrl !== undefined && returnUrl === null) {
      deps.log({ event: 'return_url_ignored', origin: new URL(body.returnUrl).origin, hint: 'add the page origin to ROBOKASSA_ALLOWED_ORIGINS' });
    }

    let items: readonly LineItem[];
    let amount: string;
    let receipt: ReceiptSettings | undefined = config.catalog.receipt;
    let description: string;
    let email = body.email ?? null;
    let currency = regionCurrency(config.merchant.region);
    const orderId = body.orderId ?? null;
    let plan: CartPlan | undefined;
    if (orderId !== null) {
      const order = await store.getOrder(orderId);
      if (!order) throw new HttpError(404, 'order_not_found', `orderId: no order "${orderId}"`, [{ path: 'orderId', message: 'no such order' }]);
      if (order.status === 'paid') throw new HttpError(409, 'order_paid', `orderId: order "${orderId}" is already paid`, [{ path: 'orderId', message: 'already paid' }]);
      items = order.items;
      amount = sumAmounts(items.map((i) => i.sum));
      receipt = order.receipt ?? receipt;
      description = order.description;
      currency = order.currency;
      email ??= order.email;
    } else {
      const wanted = body.items ?? [];
      // SKUs are identifiers (no spaces): "sku qty sku qty" names a cart exactly
      plan = cartPlan(wanted.map((i) => `${i.sku} ${i.quantity}`).join(' '), wanted);
      ({ items, amount, description } = plan);
    }
    const lang = preferredLang(c, body.culture);
    const culture = body.culture ?? (lang === 'kk' ? 'ru' : null);
    // The origin is part of the request: the same key from another page is another request
    const origin = allowedOrigin(config, c.req.header('origin'));
    const requestHash = sha256Base64url(JSON.stringify({ body, origin }));

    const result = await store.createPayment((invoiceId) => {
      let built;
      try {
        const prepared = plan === undefined || receipt === undefined ? undefined : preparedReceipt(plan, receipt);
        const request: PaymentRequest = {
          outSum: amount, invId: invoiceId, description,
          shp: { [FAIL_TOKEN]: randomToken(16, 'hex') },
          ...(culture !== null && { culture }),
          ...(email !== null && { email }),
          ...(receipt !== undefined && prepared === undefined && { receipt: buildReceipt(receipt, items) }),
        };
        built = sign(request, prepared === undefined ? {} : { preparedReceipt: prepared });
      } catch (err) {
        // the shop's own data (an order's line too large for a receipt, …): say what, never 500
        if (err instanceof RobokassaError) throw new HttpError(422, 'unsignable_payment', err.message);
        throw err;
      }
      return {
        // a copy of the list: a cart's plan is shared by its payments (its lines are frozen)
        id: newPaymentId(), amount, currency, description, items: [...items], orderId, email,
        culture, lang, origin, returnUrl, test: config.merchant.test, url: built.url, form: built.form, createdAt: deps.now().toISOString(),
      };
    }, key === undefined ? undefined : { key, requestHash });
    if (result.kind === 'conflict') {
      throw new HttpError(409, 'idempotency_conflict', 'Idempotency-Key: this key was already used with another request; use a new key for a new payment');
    }
    return respond.json(c, checkoutResponse(result.payment), 201);
  });

  app.get('/products/:sku', (c) => {
    const product = config.catalog.products.get(c.req.param('sku'));
    if (!product) throw new HttpError(404, 'product_not_found', `no product "${c.req.param('sku')}"`);
    const body: ProductResponse = { sku: product.sku, name: product.name, price: product.price, currency: product.currency, test: config.merchant.test };
    return respond.json(c, body);
  });

  app.get('/payments/:id', async (c) => {
    const payment = await getPaymentStatus(store, c.req.param('id'));
    if (!payment) throw new HttpError(404, 'payment_not_found', 'no such payment');
    return respond.json(c, paymentStatusResponse(payment), 200, { noStore: true });
  });

  return app;
}
