// Forged return messages change nothing: while a real payment is open in the payment window, messages
// claiming it failed (or succeeded) from a hostile cross-origin frame, from the payment page's own origin
// (not the backend's), for another attempt from the shop's own origin, and on the BroadcastChannel from
// another tab — the element stays busy, fires no terminal event, the payment stays pending. Then the
// real payment completes and the element says so, exactly once.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { fillCard } from './harness.js';
import { startRig, waitFor, type SecurityRig } from './security-support.js';

let rig: SecurityRig;
before(async () => {
  rig = await startRig();
  rig.page('plain', { foreignFrame: true });
});
after(async () => {
  await rig?.close();
});

const TERMINAL = ['rk-success', 'rk-fail', 'rk-cancel', 'rk-error'];

test('forged return messages (foreign origin, the payment page\'s origin, another attempt, another tab) change nothing; the real payment still ends once, paid', async () => {
  const tab = await rig.open('plain');
  const popup = tab.page.waitForEvent('popup');
  await tab.page.locator('#rk [part~="button"]').click();
  const win: Page = await popup;
  const opened = await waitFor('rk-open', async () => (await tab.events()).find((e) => e.type === 'rk-open'));
  const id = String(opened.detail?.['id']);
  const invoiceId = Number(opened.detail?.['invoiceId']);
  await win.locator('#card-number').waitFor({ timeout: 15_000 });

  const message = (over: Record<string, unknown>): Record<string, unknown> => ({ type: 'robokassa-checkout:return', id, invoiceId, outcome: 'fail', ...over });
  // 1. a hostile frame on the shop page (another origin) claims this very attempt failed, then succeeded
  const frame = tab.page.frames().find((f) => f.url().includes('/evil.html'));
  assert.ok(frame, 'the foreign frame loaded');
  for (const outcome of ['fail', 'success']) {
    await frame.evaluate((m) => window.parent.postMessage(m, '*'), message({ outcome }));
  }
  // 2. the payment window itself (Robokassa's origin, not the backend's) posts to its opener
  await win.evaluate((m) => { window.opener?.postMessage(m, '*'); }, message({}));
  // 3. the shop's own origin, but for another attempt, and malformed ones for this attempt
  await tab.page.evaluate((ms) => { for (const m of ms) window.postMessage(m, '*'); }, [
    message({ id: 'someone-elses-payment-id', invoiceId: invoiceId + 1 }),
    message({ type: 'something-else' }),
    message({ outcome: 'paid' }),
    message({ invoiceId: 'x' }),
    JSON.stringify(message({})),
  ]);
  // 4. another tab of the shop's origin on the BroadcastChannel, for another attempt
  const other = await tab.context.newPage();
  await other.goto(`${rig.shopOrigin}/robokassa/healthz`);
  await other.evaluate((m) => { const c = new BroadcastChannel('robokassa-checkout'); c.postMessage(m); c.close(); }, message({ id: 'someone-elses-payment-id' }));

  // longer than the first status poll: nothing may have ended
  await tab.page.waitForTimeout(3_500);
  const events = await tab.events();
  assert.deepEqual(events.filter((e) => TERMINAL.includes(e.type)), [], `a forged message ended the attempt: ${JSON.stringify(events)}`);
  assert.equal(await tab.page.locator('#rk [part~="button"]').getAttribute('aria-disabled'), 'true', 'the button is still locked for the attempt');
  assert.equal((await rig.store.getPayment(id))?.status, 'pending');
  assert.ok(!win.isClosed(), 'the payment window was closed by a forged message');

  // the real payment
  await fillCard(win, { number: '4111 1111 1111 1111' });
  const done = await waitFor('a terminal event', async () => (await tab.events()).find((e) => TERMINAL.includes(e.type)));
  assert.equal(done.type, 'rk-success');
  assert.equal(done.detail?.['id'], id);
  await tab.page.waitForTimeout(500);
  assert.equal((await tab.events()).filter((e) => TERMINAL.includes(e.type)).length, 1);
  assert.equal(rig.paid.filter((p) => p.id === id).length, 1);
  await tab.context.close();
});

// last: after the flows above
test('no response the browser received and no log line of the backend or the sandbox showed a password', async () => {
  assert.ok(rig.logs.length > 0, 'no log lines captured');
  assert.deepEqual(await rig.leaks(), []);
});
