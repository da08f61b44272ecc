// The built files, as a site owner serves them: dist/robokassa-checkout.js (module) and the classic
// IIFE render the element in Chromium (the sources can pass while the bundle fails), and the demo page
// works under its strict CSP with no inline script or style.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { DICTIONARIES } from '../../src/checkout/i18n.js';
import { ROOT, shot, startHarness, type Harness } from './harness.js';

let h: Harness;
before(async () => {
  h = await startHarness();
});
after(async () => {
  await h?.close();
});

/** A bare host page at `path` on the demo's origin (so the backend is same-origin), served by the test itself. */
async function hostPage(page: Page, path: string, head: string): Promise<string[]> {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  const url = `${h.demo.origin}${path}`;
  await page.route(url, (route) => route.fulfill({
    contentType: 'text/html; charset=utf-8',
    headers: { 'Content-Security-Policy': "default-src 'self'; script-src 'self'; style-src 'self'" },
    body: `<!doctype html><html lang="en"><head><meta charset="utf-8">${head}</head><body>
<robokassa-checkout id="probe" endpoint="/robokassa" sku="course-basic"></robokassa-checkout></body></html>`,
  }));
  await page.goto(url);
  return errors;
}

describe('the built embed', () => {
  for (const [name, file, tag] of [
    ['ES module', 'robokassa-checkout.js', '<script type="module" src="/robokassa-checkout.js"></script>'],
    ['classic IIFE', 'robokassa-checkout.iife.js', '<script src="/robokassa-checkout.iife.js"></script>'],
  ] as const) {
    it(`dist/${file} (${name}) defines the element and renders it with the backend's amount`, async () => {
      const served = Buffer.from(await (await fetch(`${h.demo.origin}/${file}`)).arrayBuffer());
      assert.deepEqual(served, readFileSync(join(ROOT, 'dist', file)), 'the demo serves the built file as is');
      // V8 compiles the whole file up front instead of twice-parsing functions in the first render (vite.config.ts)
      const text = served.toString('utf8');
      assert.ok(text.startsWith('//# allFunctionsCalledOnLoad\n'), 'opens with the compile hint');
      assert.equal(text.split('allFunctionsCalledOnLoad').length, 2, 'the hint once, on the first line');
      const context = await h.browser.newContext();
      try {
        const page = await context.newPage();
        const errors = await hostPage(page, `/__bundle-${file}.html`, tag);
        const amount = page.locator('#probe [part~="amount"]');
        await amount.waitFor({ timeout: 10_000 });
        assert.match((await amount.textContent()) ?? '', /₸|KZT/);
        const button = page.locator('#probe [part~="button"]');
        assert.match((await button.textContent()) ?? '', new RegExp(DICTIONARIES.en.pay));
        assert.equal(await page.locator('#probe [part~="badge"]').textContent(), DICTIONARIES.en.testMode);
        for (const part of ['logos', 'notice', 'help', 'status']) {
          assert.equal(await page.locator(`#probe [part~="${part}"]`).count(), 1, `part ${part}`);
        }
        assert.deepEqual(errors, []);
        await shot(page, `bundle-${name.replace(/\W+/g, '-').toLowerCase()}`, 'probe');
      } finally {
        await context.close();
      }
    });
  }
});

describe('the demo page', () => {
  it('has no inline script or style and is served with a strict CSP', async () => {
    const res = await fetch(h.demo.url);
    const csp = res.headers.get('content-security-policy') ?? '';
    assert.match(csp, /script-src 'self'(;|$)/);
    assert.match(csp, /style-src 'self'(;|$)/);
    const html = await res.text();
    assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)[^>]*>/i, 'every script has a src');
    assert.doesNotMatch(html, /<style\b/i);
    assert.doesNotMatch(html, /\sstyle=/i);
    assert.doesNotMatch(html, /\son[a-z]+=/i);
    assert.match(html, /<script type="module" src="\/robokassa-checkout\.js"><\/script>/, 'loads the built widget like a site owner');
  });

  it('renders every widget with no error or CSP violation; the language switch and theming panel work', async () => {
    const dp = await h.open();
    try {
      const violations: string[] = [];
      const errors: string[] = [];
      dp.page.on('console', (m) => {
        if (m.type() === 'error') errors.push(m.text());
      });
      await dp.page.exposeFunction('__cspViolation', (v: string) => violations.push(v));
      await dp.page.addInitScript({
        content: "document.addEventListener('securitypolicyviolation', function (e) { window.__cspViolation(e.violatedDirective + ' ' + e.blockedURI); });",
      });
      await dp.page.reload();
      await dp.page.locator('#variant-long [part~="amount"]').waitFor();
      const widgets = await dp.page.locator('robokassa-checkout').count();
      assert.ok(widgets >= 10, `the gallery shows the variants (${widgets})`);
      assert.equal(await dp.page.locator('robokassa-checkout [part~="button"]').count(), widgets, 'every widget rendered');
      assert.equal(await dp.page.locator('#variant-disabled [part~="button"]').isDisabled(), true);
      assert.equal(await dp.page.locator('#variant-email [part~="email"]').count(), 1);

      // language switch → the product widget speaks Kazakh
      await dp.page.locator('#lang-switch [data-lang="kk"]').click();
      await dp.page.waitForFunction(() => document.querySelector('#hero-checkout')?.getAttribute('lang') === 'kk');
      assert.match((await dp.page.locator('#hero-checkout [part~="button"]').textContent()) ?? '', new RegExp(DICTIONARIES.kk.pay));

      // theming panel → the preview's button takes the accent, the CSS to copy says so
      await dp.page.locator('#field-accent').fill('#c2410c');
      const bg = await dp.page.locator('#theme-preview [part~="button"]').evaluate((b) => getComputedStyle(b).backgroundColor);
      assert.equal(bg, 'rgb(194, 65, 12)');
      assert.match((await dp.page.locator('#theme-css').textContent()) ?? '', /--rk-accent: #c2410c;/);

      // the log's "veto rk-start" box cancels the cancelable event: nothing opens, the log says so
      await dp.page.locator('#veto-start').check();
      let opened = false;
      dp.page.once('popup', () => { opened = true; });
      await dp.page.locator('#hero-checkout [part~="button"]').click();
      await dp.page.locator('#event-log li', { hasText: 'vetoed by the page' }).waitFor();
      const recorded = (await dp.events()).filter((e) => e.type !== 'rk-start');
      assert.deepEqual(recorded, [], 'a vetoed rk-start ends the attempt before it begins');
      assert.equal(opened, false);
      await dp.page.locator('#veto-start').uncheck();

      assert.deepEqual(violations, []);
      assert.deepEqual(errors, []);
      await dp.page.screenshot({ path: join(ROOT, 'test-results', 'e2e', 'demo-page.png'), fullPage: true });
    } finally {
      await dp.close();
    }
  });
});
