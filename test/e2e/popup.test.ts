// Every sandbox test card paid on the demo page through the payment window, as a buyer would: the
// product page's widget (mode auto → a window), the card typed on the sandbox's page, 3-D Secure where
// asked, and the result confirmed by the backend before the element says it.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { DICTIONARIES } from '../../src/checkout/i18n.js';
import {
  TERMINAL, backToShop, cancelPayment, fillCard, helpOpen, pass3ds, paymentStatus, shot, startHarness, status,
  type DemoPage, type Harness, type RecordedEvent,
} from './harness.js';

const HERO = 'hero-checkout';
const en = DICTIONARIES.en;

let h: Harness;

interface Attempt { event: RecordedEvent; since: number; paidBefore: number }
/** Payments the backend has marked paid in this file so far (onPaid runs once per paid invoice). */
const paidCount = (): number => [...h.paid.values()].reduce((a, b) => a + b, 0);
before(async () => {
  h = await startHarness();
});
after(async () => {
  await h?.close();
});

/** Presses the widget's button, lets `buyer` act in the payment window, returns the attempt's terminal event. */
async function payThroughWindow(dp: DemoPage, buyer: (win: Page) => Promise<void>, target = HERO): Promise<Attempt> {
  const since = (await dp.events()).length;
  const paidBefore = paidCount();
  const opened = dp.page.waitForEvent('popup');
  await dp.page.locator(`#${target} [part~="button"]`).click();
  const win = await opened;
  await buyer(win);
  const event = await dp.terminal(target, since);
  return { event, since, paidBefore };
}

async function waitForEvent(dp: DemoPage, type: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if ((await dp.events()).some((e) => e.type === type)) return;
    await dp.page.waitForTimeout(100);
  }
  throw new Error(`no ${type} event`);
}

/** Exactly one terminal event for the attempt, on the whole page, a moment after the first. */
async function assertOneTerminal(dp: DemoPage, since: number): Promise<void> {
  await dp.page.waitForTimeout(400);
  const terminals = (await dp.events()).slice(since).filter((e) => TERMINAL.includes(e.type));
  assert.equal(terminals.length, 1, `one terminal event per attempt, got ${JSON.stringify(terminals)}`);
}

async function assertPaid(dp: DemoPage, { event, since, paidBefore }: Attempt): Promise<void> {
  assert.equal(event.type, 'rk-success', `expected rk-success, got ${JSON.stringify(event)}`);
  await assertOneTerminal(dp, since);
  assert.equal(await status(dp.page, HERO), en.success);
  const id = await dp.lastPayment();
  assert.equal(event.detail?.id, id);
  const payment = await paymentStatus(h.demo, id);
  assert.equal(payment.status, 'paid');
  assert.equal(event.detail?.invoiceId, payment.invoiceId);
  assert.equal(h.paid.get(id), 1, 'the backend marked it paid exactly once');
  assert.equal(paidCount(), paidBefore + 1, 'and no other payment');
}

async function assertRefused(dp: DemoPage, { event, since, paidBefore }: Attempt): Promise<void> {
  assert.equal(event.type, 'rk-fail', `expected rk-fail, got ${JSON.stringify(event)}`);
  await assertOneTerminal(dp, since);
  assert.equal(await status(dp.page, HERO), en.fail);
  assert.equal(await helpOpen(dp.page, HERO), true, 'the refusal help is opened');
  const id = await dp.lastPayment();
  assert.notEqual((await paymentStatus(h.demo, id)).status, 'paid');
  assert.equal(h.paid.get(id), undefined);
  assert.equal(paidCount(), paidBefore, 'nothing was paid');
}

describe('popup window: every sandbox test card', () => {
  it('4111 1111 1111 1111 pays at once: rk-success, "paid" status, one paid payment', async () => {
    const dp = await h.open({ lang: 'en' });
    try {
      const attempt = await payThroughWindow(dp, async (win) => {
        await win.locator('#card-number').waitFor();
        await shot(win, 'sandbox-payment-page');
        await fillCard(win, { number: '4111111111111111' });
      });
      await assertPaid(dp, attempt);
      const seen = (await dp.events()).slice(attempt.since).map((e) => e.type);
      assert.deepEqual(seen, ['rk-start', 'rk-open', 'rk-success']);
      await shot(dp.page, 'popup-paid', HERO);
    } finally {
      await dp.close();
    }
  });

  it('5555 5555 5555 4444 with 3-D Secure code 1234 pays', async () => {
    const dp = await h.open({ lang: 'en' });
    try {
      const attempt = await payThroughWindow(dp, async (win) => {
        await fillCard(win, { number: '5555555555554444' });
        await win.locator('#otp').waitFor();
        await shot(win, 'sandbox-3ds-page');
        await pass3ds(win, '1234');
      });
      await assertPaid(dp, attempt);
    } finally {
      await dp.close();
    }
  });

  for (const [number, reason] of [
    ['4000000000009995', 'not enough money'],
    ['4000000000000069', 'card expired or details wrong'],
    ['4000000000000127', 'internet payments not allowed'],
    ['4000000000000002', 'daily limit reached'],
  ] as const) {
    it(`${number} is refused (${reason}): rk-fail and the help opens`, async () => {
      const dp = await h.open({ lang: 'en' });
      try {
        const attempt = await payThroughWindow(dp, async (win) => {
          await fillCard(win, { number });
          await backToShop(win);
        });
        await assertRefused(dp, attempt);
        if (number === '4000000000009995') await shot(dp.page, 'popup-refused', HERO);
      } finally {
        await dp.close();
      }
    });
  }

  it('5555 5555 5555 4444 with a wrong 3-D Secure code is refused', async () => {
    const dp = await h.open({ lang: 'en' });
    try {
      const attempt = await payThroughWindow(dp, async (win) => {
        await fillCard(win, { number: '5555555555554444' });
        await pass3ds(win, '0000');
        await backToShop(win);
      });
      await assertRefused(dp, attempt);
    } finally {
      await dp.close();
    }
  });

  it('5105 1051 0510 5100: the code never arrives, the buyer cancels → rk-fail through FailURL, the help opens, nothing paid', async () => {
    const dp = await h.open({ lang: 'en' });
    try {
      const { event, since } = await payThroughWindow(dp, async (win) => {
        await fillCard(win, { number: '5105105105105100' });
        await win.locator('#otp').waitFor();
        await cancelPayment(win);
        // a cancel goes back through FailURL: the buyer may press the way back or wait for it
        await backToShop(win).catch(() => undefined);
      });
      // a cancel on the payment page goes back through FailURL, like Robokassa's: the element reports a refusal
      assert.equal(event.type, 'rk-fail', JSON.stringify(event));
      assert.equal(await helpOpen(dp.page, HERO), true, 'the help opens: "no 3-D Secure code → call the bank"');
      await assertOneTerminal(dp, since);
      const id = await dp.lastPayment();
      assert.notEqual((await paymentStatus(h.demo, id)).status, 'paid');
      assert.equal(h.paid.get(id), undefined);
    } finally {
      await dp.close();
    }
  });
});

describe('popup window: leaving and retrying', () => {
  it('closing the payment window → rk-cancel, nothing paid', async () => {
    const dp = await h.open({ lang: 'en' });
    try {
      const { event, since } = await payThroughWindow(dp, async (win) => {
        await win.locator('#card-number').waitFor();
        // the element takes a window that closes within `timing.severed` of being sent to the payment page
        // as cut off by COOP (not closed by the buyer) and keeps polling: a buyer takes longer to give up
        await waitForEvent(dp, 'rk-open');
        const severed = await dp.page.evaluate(() => (customElements.get('robokassa-checkout') as unknown as { timing: { severed: number } }).timing.severed);
        await dp.page.waitForTimeout(severed + 300);
        await win.close();
      });
      assert.equal(event.type, 'rk-cancel', JSON.stringify(event));
      await assertOneTerminal(dp, since);
      assert.equal(await status(dp.page, HERO), en.cancel);
      assert.equal((await paymentStatus(h.demo, await dp.lastPayment())).status, 'pending');
      await shot(dp.page, 'popup-cancelled', HERO);
    } finally {
      await dp.close();
    }
  });

  it('a retry after a refusal succeeds', async () => {
    const dp = await h.open({ lang: 'en' });
    try {
      const first = await payThroughWindow(dp, async (win) => {
        await fillCard(win, { number: '4000000000009995' });
        await backToShop(win);
      });
      await assertRefused(dp, first);
      const second = await payThroughWindow(dp, (win) => fillCard(win, { number: '4111111111111111' }));
      await assertPaid(dp, second);
      assert.equal(await helpOpen(dp.page, HERO), false, 'the help closes for the new attempt');
    } finally {
      await dp.close();
    }
  });
});
