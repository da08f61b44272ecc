// Same-tab payments: the redirect-mode widget (one success, one refusal) and a blocked window on the
// product page's widget, which falls back to the same tab. The result shows after the buyer returns.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { DICTIONARIES } from '../../src/checkout/i18n.js';
import {
  TERMINAL, backToShop, fillCard, helpOpen, paymentStatus, shot, startHarness, status,
  type Card, type DemoPage, type Harness, type RecordedEvent,
} from './harness.js';

const en = DICTIONARIES.en;

let h: Harness;
/** Payments the backend has marked paid in this file so far (onPaid runs once per paid invoice). */
const paidCount = (): number => [...h.paid.values()].reduce((a, b) => a + b, 0);
before(async () => {
  h = await startHarness();
});
after(async () => {
  await h?.close();
});

/** Presses the button, pays in this tab, comes back; returns the terminal event and the events before it. */
async function payInThisTab(dp: DemoPage, target: string, card: Card, refused = false): Promise<{ event: RecordedEvent; since: number; paidBefore: number }> {
  const since = (await dp.events()).length;
  const paidBefore = paidCount();
  const demoUrl = new URL(dp.page.url());
  await dp.page.locator(`#${target} [part~="button"]`).click();
  await dp.page.waitForURL((u) => u.pathname.startsWith('/sandbox/'), { timeout: 10_000 });
  await fillCard(dp.page, card);
  if (refused) await backToShop(dp.page);
  await dp.page.waitForURL((u) => u.origin === demoUrl.origin && u.pathname === '/', { timeout: 15_000 });
  const event = await dp.terminal(target, since);
  await dp.page.waitForTimeout(400);
  const terminals = (await dp.events()).slice(since).filter((e) => TERMINAL.includes(e.type));
  assert.equal(terminals.length, 1, `one terminal event per attempt, got ${JSON.stringify(terminals)}`);
  return { event, since, paidBefore };
}

async function assertPaid(dp: DemoPage, target: string, event: RecordedEvent, paidBefore: number): Promise<void> {
  assert.equal(event.type, 'rk-success', JSON.stringify(event));
  assert.equal(await status(dp.page, target), en.success);
  const id = await dp.lastPayment();
  assert.equal(event.detail?.id, id);
  assert.equal((await paymentStatus(h.demo, id)).status, 'paid');
  assert.equal(h.paid.get(id), 1, 'the backend marked it paid exactly once');
  assert.equal(paidCount(), paidBefore + 1, 'and no other payment');
}

describe('redirect mode', () => {
  it('pays in the same tab and shows the success after the return', async () => {
    const dp = await h.open();
    try {
      const { event, since, paidBefore } = await payInThisTab(dp, 'variant-redirect', { number: '4111111111111111' });
      await assertPaid(dp, 'variant-redirect', event, paidBefore);
      const opened = (await dp.events()).slice(since).find((e) => e.type === 'rk-open');
      assert.equal(opened?.detail?.mode, 'redirect');
      assert.ok(new URL(dp.page.url()).searchParams.has('rk_payment'), 'the backend sent the buyer back to the page');
      // the demo brings the widget that paid into view (it sits below the fold)
      await dp.page.waitForFunction(() => {
        const r = document.getElementById('variant-redirect')?.getBoundingClientRect();
        return r !== undefined && r.top >= 0 && r.bottom <= innerHeight;
      }, undefined, { timeout: 5_000 });
      await shot(dp.page, 'redirect-paid', 'variant-redirect');
    } finally {
      await dp.close();
    }
  });

  it('a refusal in the same tab: rk-fail after the return, the help opens', async () => {
    const dp = await h.open();
    try {
      const { event, paidBefore } = await payInThisTab(dp, 'variant-redirect', { number: '4000000000000002' }, true);
      assert.equal(paidCount(), paidBefore, 'nothing was paid');
      assert.equal(event.type, 'rk-fail', JSON.stringify(event));
      assert.equal(await status(dp.page, 'variant-redirect'), en.fail);
      assert.equal(await helpOpen(dp.page, 'variant-redirect'), true);
      assert.notEqual((await paymentStatus(h.demo, await dp.lastPayment())).status, 'paid');
      await shot(dp.page, 'redirect-refused', 'variant-redirect');
    } finally {
      await dp.close();
    }
  });
});

describe('window blocked', () => {
  it('window.open returns null: the product widget pays in the same tab and shows the result after the return', async () => {
    const dp = await h.open({ lang: 'en', blockWindows: true });
    try {
      const popups: unknown[] = [];
      dp.page.on('popup', (p) => popups.push(p));
      const { event, since, paidBefore } = await payInThisTab(dp, 'hero-checkout', { number: '4111111111111111' });
      assert.equal(popups.length, 0, 'no window was opened');
      await assertPaid(dp, 'hero-checkout', event, paidBefore);
      const opened = (await dp.events()).slice(since).find((e) => e.type === 'rk-open');
      assert.equal(opened?.detail?.mode, 'redirect');
      await shot(dp.page, 'blocked-window-paid', 'hero-checkout');
    } finally {
      await dp.close();
    }
  });
});

describe('two widgets for the same product on one page', () => {
  it('the one that paid in the same tab ends the attempt, the other stays idle', async () => {
    const dp = await h.open();
    try {
      // a landing page with the same course's button twice; the buyer presses the second one
      const twins = `${h.demo.origin}/__twins.html`;
      await dp.page.route((url) => url.pathname === '/__twins.html', (route) => route.fulfill({
        contentType: 'text/html; charset=utf-8',
        body: `<!doctype html><html lang="en"><head><meta charset="utf-8">
<script type="module" src="/robokassa-checkout.js"></script></head><body>
<robokassa-checkout id="top" endpoint="/robokassa" sku="course-basic" mode="redirect"></robokassa-checkout>
<robokassa-checkout id="bottom" endpoint="/robokassa" sku="course-basic" mode="redirect"></robokassa-checkout>
</body></html>`,
      }));
      await dp.page.goto(twins);
      await dp.page.locator('#bottom [part~="amount"]').waitFor();
      const since = (await dp.events()).length;
      await dp.page.locator('#bottom [part~="button"]').click();
      await dp.page.waitForURL((u) => u.pathname.startsWith('/sandbox/'), { timeout: 10_000 });
      await fillCard(dp.page, { number: '4111111111111111' });
      await dp.page.waitForURL((u) => u.pathname === '/__twins.html', { timeout: 15_000 });
      const first = await dp.terminal('*', since);
      await dp.page.waitForTimeout(400);
      const terminals = (await dp.events()).slice(since).filter((e) => TERMINAL.includes(e.type));
      assert.deepEqual(terminals.map((e) => `${e.target}:${e.type}`), ['bottom:rk-success'], `got ${JSON.stringify(first)}`);
      assert.equal(await status(dp.page, 'top'), '');
    } finally {
      await dp.page.unroute((url) => url.pathname === '/__twins.html').catch(() => undefined);
      await dp.close();
    }
  });
});
