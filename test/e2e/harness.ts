// Shared by the end-to-end tests: the composed demo server (demo/server.ts) on port 0 with a temp data
// folder, one Chromium per test file, an rk-* event recorder that survives same-tab redirects, and the
// buyer's steps on the sandbox's payment page.
import { existsSync, mkdtempSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { startDemoServer, type DemoServer } from '../../demo/server.js';
import { CHROMIUM_ARGS, findChromium } from '../support/chromium.js';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** Screenshots of key states: kept as artifacts, git-ignored. */
export const ARTIFACTS = join(ROOT, 'test-results', 'e2e');

export const RK_EVENTS = ['rk-start', 'rk-open', 'rk-success', 'rk-fail', 'rk-cancel', 'rk-error'] as const;
export type RkEventType = (typeof RK_EVENTS)[number];
export const TERMINAL: readonly RkEventType[] = ['rk-success', 'rk-fail', 'rk-cancel', 'rk-error'];

export interface RecordedEvent {
  type: RkEventType;
  /** id of the element that fired it */
  target: string;
  detail: Record<string, unknown> | null;
  cancelled: boolean;
}

export interface Harness {
  demo: DemoServer;
  browser: Browser;
  /** payment id → how many times the backend's onPaid ran for it */
  paid: Map<string, number>;
  /** a fresh context and the demo page in it, with the event recorder installed */
  open(options?: { lang?: 'ru' | 'en' | 'kk'; blockWindows?: boolean }): Promise<DemoPage>;
  close(): Promise<void>;
}

export interface DemoPage {
  context: BrowserContext;
  page: Page;
  /** the backend's id of the latest payment, as the element reported it in rk-open */
  lastPayment(): Promise<string>;
  /** every rk-* event so far, across same-tab navigations */
  events(): Promise<RecordedEvent[]>;
  /** resolves with the first terminal event of `target` ('*': of any element) after `since` events */
  terminal(target: string, since?: number, timeoutMs?: number): Promise<RecordedEvent>;
  close(): Promise<void>;
}

/**
 * Installed before any page script: records rk-* events into sessionStorage so a redirect keeps them.
 * A string, not a function: tsx would wrap a function's inner names in a helper the page doesn't have.
 */
const RECORDER = `(() => {
  const KEY = '__rk_events';
  const read = () => { try { return JSON.parse(sessionStorage.getItem(KEY) || '[]'); } catch { return []; } };
  for (const type of ${JSON.stringify(RK_EVENTS)}) {
    // bubble phase on window: the page's own listeners (the demo's log, a veto) have run by then
    window.addEventListener(type, (e) => {
      const host = e.target;
      const all = read();
      all.push({ type, target: (host && host.id) || '', detail: e.detail ?? null, cancelled: e.defaultPrevented });
      sessionStorage.setItem(KEY, JSON.stringify(all));
    });
  }
})();`;

/** A popup blocker: window.open gives nothing back. */
const BLOCK_WINDOWS = 'window.open = function () { return null; };';

/** dist/robokassa-checkout.js (and the IIFE) exist and are newer than every source they are built from. */
function embedIsFresh(): boolean {
  const built = ['robokassa-checkout.js', 'robokassa-checkout.iife.js'].map((f) => join(ROOT, 'dist', f));
  if (!built.every((f) => existsSync(f))) return false;
  const builtAt = Math.min(...built.map((f) => statSync(f).mtimeMs));
  const newest = (path: string): number => {
    const st = statSync(path);
    if (!st.isDirectory()) return st.mtimeMs;
    return Math.max(st.mtimeMs, ...readdirSync(path).map((name) => newest(join(path, name))));
  };
  const sources = ['src/checkout', 'src/protocol', 'vite.config.ts', 'package.json'].map((p) => newest(join(ROOT, p)));
  return Math.max(...sources) < builtAt;
}

export async function startHarness(): Promise<Harness> {
  const executablePath = findChromium();
  if (!executablePath) throw new Error('Chromium not found: set CHROME_PATH or install Debian\'s chromium');
  const dataDir = mkdtempSync(join(tmpdir(), 'rk-e2e-'));
  const paid = new Map<string, number>();
  const demo = await startDemoServer({
    port: 0,
    dataDir,
    // `npm test` builds dist/ in its build stage: rebuild the embed only when its sources are newer
    build: embedIsFresh() ? 'demo' : 'all',
    retryDelaysMs: [50, 100, 200],
    onPaid: (p) => void paid.set(p.id, (paid.get(p.id) ?? 0) + 1),
  });
  const browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
  mkdirSync(ARTIFACTS, { recursive: true });

  // One context and one tab for the file, reused by every test (a fresh tab per test costs seconds on a
  // busy machine); each test starts with an empty sessionStorage (no stored attempt, no recorded events).
  // A test that blocks windows gets its own tab, since the blocker is installed per tab.
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, colorScheme: 'light' });
  let sharedPage: Page | undefined;
  const errors: string[] = [];
  const newTab = async (blockWindows: boolean): Promise<Page> => {
    const tab = await context.newPage();
    await tab.addInitScript({ content: RECORDER });
    if (blockWindows) await tab.addInitScript({ content: BLOCK_WINDOWS });
    tab.on('pageerror', (e) => errors.push(String(e)));
    return tab;
  };

  const open: Harness['open'] = async (options = {}) => {
    const own = options.blockWindows === true;
    let page: Page;
    if (own) page = await newTab(true);
    else {
      sharedPage ??= await newTab(false);
      page = sharedPage;
      await page.evaluate(() => sessionStorage.clear()).catch(() => undefined);
    }
    errors.length = 0;
    // the language always in the URL: it wins over the one the page remembered from an earlier test
    await page.goto(`${demo.url}?lang=${options.lang ?? 'ru'}`);
    await page.locator('#hero-checkout [part~="amount"]').waitFor();

    const events = (): Promise<RecordedEvent[]> =>
      page.evaluate(() => JSON.parse(sessionStorage.getItem('__rk_events') ?? '[]') as RecordedEvent[]);
    const terminal: DemoPage['terminal'] = async (target, since = 0, timeoutMs = 15_000) => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        let list: RecordedEvent[] = [];
        try {
          list = await events();
        } catch {
          // the page is between documents (a redirect): ask again
        }
        const hit = list.slice(since).find((e) => (target === '*' || e.target === target) && TERMINAL.includes(e.type));
        if (hit) return hit;
        if (Date.now() > deadline) {
          throw new Error(`no terminal event from #${target} within ${timeoutMs} ms; events: ${JSON.stringify(list)}; page errors: ${errors.join(' | ')}`);
        }
        await new Promise((r) => setTimeout(r, 100));
      }
    };
    const lastPayment = async (): Promise<string> => {
      const opened = (await events()).filter((e) => e.type === 'rk-open').at(-1);
      const id = opened?.detail?.id;
      if (typeof id !== 'string') throw new Error(`no rk-open with a payment id: ${JSON.stringify(opened)}`);
      return id;
    };
    return { context, page, lastPayment, events, terminal, close: async () => (own ? page.close() : undefined) };
  };

  return {
    demo,
    browser,
    paid,
    open,
    close: async () => {
      await context.close();
      await browser.close();
      await demo.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface Card {
  number: string;
  /** the 3-D Secure code to type, when the card asks for one */
  code?: string;
}

/** A future expiry as the sandbox asks for it (MM/YY). */
export function futureExpiry(): string {
  const d = new Date();
  return `${String(d.getMonth() + 1).padStart(2, '0')}/${String((d.getFullYear() + 3) % 100).padStart(2, '0')}`;
}

/** The buyer on the sandbox's payment page: card, expiry, CVC, e-mail, pay. */
export async function fillCard(pay: Page, card: Card): Promise<void> {
  await pay.locator('#card-number').waitFor({ timeout: 10_000 });
  await pay.fill('#card-number', card.number);
  await pay.fill('#card-expiry', futureExpiry());
  await pay.fill('#card-cvc', '123');
  const email = pay.locator('#email');
  if ((await email.inputValue()) === '') await email.fill('buyer@example.com');
  await pay.locator('form.card button[type="submit"]').click();
}

/** Types the 3-D Secure code and confirms. */
export async function pass3ds(pay: Page, code: string): Promise<void> {
  await pay.locator('#otp').waitFor({ timeout: 10_000 });
  await pay.fill('#otp', code);
  await pay.locator('form.card button[type="submit"]').click();
}

/** The sandbox's "back to the shop" on a refusal page (it would also go by itself after a few seconds). */
export async function backToShop(pay: Page): Promise<void> {
  await pay.locator('.actions a.button.primary, .actions form.inline button.primary').first().click({ timeout: 10_000 });
}

/** The cancel control under the card form or the 3-D Secure form. */
export async function cancelPayment(pay: Page): Promise<void> {
  await pay.locator('form.inline[action$="/cancel"] button').click({ timeout: 10_000 });
}

export async function status(page: Page, target: string): Promise<string> {
  return ((await page.locator(`#${target} [part~="status"]`).textContent()) ?? '').trim();
}

export async function helpOpen(page: Page, target: string): Promise<boolean> {
  return page.locator(`#${target} details[part~="help"]`).evaluate((d) => (d as HTMLDetailsElement).open);
}

export async function paymentStatus(demo: DemoServer, id: string): Promise<{ status: string; invoiceId: number }> {
  const res = await fetch(`${demo.origin}/robokassa/payments/${encodeURIComponent(id)}`);
  if (!res.ok) throw new Error(`GET /payments/${id} answered ${res.status}`);
  return (await res.json()) as { status: string; invoiceId: number };
}

export async function shot(page: Page, name: string, target?: string): Promise<void> {
  const path = join(ARTIFACTS, `${name}.png`);
  if (target) await page.locator(`#${target}`).screenshot({ path });
  else await page.screenshot({ path });
}
