// The pages: escaped values (XSS), strict CSP with external CSS/JS only, labels and autocomplete,
// the banner everywhere; plus the card rules (Luhn, expiry, CVV2/CVC2).
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { checkCard, luhnValid, TEST_CARDS } from '../../src/sandbox/cards.js';
import { pickCulture } from '../../src/sandbox/i18n.js';
import { CARD_OK, INDEX_URL, SANDBOX, card, makeSandbox, md5, open, pay, postForm, signed } from './support.js';

const EVIL = '"><script>alert(1)</script><img src=x onerror=alert(2)>';

function assertNoInline(html: string): void {
  assert.doesNotMatch(html, /<script(?![^>]*\ssrc=)[^>]*>/, 'inline script');
  assert.doesNotMatch(html, /<style/i);
  assert.doesNotMatch(html, /\sstyle=/i);
  // Attribute values are escaped text: drop them, then look for on…= attributes inside tags.
  assert.doesNotMatch(html.replace(/"[^"]*"/g, '""'), /<[^>]*\son[a-z]+=/i, 'event handler attribute');
}

describe('pages', () => {
  test('Description, receipt names and Shp_ values are escaped everywhere', async () => {
    const sb = makeSandbox({ successMethod: 'POST' });
    const fields = signed({
      description: `Заказ ${EVIL}`.slice(0, 100), shp: { Shp_order: EVIL },
      receipt: { items: [{ name: `Товар ${EVIL}`, quantity: 1, sum: '4500.00', tax: 'none' }] },
    }).form.fields;
    const page = await open(sb, fields);
    const pages = [await (await sb.app.request(`${SANDBOX}${page}`)).text()];
    pages.push(await (await postForm(sb, `${SANDBOX}${page}`, card('', { email: EVIL }))).text());
    pages.push(await (await pay(sb, page, card(CARD_OK))).text()); // POST SuccessURL form with Shp_ hidden field
    for (const html of pages) {
      assert.doesNotMatch(html, /<script>alert|<img src=x/);
      assertNoInline(html);
    }
    assert.match(pages[0] ?? '', /Заказ &quot;&gt;&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
    assert.match(pages[0] ?? '', /Товар &quot;&gt;&lt;script&gt;/);
    assert.match(pages[2] ?? '', /name="Shp_order" value="&quot;&gt;&lt;script&gt;/);
  });

  test('strict security headers on every page; CSS and JS are external files', async () => {
    const sb = makeSandbox();
    const page = await open(sb, signed().form.fields);
    const responses = [
      await sb.app.request(`${SANDBOX}${page}`),
      await postForm(sb, INDEX_URL, { MerchantLogin: 'nobody' }),
      await sb.app.request(`${SANDBOX}/sandbox/Merchant/Payment/${'x'.repeat(32)}`),
    ];
    for (const res of responses) {
      const csp = res.headers.get('content-security-policy') ?? '';
      assert.match(csp, /default-src 'none'/);
      assert.match(csp, /script-src 'self'(;|$)/);
      assert.match(csp, /style-src 'self'(;|$)/);
      assert.match(csp, /form-action 'self' http:\/\/shop\.test(;|$)/);
      assert.match(csp, /frame-ancestors 'none'/);
      assert.equal(res.headers.get('referrer-policy'), 'no-referrer');
      assert.equal(res.headers.get('cache-control'), 'no-store');
      const html = await res.text();
      assert.match(html, /class="banner"[^>]*><strong>(Песочница — деньги не списываются|Sandbox — no real money)/);
      assert.match(html, /<link rel="stylesheet" href="\/sandbox\/assets\/sandbox\.css">/);
      assertNoInline(html);
    }
    const css = await sb.app.request(`${SANDBOX}/sandbox/assets/sandbox.css`);
    assert.match(css.headers.get('content-type') ?? '', /^text\/css/);
    const js = await sb.app.request(`${SANDBOX}/sandbox/assets/return.js`);
    assert.match(js.headers.get('content-type') ?? '', /^text\/javascript/);
  });

  test('every test card is listed with its outcome', async () => {
    const sb = makeSandbox({ });
    const page = await open(sb, signed({ culture: 'en' }).form.fields);
    const html = await (await sb.app.request(`${SANDBOX}${page}`)).text();
    for (const c of TEST_CARDS) assert.match(html, new RegExp(c.number.replace(/(\d{4})(?=\d)/g, '$1 ')));
    for (const words of ['paid at once', '1234 pays', 'not enough money', 'card expired or details wrong', 'internet payments not allowed', 'daily limit', 'never arrives']) {
      assert.match(html, new RegExp(words));
    }
  });

  test('/sandbox/ shows the cabinet settings and the test cards, never a password', async () => {
    const sb = makeSandbox();
    for (const path of ['/sandbox', '/sandbox/']) {
      const res = await sb.app.request(`${SANDBOX}${path}?Culture=en`);
      assert.equal(res.status, 200);
      const html = await res.text();
      assert.match(html, /Robokassa sandbox/);
      assert.match(html, /demo-shop/);
      assert.match(html, /POST http:\/\/shop\.test\/robokassa\/result/);
      assert.match(html, /4111 1111 1111 1111/);
      assert.doesNotMatch(html, /demo-password/);
      assertNoInline(html);
    }
  });

  test('RUB shops show roubles; OutSumCurrency wins', async () => {
    const sb = makeSandbox({ currency: 'RUB' });
    const html = await (await sb.app.request(`${SANDBOX}${await open(sb, signed().form.fields)}`)).text();
    assert.match(html, /4\u00a0500\u00a0₽/);
    const fields = { MerchantLogin: 'demo-shop', OutSum: '10.50', InvId: '3', OutSumCurrency: 'USD', Culture: 'en',
      SignatureValue: md5('demo-shop:10.50:3:USD:demo-password-1') };
    const usd = await (await sb.app.request(`${SANDBOX}${await open(sb, fields)}`)).text();
    assert.match(usd, /\$10\.50/);
  });

  test('Culture absent: the browser language decides; anything but ru is English', () => {
    assert.equal(pickCulture(undefined, 'ru-RU,ru;q=0.9'), 'ru');
    assert.equal(pickCulture(undefined, 'kk-KZ,ru;q=0.8'), 'en');
    assert.equal(pickCulture('kk', 'ru'), 'en');
    assert.equal(pickCulture('RU', undefined), 'ru');
  });
});

describe('card rules', () => {
  const now = new Date('2026-11-29T08:00:00Z');
  test('Luhn', () => {
    for (const c of TEST_CARDS) assert.ok(luhnValid(c.number), c.number);
    assert.ok(!luhnValid('4111111111111112'));
    assert.ok(!luhnValid('41111111111111a1'));
  });
  test('expiry: this month is still valid, last month is not; MM must be 01–12', () => {
    const base = { cardNumber: CARD_OK, cvc: '123', email: 'a@b.kz' };
    assert.deepEqual(checkCard({ ...base, expiry: '11/26' }, now).errors, {});
    assert.deepEqual(checkCard({ ...base, expiry: '1126' }, now).errors, {});
    assert.equal(checkCard({ ...base, expiry: '10/26' }, now).errors.expiry, 'expiry_past');
    assert.equal(checkCard({ ...base, expiry: '13/27' }, now).errors.expiry, 'expiry_format');
    assert.equal(checkCard({ ...base, expiry: '' }, now).errors.expiry, 'required');
  });
  test('CVV2/CVC2 is exactly three digits; e-mail is checked', () => {
    const base = { cardNumber: CARD_OK, expiry: '12/30', email: 'a@b.kz' };
    assert.equal(checkCard({ ...base, cvc: '12' }, now).errors.cvc, 'cvc_format');
    assert.equal(checkCard({ ...base, cvc: '1234' }, now).errors.cvc, 'cvc_format');
    assert.equal(checkCard({ ...base, cvc: '12a' }, now).errors.cvc, 'cvc_format');
    assert.equal(checkCard({ ...base, cvc: '123', email: 'a@b' }, now).errors.email, 'email_format');
    assert.equal(checkCard({ ...base, cvc: '123', cardNumber: '4111' }, now).errors.cardNumber, 'card_invalid');
  });
});
