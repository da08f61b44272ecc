// Talks to the merchant backend. Every call returns a discriminated result and never throws;
// answers are checked against the contract before anyone reads them.
import type { CheckoutRequest, CheckoutResponse, OrderResponse, PaymentStatusResponse, ProductResponse } from '../protocol/contract.js';
import { fits, misfit, type ShapeName, type Shapes } from './validate.js';

export type ClientErrorCode = 'network' | 'http' | 'invalid-response' | 'timeout';

export type ClientResult<T> =
  | { ok: true; value: T }
  | { ok: false; code: ClientErrorCode; status?: number; reason?: string };

/** Replaces the POST /checkout call; must resolve with the CheckoutResponse shape. */
export type FetchPaymentUrl = (request: CheckoutRequest, idempotencyKey: string) => Promise<CheckoutResponse>;

const join = (endpoint: string, path: string): string => `${endpoint.replace(/\/+$/, '')}${path}`;

async function request<N extends ShapeName>(
  url: string, shape: N, timeoutMs: number, init: RequestInit = {},
): Promise<ClientResult<Shapes[N]>> {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), timeoutMs);
  try {
    // read at call time, so a page (or a test) that wraps fetch is honoured
    const res = await fetch(url, { ...init, signal: abort.signal, credentials: 'omit', headers: { accept: 'application/json', ...init.headers } });
    let body: unknown;
    try {
      body = await res.json();
    } catch {
      body = undefined;
    }
    if (!res.ok) {
      return { ok: false, code: 'http', status: res.status, reason: fits('error', body) ? `${body.error.code}: ${body.error.message}` : undefined };
    }
    const bad = misfit(shape, body);
    return bad === undefined ? { ok: true, value: body as Shapes[N] } : { ok: false, code: 'invalid-response', reason: `${shape} answer, field "${bad}"` };
  } catch (err) {
    return { ok: false, code: abort.signal.aborted ? 'timeout' : 'network', reason: String(err) };
  } finally {
    clearTimeout(timer);
  }
}

/** Product lookups on their way, by URL: all elements showing one product share one request (100 made 100). */
const pending = new Map<string, Promise<ClientResult<ProductResponse>>>();

export const getProduct = (endpoint: string, sku: string, timeoutMs: number): Promise<ClientResult<ProductResponse>> => {
  const url = join(endpoint, `/products/${encodeURIComponent(sku)}`);
  let p = pending.get(url);
  // forgotten once settled, so a later lookup asks the backend again
  if (!p) pending.set(url, (p = request(url, 'product', timeoutMs).finally(() => pending.delete(url))));
  return p;
};

export const getOrder = (endpoint: string, orderId: string, timeoutMs: number): Promise<ClientResult<OrderResponse>> =>
  request(join(endpoint, `/orders/${encodeURIComponent(orderId)}`), 'order', timeoutMs);

export const getPayment = (endpoint: string, id: string, timeoutMs: number): Promise<ClientResult<PaymentStatusResponse>> =>
  request(join(endpoint, `/payments/${encodeURIComponent(id)}`), 'payment', timeoutMs);

/**
 * POST /checkout, or the page's own `fetchPaymentUrl`. A network error, a timeout or a 5xx is
 * retried `retries` times with the same Idempotency-Key, so the backend returns the same payment.
 */
export async function createCheckout(
  endpoint: string, body: CheckoutRequest, key: string, timeoutMs: number, retries: number, custom?: FetchPaymentUrl,
): Promise<ClientResult<CheckoutResponse>> {
  if (custom) {
    try {
      const value: unknown = await custom(body, key);
      const bad = misfit('checkout', value);
      return bad === undefined ? { ok: true, value: value as CheckoutResponse } : { ok: false, code: 'invalid-response', reason: `fetchPaymentUrl answer, field "${bad}"` };
    } catch (err) {
      return { ok: false, code: 'network', reason: String(err) };
    }
  }
  for (let attempt = 0; ; attempt++) {
    const result = await request(join(endpoint, '/checkout'), 'checkout', timeoutMs, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': key },
      body: JSON.stringify(body),
    });
    const transient = !result.ok && (result.code !== 'http' || (result.status ?? 0) >= 500) && result.code !== 'invalid-response';
    if (!transient || attempt >= retries) return result;
  }
}
