// POST /orders (the shop's own backend registers an order, API key required) and GET /orders/{orderId}
// (what the widget may display).
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { Hono } from 'hono';
import { CreateOrderRequest, RobokassaError, multiplyAmount, parseAmount, sumAmounts, type CreateOrderResponse, type OrderResponse } from '../../protocol/index.js';
import { regionCurrency } from '../catalog.js';
import type { Deps } from '../deps.js';
import { HttpError, invalid, readJson, validate, type Issue } from '../http.js';
import { checkReceiptFields, fiscalFields } from '../receipt.js';
import type { OrderItem, OrderRecord } from '../store.js';
import { describeItems } from './checkout.js';

// the body's schema is part of the HTTP contract (src/protocol/contract.ts), so the OpenAPI document has it
export { CreateOrderRequest };

/** Constant-time comparison of the bearer token with the configured key (hashes first: equal lengths). */
function keyMatches(header: string | undefined, apiKey: string): boolean {
  const match = /^Bearer (.+)$/.exec(header ?? '');
  if (!match) return false;
  const a = createHash('sha256').update(match[1]!).digest();
  const b = createHash('sha256').update(apiKey).digest();
  return timingSafeEqual(a, b);
}

export function orderRoutes(deps: Deps): Hono {
  const { config, store } = deps;
  const region = config.merchant.region;
  const app = new Hono();

  app.post('/orders', async (c) => {
    if (config.apiKey === undefined) throw new HttpError(404, 'not_found', 'POST /orders is disabled (ROBOKASSA_API_KEY is not set)');
    if (!keyMatches(c.req.header('authorization'), config.apiKey)) {
      c.header('WWW-Authenticate', 'Bearer');
      throw new HttpError(401, 'unauthorized', 'send the API key as Authorization: Bearer <key>');
    }
    const body = validate(CreateOrderRequest, await readJson(c));
    const currency = body.currency ?? regionCurrency(region);
    if (currency !== regionCurrency(region)) {
      throw invalid([{ path: 'currency', message: `a shop in region ${region} is paid in ${regionCurrency(region)}` }]);
    }
    const issues: Issue[] = [];
    const items: OrderItem[] = [];
    body.items.forEach((item, i) => {
      const at = `items.${i}`;
      try {
        const price = parseAmount(item.price, `${at}.price`);
        const fiscal = fiscalFields(item.name, item, region);
        if ('problem' in fiscal) {
          issues.push({ path: `${at}.${fiscal.problem.path}`, message: fiscal.problem.message });
          return;
        }
        items.push({ name: item.name, quantity: item.quantity, price, sum: multiplyAmount(price, item.quantity), ...fiscal.fields });
      } catch (err) {
        if (!(err instanceof RobokassaError)) throw err;
        issues.push({ path: `${at}.price`, message: err.message.replace(/^[^:]*: /, '') });
      }
    });
    if (body.receipt?.sno !== undefined) {
      const problem = checkReceiptFields('x', {}, region, body.receipt.sno);
      if (problem !== undefined) issues.push({ path: `receipt.${problem.path}`, message: problem.message });
    }
    if (issues.length > 0) throw invalid(issues);
    // each line fits, but the total must too: an order Robokassa can't be asked for is refused now,
    // not at checkout (and GET /orders must never answer an amount outside the contract)
    const total = sumAmounts(items.map((i) => i.sum));
    try {
      parseAmount(total, 'items');
    } catch (err) {
      if (!(err instanceof RobokassaError)) throw err;
      throw invalid([{ path: 'items', message: `the order total ${total} is too large (at most 12 integer digits)` }]);
    }

    const order: OrderRecord = {
      orderId: body.orderId ?? `ord_${randomBytes(12).toString('base64url')}`,
      description: body.description ?? describeItems(items),
      amount: total,
      currency,
      items,
      receipt: body.receipt === undefined ? null : (body.receipt as OrderRecord['receipt']),
      email: body.email ?? null,
      status: 'open',
      createdAt: deps.now().toISOString(),
      paidAt: null,
    };
    if (!(await store.createOrder(order))) {
      throw new HttpError(409, 'order_exists', `orderId: "${order.orderId}" is already registered`, [{ path: 'orderId', message: 'already registered' }]);
    }
    const created: CreateOrderResponse = { orderId: order.orderId, amount: order.amount, currency: order.currency, description: order.description };
    return c.json(created, 201);
  });

  app.get('/orders/:orderId', async (c) => {
    const order = await store.getOrder(c.req.param('orderId'));
    if (!order) throw new HttpError(404, 'order_not_found', 'no such order');
    const body: OrderResponse = {
      orderId: order.orderId, description: order.description, amount: order.amount, currency: order.currency,
      status: order.status, test: config.merchant.test,
    };
    return c.json(body);
  });

  return app;
}
