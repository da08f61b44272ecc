// The built element under the shop page's real HTTP security headers:
// - a strict CSP (no inline script or style, no eval) that also requires Trusted Types — first with
//   any policy name, then allowing only lit's own 'lit-html' policy: it renders, pays, and the browser
//   reports no violation (lit's templates go through its policy; the element itself has no HTML sinks);
// - Cross-Origin-Opener-Policy: same-origin, which cuts the payment window off from the page as soon
//   as it reaches the (cross-origin) payment page: no postMessage, no window handle — and with the
//   BroadcastChannel taken away too, the result still arrives, by polling GET /payments/{id}.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { fillCard } from './harness.js';
import { startRig, waitFor, type SecurityRig, type Tab } from './security-support.js';

let rig: SecurityRig;
before(async () => {
  rig = await startRig();
});
after(async () => {
  await rig?.close();
});

const TERMINAL = ['rk-success', 'rk-fail', 'rk-cancel', 'rk-error'];
const STRICT = (origin: string): string[] => [
  "default-src 'none'", "script-src 'self'", "style-src 'self'", `connect-src ${origin}`, "img-src 'self'",
  "base-uri 'none'", "form-action 'none'", "frame-ancestors 'none'", "object-src 'none'",
];

async function payInWindow(tab: Tab): Promise<{ type: string; detail: Record<string, unknown> | null }> {
  const popup = tab.page.waitForEvent('popup');
  await tab.page.locator('#rk [part~="button"]').click();
  const win = await popup;
  await fillCard(win, { number: '4111 1111 1111 1111' });
  return waitFor('a terminal event', async () => (await tab.events()).find((e) => TERMINAL.includes(e.type)), 40_000);
}

for (const [name, tt] of [
  ['any policy', "require-trusted-types-for 'script'"],
  ['only lit-html\'s policy', "require-trusted-types-for 'script'; trusted-types lit-html"],
] as const) {
  test(`strict CSP with Trusted Types (${name}): renders, pays, no violation`, async () => {
    const page = `tt-${name === 'any policy' ? 'any' : 'lit'}`;
    rig.page(page, { csp: [...STRICT(rig.shopOrigin), tt].join('; ') });
    const tab = await rig.open(page);
    assert.match((await tab.page.locator('#rk [part~="amount"]').textContent()) ?? '', /1[\s,.\u00a0\u202f]?500/);
    const done = await payInWindow(tab);
    assert.equal(done.type, 'rk-success', JSON.stringify(done));
    assert.deepEqual(await tab.problems(), []);
    // and Trusted Types really are enforced on this page: a plain string into innerHTML is refused
    const enforced = await tab.page.evaluate(() => {
      try {
        document.createElement('div').innerHTML = '<b>x</b>';
        return false;
      } catch {
        return true;
      }
    });
    assert.ok(enforced, 'the page does not enforce Trusted Types');
    await tab.context.close();
  });
}

test('COOP same-origin on the shop page, no BroadcastChannel: the window is cut off, the result arrives by polling', async () => {
  rig.page('coop', { coop: 'same-origin' });
  const tab = await rig.open('coop');
  // no BroadcastChannel either (old Safari, or a return page on another origin): polling alone must do
  await tab.page.evaluate(() => { Reflect.deleteProperty(window, 'BroadcastChannel'); });
  const before = rig.requests.length;
  const popup = tab.page.waitForEvent('popup');
  await tab.page.locator('#rk [part~="button"]').click();
  const win = await popup;
  await win.locator('#card-number').waitFor({ timeout: 15_000 });
  // COOP has severed the two: the page's handle reads closed, the payment page has no opener
  assert.equal(await win.evaluate(() => window.opener === null), true, 'the payment window still has its opener');
  const opened = await waitFor('rk-open', async () => (await tab.events()).find((e) => e.type === 'rk-open'));
  await tab.page.waitForTimeout(2_500); // past the element's "severed" grace: a closed handle now must not end it
  assert.deepEqual((await tab.events()).filter((e) => TERMINAL.includes(e.type)), [], 'the severed window counted as closed by the buyer');
  await fillCard(win, { number: '4111 1111 1111 1111' });
  const done = await waitFor('a terminal event', async () => (await tab.events()).find((e) => TERMINAL.includes(e.type)), 40_000);
  assert.equal(done.type, 'rk-success', JSON.stringify(done));
  assert.equal(done.detail?.['id'], opened.detail?.['id']);
  const polls = rig.requests.slice(before).filter((r) => r.startsWith('GET /robokassa/payments/'));
  assert.ok(polls.length >= 1, `no status poll: ${JSON.stringify(rig.requests.slice(before))}`);
  await tab.page.waitForTimeout(500);
  assert.equal((await tab.events()).filter((e) => TERMINAL.includes(e.type)).length, 1);
  await tab.context.close();
});

// last: after the flows above
test('no response the browser received and no log line of the backend or the sandbox showed a password', async () => {
  assert.ok(rig.logs.length > 0, 'no log lines captured');
  assert.deepEqual(await rig.leaks(), []);
});
