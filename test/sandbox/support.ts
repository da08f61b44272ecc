// Helpers for the sandbox tests: a sandbox with a capturing fetch and log, signed requests, and the
// buyer's steps (open the page, submit a card, the 3-D Secure code, follow redirects).
import { createHash } from 'node:crypto';
import { buildPaymentRequest, type PaymentRequest } from '../../src/protocol/index.js';
import { nodeHasher } from '../../src/node-hasher.js';
import { createSandboxApp, type SandboxOptions } from '../../src/sandbox/app.js';

export const SANDBOX = 'http://sandbox.test';
export const INDEX_URL = `${SANDBOX}/sandbox/Merchant/Index.aspx`;
export const SHOP = 'http://shop.test/robokassa';

export const CARD_OK = '4111 1111 1111 1111';
export const CVV = '987';

export interface Captured {
  url: string;
  method: string;
  body: string;
}

export type Answer = (call: Captured, n: number) => Response | Promise<Response>;

export const okAnswer: Answer = (call) => {
  const invId = new URLSearchParams(call.method === 'GET' ? new URL(call.url).search : call.body).get('InvId');
  return new Response(`OK${invId}`);
};

export function makeSandbox(overrides: Partial<SandboxOptions> = {}, answer: Answer = okAnswer) {
  const calls: Captured[] = [];
  const logs: Record<string, unknown>[] = [];
  const fetchStub: typeof fetch = async (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.toString() : input.url;
    const call: Captured = { url, method: init?.method ?? 'GET', body: typeof init?.body === 'string' ? init.body : '' };
    calls.push(call);
    return answer(call, calls.length);
  };
  const options: SandboxOptions = {
    merchantLogin: 'demo-shop', password1: 'demo-password-1', password2: 'demo-password-2', hashAlgorithm: 'md5',
    resultUrl: `${SHOP}/result`, successUrl: `${SHOP}/success`, failUrl: `${SHOP}/fail`, testMode: true,
    fetch: fetchStub, log: (e) => logs.push(e), retryDelaysMs: [1, 1, 1], notifyWaitMs: 2_000,
    now: () => new Date('2026-11-29T08:00:00Z'),
    ...overrides,
  };
  const app = createSandboxApp(options);
  return { app, calls, logs, options };
}

export type Sandbox = ReturnType<typeof makeSandbox>;

export const ORDER: PaymentRequest = {
  outSum: '4500.00', invId: 7, description: 'Курс «Основы»', culture: 'ru', email: 'buyer@example.com',
  shp: { Shp_order: 'abc' },
  receipt: { items: [{ name: 'Курс «Основы»', quantity: 1, sum: '3000.00', tax: 'none' }, { name: 'Консультация', quantity: 1, sum: '1500.00', tax: 'none' }] },
};

export function signed(request: Partial<PaymentRequest> = {}, shop: { login?: string; password1?: string; algorithm?: 'md5' | 'sha256'; test?: boolean } = {}) {
  return buildPaymentRequest(
    { merchantLogin: shop.login ?? 'demo-shop', hashAlgorithm: shop.algorithm ?? 'md5', region: 'kz', test: shop.test ?? true, paymentUrl: INDEX_URL },
    shop.password1 ?? 'demo-password-1', { ...ORDER, ...request }, nodeHasher,
  );
}

export function md5(text: string): string {
  return createHash('md5').update(text, 'utf8').digest('hex');
}

export async function postForm(sb: Sandbox, url: string, fields: Record<string, string> | URLSearchParams, headers: Record<string, string> = {}): Promise<Response> {
  return sb.app.request(url, {
    method: 'POST',
    body: new URLSearchParams(fields).toString(),
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
  });
}

/** POSTs the fields to Index.aspx; returns the payment page path (throws if refused). */
export async function open(sb: Sandbox, fields: Record<string, string>): Promise<string> {
  const res = await postForm(sb, INDEX_URL, fields);
  const location = res.headers.get('location');
  if (res.status !== 303 || !location) throw new Error(`Index.aspx answered ${res.status} ${res.headers.get('x-sandbox-error') ?? ''}`);
  return location;
}

export function card(cardNumber: string, extra: Partial<Record<'expiry' | 'cvc' | 'email', string>> = {}): Record<string, string> {
  return { cardNumber, expiry: '12/30', cvc: CVV, email: 'buyer@example.com', ...extra };
}

/** Submits a card on the page and follows the sandbox's own redirect once. */
export async function pay(sb: Sandbox, page: string, cardFields: Record<string, string>): Promise<Response> {
  const res = await postForm(sb, `${SANDBOX}${page}`, cardFields);
  if (res.status !== 303) return res;
  return sb.app.request(`${SANDBOX}${res.headers.get('location')}`);
}

/** Hidden fields of the POST return form on a page. */
export function hiddenFields(html: string): [string, string][] {
  return [...html.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)">/g)].map((m) => [unescape(m[1] ?? ''), unescape(m[2] ?? '')]);
}

function unescape(s: string): string {
  return s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/** The href of the "return to the shop" link on a GET-method result page. */
export function returnLink(html: string): string | undefined {
  const m = /<a class="button primary" href="([^"]*)"/.exec(html);
  return m?.[1] === undefined ? undefined : unescape(m[1]);
}

export { until } from '../support/until.js';
