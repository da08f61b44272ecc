// For the browser security tests: the shop (page + backend) on one origin and the sandbox (Robokassa's
// stand-in, plus a hostile page) on another, each a real listening server on port 0, so the shop page
// can carry real HTTP headers (CSP with Trusted Types, COOP). The page loads the BUILT embed from dist/.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import { Hono } from 'hono';
import { serve, type ServerType } from '@hono/node-server';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { createApp, openSqliteStore, parseConfig, type PaymentRecord, type Store } from '../../src/server/index.js';
import { createSandboxApp } from '../../src/sandbox/app.js';
import { CHROMIUM_ARGS, findChromium } from '../support/chromium.js';
import { writeCatalog } from '../server/helpers.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SECRETS = ['demo-password-1', 'demo-password-2'];
const EMBED = join(ROOT, 'dist', 'robokassa-checkout.js');

export interface PageOptions {
  /** Content-Security-Policy header of the shop page */
  csp?: string;
  /** Cross-Origin-Opener-Policy header of the shop page */
  coop?: string;
  /** an iframe from the other (hostile) origin */
  foreignFrame?: boolean;
}

export interface SecurityRig {
  shopOrigin: string;
  otherOrigin: string;
  store: Store;
  paid: PaymentRecord[];
  /** paths the shop's backend was asked for, in order */
  requests: string[];
  /** every log line of the backend and the sandbox */
  logs: Record<string, unknown>[];
  /** responses the browser received (any tab, any origin) or log lines that showed a password */
  leaks(): Promise<string[]>;
  browser: Browser;
  /** registers a page at /page/<name> with these headers */
  page(name: string, options: PageOptions): string;
  /** a fresh context and tab on the page, with the rk-* recorder and CSP violation recorder installed */
  open(name: string): Promise<Tab>;
  close(): Promise<void>;
}

export interface Tab {
  context: BrowserContext;
  page: Page;
  events(): Promise<{ type: string; detail: Record<string, unknown> | null }[]>;
  /** CSP / Trusted Types violations, page errors and console errors seen so far */
  problems(): Promise<string[]>;
}

const RECORDER = `(() => {
  window.__rk = [];
  window.__problems = [];
  for (const type of ['rk-start', 'rk-open', 'rk-success', 'rk-fail', 'rk-cancel', 'rk-error']) {
    window.addEventListener(type, (e) => window.__rk.push({ type, detail: e.detail ?? null }));
  }
  document.addEventListener('securitypolicyviolation', (e) => window.__problems.push('csp: ' + e.violatedDirective + ' ' + e.blockedURI + ' ' + (e.sample || '')));
})();`;

function listen(fetch: (req: Request) => Response | Promise<Response>): Promise<{ server: ServerType; origin: string }> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch, port: 0, hostname: '127.0.0.1' }, () => {
      resolve({ server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
    });
    server.once('error', reject);
  });
}

const stop = (server: ServerType): Promise<void> => new Promise((r) => {
  if ('closeAllConnections' in server) server.closeAllConnections();
  server.close(() => r());
});

export async function startRig(): Promise<SecurityRig> {
  if (!existsSync(EMBED)) throw new Error('dist/robokassa-checkout.js is missing: run `npm run build` first');
  const executablePath = findChromium();
  if (!executablePath) throw new Error('Chromium not found: set CHROME_PATH');

  let shopHandler: (req: Request) => Response | Promise<Response> = () => new Response('starting', { status: 503 });
  let otherHandler: (req: Request) => Response | Promise<Response> = () => new Response('starting', { status: 503 });
  const shop = await listen((req) => shopHandler(req));
  const other = await listen((req) => otherHandler(req));
  // localhost is another origin than 127.0.0.1: the hostile frame and the payment page are cross-origin
  const otherOrigin = other.origin.replace('127.0.0.1', 'localhost');

  const store = openSqliteStore(':memory:');
  const paid: PaymentRecord[] = [];
  const requests: string[] = [];
  const config = parseConfig({
    ROBOKASSA_MERCHANT_LOGIN: 'demo-shop', ROBOKASSA_PASSWORD1: 'demo-password-1', ROBOKASSA_PASSWORD2: 'demo-password-2',
    ROBOKASSA_TEST: '1', ROBOKASSA_PAYMENT_URL: `${otherOrigin}/sandbox/Merchant/Index.aspx`, ROBOKASSA_CATALOG: writeCatalog(),
    ROBOKASSA_DATABASE: ':memory:', ROBOKASSA_ALLOWED_ORIGINS: shop.origin,
  });
  const logs: Record<string, unknown>[] = [];
  const backend = createApp(config, { store, log: (e) => void logs.push(e), onPaid: (p) => void paid.push(p) });
  const sandbox = createSandboxApp({
    merchantLogin: 'demo-shop', password1: 'demo-password-1', password2: 'demo-password-2', hashAlgorithm: 'md5', testMode: true,
    resultUrl: `${shop.origin}/robokassa/result`, successUrl: `${shop.origin}/robokassa/success`, failUrl: `${shop.origin}/robokassa/fail`,
    retryDelaysMs: [50, 100, 200], log: (e) => void logs.push(e),
  });
  const leaks: string[] = [];
  const pendingBodies: Promise<void>[] = [];

  const pages = new Map<string, PageOptions>();
  const shopApp = new Hono();
  shopApp.all('/robokassa/*', (c) => {
    requests.push(`${c.req.method} ${c.req.path}`);
    return backend.fetch(c.req.raw);
  });
  shopApp.get('/robokassa-checkout.js', (c) => c.body(new Uint8Array(readFileSync(EMBED)), 200, { 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'no-store' }));
  shopApp.get('/favicon.ico', (c) => c.body(null, 204));
  shopApp.get('/page/:name', (c) => {
    const o = pages.get(c.req.param('name'));
    if (!o) return c.text('no such page', 404);
    const headers: Record<string, string> = { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' };
    if (o.csp) headers['Content-Security-Policy'] = o.csp;
    if (o.coop) headers['Cross-Origin-Opener-Policy'] = o.coop;
    return c.body(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Shop</title>
<script type="module" src="/robokassa-checkout.js"></script></head>
<body><main><h1>Shop</h1>
<robokassa-checkout id="rk" endpoint="${shop.origin}/robokassa" sku="course-basic" lang="en" mode="popup"></robokassa-checkout>
${o.foreignFrame ? `<iframe id="foreign" title="ads" src="${otherOrigin}/evil.html"></iframe>` : ''}
</main></body></html>`, 200, headers);
  });
  shopHandler = (req) => shopApp.fetch(req);

  const otherApp = new Hono();
  otherApp.all('/sandbox/*', (c) => sandbox.fetch(c.req.raw));
  otherApp.get('/evil.html', (c) => c.html('<!doctype html><title>ads</title><p>an advert from another origin</p>'));
  otherHandler = (req) => otherApp.fetch(req);

  const browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
  const contexts: BrowserContext[] = [];

  return {
    shopOrigin: shop.origin,
    otherOrigin,
    store,
    paid,
    requests,
    logs,
    async leaks() {
      await Promise.all(pendingBodies);
      const found = [...leaks];
      for (const l of logs) {
        const text = JSON.stringify(l);
        for (const s of SECRETS) if (text.includes(s)) found.push(`log line: ${text.slice(0, 120)}`);
      }
      return found;
    },
    browser,
    page(name, options) {
      pages.set(name, options);
      return `${shop.origin}/page/${name}`;
    },
    async open(name) {
      const context = await browser.newContext({ viewport: { width: 1000, height: 800 } });
      contexts.push(context);
      // every response body and header any page of this context receives (the shop, the sandbox, the return pages)
      context.on('response', (res) => {
        pendingBodies.push(res.body().then((body) => {
          const text = `${JSON.stringify(res.headers())}\n${body.toString('latin1')}`;
          for (const s of SECRETS) if (text.includes(s)) leaks.push(`${res.url()}: shows a password`);
        }, () => undefined));
      });
      const page = await context.newPage();
      await page.addInitScript({ content: RECORDER });
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(`pageerror: ${String(e)}`));
      page.on('console', (m) => { if (m.type() === 'error') errors.push(`console: ${m.text()}`); });
      await page.goto(`${shop.origin}/page/${name}`);
      await page.locator('#rk [part~="amount"]').waitFor({ timeout: 15_000 });
      return {
        context,
        page,
        events: () => page.evaluate(() => (window as unknown as { __rk: { type: string; detail: Record<string, unknown> | null }[] }).__rk),
        problems: async () => [...errors, ...(await page.evaluate(() => (window as unknown as { __problems: string[] }).__problems))],
      };
    },
    async close() {
      for (const c of contexts) await c.close().catch(() => undefined);
      await browser.close();
      await stop(shop.server);
      await stop(other.server);
      store.close();
    },
  };
}

export async function waitFor<T>(what: string, read: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await read().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
