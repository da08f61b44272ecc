// Small stubs for the element's browser tests: a fake backend behind window.fetch, a fake payment
// window behind window.open, a test subclass with a recorded same-tab navigation, short timings.
import { RobokassaCheckout } from '../../src/checkout/checkout.js';
import type { CheckoutResponse, PaymentStatus } from '../../src/protocol/contract.js';

export const ENDPOINT = `${location.origin}/robokassa`;
export const PAYMENT_ID = 'pay_0123456789abcdef';
export const INVOICE_ID = 42;
export const PAY_URL = 'https://auth.robokassa.kz/Merchant/Index.aspx?MerchantLogin=demo&InvId=42';

/** Everything in order, so a test can tell whether window.open came before the first fetch. */
export const journal: string[] = [];

export const FAST = {
  request: 300, retries: 1, poll: 15, pollFactor: 1.5, pollMax: 40, closedCheck: 10, severed: 250, deadline: 2000,
};
RobokassaCheckout.timing = FAST;

/** The element with its navigation and user agent under the test's control. */
export class TestCheckout extends RobokassaCheckout {
  assigned: string[] = [];
  ua = 'Mozilla/5.0 (X11; Linux x86_64) Chrome/156.0 Safari/537.36';
  assignThrows = false;
  protected override assignLocation(url: string): void {
    journal.push(`assign ${url}`);
    if (this.assignThrows) throw new Error('navigation refused');
    this.assigned.push(url);
  }
  protected override userAgent(): string {
    return this.ua;
  }
}
if (!customElements.get('rk-test-checkout')) customElements.define('rk-test-checkout', TestCheckout);

export interface Call { method: string; path: string; headers: Headers; body: unknown }

export const json = (status: number, body: unknown): Response =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

export function checkoutAnswer(over: Partial<CheckoutResponse> = {}): CheckoutResponse {
  return {
    id: PAYMENT_ID, invoiceId: INVOICE_ID, url: PAY_URL,
    form: { action: 'https://auth.robokassa.kz/Merchant/Index.aspx', fields: { InvId: '42' } },
    amount: '1500.00', currency: 'KZT', description: 'Course', test: true, ...over,
  };
}

type Handler = (call: Call, signal?: AbortSignal | null) => Response | Promise<Response>;

/** A fake backend behind window.fetch. Change `status` or the handlers mid-test. */
export class FakeBackend {
  calls: Call[] = [];
  status: PaymentStatus = 'pending';
  checkout: Handler = () => json(201, checkoutAnswer());
  product: Handler = () => json(200, { sku: 'course-basic', name: 'Course', price: '1500.00', currency: 'KZT', test: false });
  order: Handler = () => json(200, { orderId: 'order-7', description: 'Order 7', amount: '990.00', currency: 'RUB', status: 'open', test: false });
  payment: Handler = () => json(200, { id: PAYMENT_ID, invoiceId: INVOICE_ID, status: this.status, amount: '1500.00', currency: 'KZT', paidAt: this.status === 'paid' ? '2026-11-29T09:00:00Z' : null });
  private original = window.fetch;

  install(): this {
    window.fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
      const url = new URL(String(input), location.href);
      const method = init?.method ?? 'GET';
      const body: unknown = typeof init?.body === 'string' ? JSON.parse(init.body) : undefined;
      const call: Call = { method, path: url.pathname.replace(/^\/robokassa/, ''), headers: new Headers(init?.headers), body };
      this.calls.push(call);
      journal.push(`fetch ${method} ${call.path}`);
      const route = call.path.startsWith('/checkout') ? this.checkout
        : call.path.startsWith('/products/') ? this.product
          : call.path.startsWith('/orders/') ? this.order
            : call.path.startsWith('/payments/') ? this.payment
              : () => json(404, { error: { code: 'not_found', message: 'no route' } });
      return route(call, init?.signal);
    };
    return this;
  }

  restore(): void {
    window.fetch = this.original;
  }

  count(path: string): number {
    return this.calls.filter((c) => c.path.startsWith(path)).length;
  }
}

/** A payment window that records where it was sent. */
export class FakeWindow {
  closed = false;
  focused = 0;
  navigations: string[] = [];
  document = document.implementation.createHTMLDocument('');
  readonly location: { href: string };
  /** Plays a payment page with COOP: the handle reports closed as soon as it navigates. */
  severOnNavigate = false;
  constructor(public navigateThrows = false) {
    const navigations = this.navigations;
    const win = this;
    this.location = {
      set href(url: string) {
        if (win.navigateThrows) throw new Error('blocked');
        journal.push(`navigate ${url}`);
        navigations.push(url);
        if (win.severOnNavigate) win.closed = true;
      },
      get href(): string {
        return navigations.at(-1) ?? 'about:blank';
      },
    };
  }
  focus(): void {
    this.focused++;
  }
  close(): void {
    this.closed = true;
  }
}

/** Replaces window.open; returns the fake window, or null to play a popup blocker. */
export function stubOpen(result: FakeWindow | null): { calls: unknown[][]; restore: () => void } {
  const original = window.open;
  const calls: unknown[][] = [];
  window.open = ((...args: unknown[]) => {
    calls.push(args);
    journal.push('open');
    return result as unknown as Window | null;
  }) as typeof window.open;
  return { calls, restore: () => { window.open = original; } };
}

/** The return page's message, as the backend's /success or /fail page posts it. */
export function returnMessage(outcome: 'success' | 'fail', id = PAYMENT_ID): Record<string, unknown> {
  return { type: 'robokassa-checkout:return', id, invoiceId: INVOICE_ID, outcome };
}

export function postReturn(data: unknown, origin = location.origin): void {
  window.dispatchEvent(new MessageEvent('message', { data, origin }));
}

/** Records the element's rk-* events in order. */
export function recordEvents(el: HTMLElement): { names: string[]; details: Map<string, unknown> } {
  const names: string[] = [];
  const details = new Map<string, unknown>();
  for (const name of ['rk-start', 'rk-open', 'rk-success', 'rk-fail', 'rk-cancel', 'rk-error']) {
    el.addEventListener(name, (e) => {
      names.push(name);
      details.set(name, (e as CustomEvent).detail);
    });
  }
  return { names, details };
}

export const TERMINAL = ['rk-success', 'rk-fail', 'rk-cancel', 'rk-error'];
export const terminals = (names: string[]): string[] => names.filter((n) => TERMINAL.includes(n));

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export function part<T extends Element = HTMLElement>(el: HTMLElement, name: string): T {
  const found = el.shadowRoot!.querySelector<T>(`[part~="${name}"]`);
  if (!found) throw new Error(`no part "${name}"`);
  return found;
}
