// Rendering, parts and slots, attributes ⇄ properties, languages, overrides, the e-mail field,
// accessibility in every visible state.
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { emulateMedia } from '@web/test-runner-commands';
import '../../src/checkout/index.js';
import { RobokassaCheckout, define } from '../../src/checkout/index.js';
import { formatMoney, resolveLang } from '../../src/checkout/i18n.js';
import styles from '../../src/checkout/checkout.styles.js';
import { ENDPOINT, FakeBackend, FakeWindow, part, recordEvents, stubOpen, json, type TestCheckout } from './helpers.js';

const nbsp = (s: string): string => s.replace(/[\u00a0\u202f]/g, ' ');
const PARTS = ['base', 'button', 'amount', 'logos', 'notice', 'help', 'status'];

describe('<robokassa-checkout>', () => {
  let backend: FakeBackend;
  beforeEach(() => {
    backend = new FakeBackend().install();
  });
  afterEach(() => backend.restore());

  describe('rendering', () => {
    it('is registered by index.ts, and a second define attempt through the entry is harmless', async () => {
      expect(customElements.get('robokassa-checkout')).to.equal(RobokassaCheckout);
      define();
      define();
      expect(customElements.get('robokassa-checkout')).to.equal(RobokassaCheckout);
    });

    it('shows the button with the first-paint amount, then the backend amount wins', async () => {
      let release!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      backend.product = async () => {
        await gate;
        return json(200, { sku: 'course-basic', name: 'Course', price: '2500.00', currency: 'KZT', test: false });
      };
      const el = await fixture<RobokassaCheckout>(html`<robokassa-checkout endpoint=${ENDPOINT} sku="course-basic" lang="ru" amount="1500.00" currency="KZT"></robokassa-checkout>`);
      expect(nbsp(part(el, 'amount').textContent!)).to.equal('1 500 ₸');
      expect(nbsp(part(el, 'button').textContent!.replace(/\s+/g, ' ').trim())).to.equal('Оплатить 1 500 ₸');
      release();
      await waitUntil(() => nbsp(part(el, 'amount').textContent!) === '2 500 ₸', 'backend amount shown');
      expect(backend.calls[0]).to.include({ method: 'GET', path: '/products/course-basic' });
    });

    it('looks the price up after its first render, and not at all when removed before that', async () => {
      const el = await fixture<RobokassaCheckout>(html`<robokassa-checkout endpoint=${ENDPOINT} sku="course-basic"></robokassa-checkout>`);
      // rendered, and the lookup not started yet: it waits for a task of its own
      expect(part(el, 'button')).to.exist;
      expect(backend.calls).to.have.length(0);
      await waitUntil(() => backend.calls.length === 1, 'the lookup');
      const gone = document.createElement('robokassa-checkout');
      gone.setAttribute('endpoint', ENDPOINT);
      gone.setAttribute('sku', 'other');
      document.body.append(gone);
      await (gone as RobokassaCheckout).updateComplete;
      gone.remove();
      await new Promise((r) => setTimeout(r, 50));
      expect(backend.calls.map((c) => c.path)).to.deep.equal(['/products/course-basic']);
    });

    it('multiplies the catalog price by quantity without floats and reads orders by id', async () => {
      const el = await fixture<RobokassaCheckout>(html`<robokassa-checkout endpoint=${ENDPOINT} sku="course-basic" quantity="3" lang="ru"></robokassa-checkout>`);
      await waitUntil(() => el.shadowRoot!.querySelector('[part=amount]'));
      expect(nbsp(part(el, 'amount').textContent!)).to.equal('4 500 ₸');
      const order = await fixture<RobokassaCheckout>(html`<robokassa-checkout endpoint=${ENDPOINT} order-id="order-7" lang="ru"></robokassa-checkout>`);
      await waitUntil(() => order.shadowRoot!.querySelector('[part=amount]'));
      expect(nbsp(part(order, 'amount').textContent!)).to.equal('990 ₽');
      expect(backend.calls.map((c) => c.path)).to.include('/orders/order-7');
    });

    it('has every part, the card marks, a polite live status and a closed help disclosure', async () => {
      const el = await fixture<RobokassaCheckout>(html`<robokassa-checkout amount="1500.00" currency="KZT"></robokassa-checkout>`);
      for (const name of PARTS) part(el, name);
      expect(part(el, 'button').localName).to.equal('button');
      // the marks are drawn by the stylesheet: two boxes in the brand colours, Mastercard's circles as pseudo-elements
      const marks = [...part(el, 'logos').children] as HTMLElement[];
      expect(marks.map((m) => m.className)).to.deep.equal(['visa', 'mc']);
      expect(marks.map((m) => getComputedStyle(m).backgroundColor)).to.deep.equal(['rgb(26, 31, 113)', 'rgb(37, 37, 37)']);
      expect(marks.map((m) => m.getBoundingClientRect().width)).to.deep.equal([40, 40]);
      expect(getComputedStyle(marks[1], '::before').backgroundColor).to.equal('rgb(235, 0, 27)');
      expect(getComputedStyle(marks[1], '::after').backgroundImage).to.match(/^radial-gradient/);
      expect(part(el, 'logos').getAttribute('role')).to.equal('img');
      expect(part(el, 'status').getAttribute('aria-live')).to.equal('polite');
      expect(part(el, 'help').localName).to.equal('details');
      expect((part(el, 'help') as HTMLDetailsElement).open).to.equal(false);
      expect(el.shadowRoot!.querySelector('[part=badge]')).to.equal(null);
      expect(el.shadowRoot!.querySelector('[part=email]')).to.equal(null);
    });

    it('shows the test-mode badge when the backend says test', async () => {
      backend.product = () => json(200, { sku: 'course-basic', name: 'Course', price: '1500.00', currency: 'KZT', test: true });
      const el = await fixture<RobokassaCheckout>(html`<robokassa-checkout endpoint=${ENDPOINT} sku="course-basic" lang="en"></robokassa-checkout>`);
      await waitUntil(() => el.shadowRoot!.querySelector('[part=badge]'));
      expect(part(el, 'badge').textContent).to.equal('Test mode');
    });

    it('says what the notice and the help must say, without naming a reason', async () => {
      const el = await fixture<RobokassaCheckout>(html`<robokassa-checkout lang="en" support-email="help@shop.example"></robokassa-checkout>`);
      const notice = part(el, 'notice').textContent!;
      for (const word of ['Robokassa’s page', 'encrypted (TLS)', 'PCI DSS-certified', 'never sees or keeps', '3-D Secure code by SMS']) expect(notice).to.include(word);
      // the closed help's body is rendered once the page is idle
      await waitUntil(() => part(el, 'help').querySelector('ul'), 'the help body after idle');
      const help = part(el, 'help').textContent!;
      for (const word of ['card number', 'expiry', 'enough money', 'internet payments', 'daily limit', '3-D Secure', 'bank that issued', 'past payment', 'support']) expect(help).to.include(word);
      expect(help).to.include('Only your bank knows');
      const mail = part(el, 'help').querySelector('a')!;
      expect(mail.getAttribute('href')).to.equal('mailto:help@shop.example');
    });

    it('renders the closed help body after the first paint, and before the help opens on a click', async () => {
      const idle = window.requestIdleCallback;
      // idle callbacks run in the order asked: after this one, no earlier element's is still pending
      await new Promise((r) => idle.call(window, r));
      const later: (() => void)[] = [];
      // hold idle callbacks back, as on a busy page
      window.requestIdleCallback = ((cb: () => void) => (later.push(cb), 0)) as typeof window.requestIdleCallback;
      try {
        const el = await fixture<RobokassaCheckout>(html`<robokassa-checkout lang="en"></robokassa-checkout>`);
        const details = part(el, 'help') as HTMLDetailsElement;
        expect(details.querySelector('summary')!.textContent).to.equal('Why might a payment be refused?');
        expect(details.querySelector('ul'), 'body before idle').to.equal(null);
        expect(later).to.have.length(1);
        let bodyWhenOpened: Element | null = null;
        details.addEventListener('toggle', () => (bodyWhenOpened = details.querySelector('ul')), { once: true });
        const { sendKeys } = await import('@web/test-runner-commands');
        details.querySelector('summary')!.focus();
        await sendKeys({ press: 'Enter' });
        await waitUntil(() => details.open && bodyWhenOpened);
        expect(details.querySelectorAll('li')).to.have.length(5);
      } finally {
        window.requestIdleCallback = idle;
        for (const cb of later) cb();
      }
    });

    it('serves a page of elements with one lookup task, one idle callback and one request', async () => {
      const idle = window.requestIdleCallback;
      const post = MessagePort.prototype.postMessage;
      let idles = 0;
      let posts = 0;
      window.requestIdleCallback = ((cb: IdleRequestCallback) => (idles++, idle.call(window, cb))) as typeof window.requestIdleCallback;
      MessagePort.prototype.postMessage = function (this: MessagePort, ...args: Parameters<MessagePort['postMessage']>) {
        posts++;
        return post.apply(this, args);
      } as MessagePort['postMessage'];
      try {
        await new Promise((r) => idle.call(window, r));
        const box = await fixture<HTMLDivElement>(html`<div>${Array.from({ length: 20 }, () => html`<robokassa-checkout endpoint=${ENDPOINT} sku="course-basic" lang="en"></robokassa-checkout>`)}</div>`);
        const els = [...box.querySelectorAll('robokassa-checkout')];
        await waitUntil(() => els.every((el) => el.shadowRoot!.querySelector('[part=amount]') && el.shadowRoot!.querySelector('[part=help] ul')), 'amounts and help bodies');
        // a few for the page (the lookups share one task; renders come in slices), not one per element
        expect(idles, 'idle callbacks').to.be.at.least(1).and.below(els.length / 4);
        expect(posts, 'tasks posted').to.be.at.least(1).and.below(els.length / 4);
        expect(backend.calls.map((c) => c.path)).to.deep.equal(['/products/course-basic']);
      } finally {
        window.requestIdleCallback = idle;
        MessagePort.prototype.postMessage = post;
      }
    });

    it('on a page of many, renders every button first, and the rest of those past the eighth in later tasks', async () => {
      const box = document.createElement('div');
      box.innerHTML = Array.from({ length: 12 }, () => '<robokassa-checkout lang="en" amount="1500.00" currency="KZT"></robokassa-checkout>').join('');
      document.body.append(box);
      try {
        const els = [...box.querySelectorAll<RobokassaCheckout>('robokassa-checkout')];
        const has = (el: RobokassaCheckout, sel: string): boolean => el.shadowRoot!.querySelector(sel) !== null;
        // the first renders ran in this task's microtasks; the rest waits for a task of its own
        await Promise.resolve();
        expect(els.map((el) => has(el, '[part=button]') && has(el, '[part=status]')), 'buttons and status lines').to.deep.equal(els.map(() => true));
        const whole = (el: RobokassaCheckout): boolean => ['logos', 'notice', 'help'].every((name) => has(el, `[part=${name}]`));
        expect(els.map(whole), 'the first eight whole at once').to.deep.equal(els.map((_, i) => i < 8));
        // a button focused before its turn keeps the focus when the whole template replaces it
        part<HTMLButtonElement>(els[9], 'button').focus();
        // the buyer uses one before its turn: it is whole at once
        void els[10].pay();
        await Promise.resolve();
        expect(whole(els[10]), 'whole once used').to.equal(true);
        expect(whole(els[11])).to.equal(false);
        // updateComplete waits for the rest
        await els[11].updateComplete;
        expect(els.map(whole)).to.deep.equal(els.map(() => true));
        expect(part(els[11], 'logos').getAttribute('aria-label')).to.equal('Visa and Mastercard');
        expect(els[9].shadowRoot!.activeElement, 'focus kept').to.equal(part(els[9], 'button'));
      } finally {
        box.remove();
      }
    });

    it('on a page of many, skips rendering elements far off screen, which still take focus and keep room for the focus ring', async () => {
      const few = await fixture<HTMLDivElement>(html`<div><div style="height: 5000px"></div><robokassa-checkout lang="en"></robokassa-checkout></div>`);
      await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
      // one element (or eight) on a page: rendered wherever it is, as axe and Lighthouse expect
      expect(part(few.querySelector('robokassa-checkout')!, 'button').checkVisibility({ contentVisibilityAuto: true })).to.equal(true);
      few.remove();
      const box = await fixture<HTMLDivElement>(html`<div>${Array.from({ length: 9 }, () => html`<robokassa-checkout lang="en"></robokassa-checkout>`)}<div style="height: 5000px"></div><robokassa-checkout lang="en"></robokassa-checkout></div>`);
      const el = box.querySelector<RobokassaCheckout>('robokassa-checkout:last-child')!;
      const button = part<HTMLButtonElement>(el, 'button');
      await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
      expect(button.checkVisibility({ contentVisibilityAuto: true }), 'skipped off screen').to.equal(false);
      // the page's own rule turns it off (as the README says)
      el.style.contentVisibility = 'visible';
      await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
      expect(button.checkVisibility({ contentVisibilityAuto: true }), 'the page turned it off').to.equal(true);
      el.style.contentVisibility = '';
      await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
      // keyboard focus brings it back (and find-in-page, and the accessibility tree, still see it)
      button.focus();
      expect(el.shadowRoot!.activeElement).to.equal(button);
      el.scrollIntoView();
      await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
      expect(button.checkVisibility({ contentVisibilityAuto: true }), 'rendered on screen').to.equal(true);
      // paint containment clips at the margin: the default ring (a 5px spread) must fit inside it
      const margin = parseFloat(getComputedStyle(el).overflowClipMargin);
      const { sendKeys } = await import('@web/test-runner-commands');
      // after a key press, focus() shows the ring (:focus-visible)
      await sendKeys({ press: 'Shift' });
      button.focus();
      const spreads = [...getComputedStyle(button).boxShadow.matchAll(/(-?[\d.]+)px (-?[\d.]+)px (-?[\d.]+)px (-?[\d.]+)px/g)].map((m) => Number(m[4]));
      expect(spreads.length, 'a focus ring is drawn').to.be.greaterThan(0);
      expect(Math.max(...spreads)).to.be.at.most(margin);
    });

    it('takes slotted button label, notice and help', async () => {
      const el = await fixture<RobokassaCheckout>(html`<robokassa-checkout amount="10.00" currency="RUB" lang="ru">
        <span slot="label">Купить курс</span><p slot="notice">Наш текст</p><p slot="help">Наша помощь</p></robokassa-checkout>`);
      await waitUntil(() => el.shadowRoot!.querySelector('slot[name=help]'), 'the help slot after idle');
      const slots = [...el.shadowRoot!.querySelectorAll('slot')].map((s) => [s.name, s.assignedNodes().length]);
      expect(slots).to.deep.equal([['label', 1], ['notice', 1], ['help', 1]]);
      expect(nbsp(part(el, 'amount').textContent!)).to.equal('10 ₽');
    });
  });

  describe('attributes and properties', () => {
    it('types its events in GlobalEventHandlersEventMap (checked by tsc)', async () => {
      const el = await fixture<RobokassaCheckout>(html`<robokassa-checkout></robokassa-checkout>`);
      const seen: Array<number | string | undefined> = [];
      // these lines compile only if the detail types are in the global map
      el.addEventListener('rk-success', (e) => seen.push(e.detail.invoiceId));
      el.addEventListener('rk-error', (e) => seen.push(e.detail.code));
      el.addEventListener('rk-open', (e) => seen.push(e.detail.mode));
      document.createElement('robokassa-checkout').addEventListener('rk-fail', (e) => seen.push(e.detail.invoiceId));
      el.dispatchEvent(new CustomEvent('rk-open', { detail: { mode: 'popup' } }));
      expect(seen).to.deep.equal(['popup']);
    });

    it('maps every attribute to its property', async () => {
      const el = await fixture<RobokassaCheckout>(html`<robokassa-checkout endpoint="/x" sku="a-1" quantity="2" order-id="o-1"
        lang="kk" mode="redirect" collect-email email="a@b.kz" support-email="s@b.kz" disabled amount="5.00" currency="KZT"></robokassa-checkout>`);
      expect({ endpoint: el.endpoint, sku: el.sku, quantity: el.quantity, orderId: el.orderId, lang: el.lang, mode: el.mode, collectEmail: el.collectEmail, email: el.email, supportEmail: el.supportEmail, disabled: el.disabled, amount: el.amount, currency: el.currency })
        .to.deep.equal({ endpoint: '/x', sku: 'a-1', quantity: 2, orderId: 'o-1', lang: 'kk', mode: 'redirect', collectEmail: true, email: 'a@b.kz', supportEmail: 's@b.kz', disabled: true, amount: '5.00', currency: 'KZT' });
    });

    it('reflects disabled and disables the native button', async () => {
      const el = await fixture<RobokassaCheckout>(html`<robokassa-checkout></robokassa-checkout>`);
      el.disabled = true;
      await el.updateComplete;
      expect(el.hasAttribute('disabled')).to.equal(true);
      expect((part(el, 'button') as HTMLButtonElement).disabled).to.equal(true);
      expect(await el.pay()).to.deep.equal({ status: 'not-started', reason: 'disabled' });
      el.removeAttribute('disabled');
      await el.updateComplete;
      expect(el.disabled).to.equal(false);
    });

    it('re-renders when a property changes', async () => {
      const el = await fixture<RobokassaCheckout>(html`<robokassa-checkout lang="ru" amount="1500.00" currency="RUB"></robokassa-checkout>`);
      el.lang = 'en';
      el.amount = '2000.50';
      await el.updateComplete;
      expect(nbsp(part(el, 'amount').textContent!)).to.equal('₽2,000.50');
    });
  });

  describe('languages', () => {
    it('speaks ru, en and kk', async () => {
      const expected = { ru: ['Оплатить', '1 500 ₸', 'Безопасная оплата', 'Почему платёж может не пройти?'], en: ['Pay', '₸1,500', 'Secure payment', 'Why might a payment be refused?'], kk: ['Төлеу', '1 500 ₸', 'Қауіпсіз төлем', 'Төлем неге өтпеуі мүмкін?'] };
      for (const [lang, [pay, amount, notice, help]] of Object.entries(expected)) {
        const el = await fixture<RobokassaCheckout>(html`<robokassa-checkout lang=${lang} amount="1500.00" currency="KZT"></robokassa-checkout>`);
        expect(el.shadowRoot!.querySelector('slot[name=label]')!.textContent).to.equal(pay);
        expect(nbsp(part(el, 'amount').textContent!)).to.equal(amount);
        expect(part(el, 'notice').textContent).to.include(notice);
        expect(part(el, 'help').querySelector('summary')!.textContent).to.equal(help);
        expect(part(el, 'base').getAttribute('lang')).to.equal(lang);
      }
    });

    it('falls back to the page language, then to ru', async () => {
      expect(resolveLang('', 'kk-KZ')).to.equal('kk');
      expect(resolveLang(null, 'en-GB')).to.equal('en');
      expect(resolveLang('de', 'fr')).to.equal('ru');
      expect(resolveLang('EN', 'kk')).to.equal('en');
      const saved = document.documentElement.lang;
      document.documentElement.lang = 'en-US';
      try {
        const el = await fixture<RobokassaCheckout>(html`<robokassa-checkout></robokassa-checkout>`);
        expect(el.language).to.equal('en');
      } finally {
        document.documentElement.lang = saved;
      }
    });

    it('merges a partial i18n override over the language', async () => {
      const el = await fixture<RobokassaCheckout>(html`<robokassa-checkout lang="ru" .i18n=${{ pay: 'Купить', errors: { network: 'Нет сети' } }}></robokassa-checkout>`);
      expect(el.shadowRoot!.querySelector('slot[name=label]')!.textContent).to.equal('Купить');
      expect(part(el, 'notice').textContent).to.include('Безопасная оплата');
    });

    it('formats money with Intl: ₸ in ru-KZ and kk-KZ, ₽ in ru, whole amounts without ,00', () => {
      expect(nbsp(formatMoney('1500.00', 'KZT', 'ru'))).to.equal('1 500 ₸');
      expect(nbsp(formatMoney('1500.50', 'KZT', 'kk'))).to.equal('1 500,50 ₸');
      expect(nbsp(formatMoney('990.00', 'RUB', 'ru'))).to.equal('990 ₽');
      expect(nbsp(formatMoney('1234567.89', 'RUB', 'en'))).to.equal('₽1,234,567.89');
      expect(nbsp(formatMoney('99999999999.99', 'KZT', 'ru'))).to.equal('99 999 999 999,99 ₸');
    });
  });

  describe('e-mail', function () {
    // the first axe run in a page loads axe-core and takes seconds
    this.timeout(20_000);
    it('asks for a valid e-mail with a label and autocomplete, and sends it', async () => {
      const win = new FakeWindow();
      const open = stubOpen(win);
      try {
        const el = await fixture<TestCheckout>(html`<rk-test-checkout endpoint=${ENDPOINT} sku="course-basic" lang="en" collect-email></rk-test-checkout>`);
        const input = part<HTMLInputElement>(el, 'email');
        expect(input.type).to.equal('email');
        expect(input.autocomplete).to.equal('email');
        expect(el.shadowRoot!.querySelector(`label[for=${input.id}]`)!.textContent).to.equal('E-mail for the receipt');
        const events = recordEvents(el);
        input.value = 'not-an-address';
        input.dispatchEvent(new Event('input'));
        expect(await el.pay()).to.deep.equal({ status: 'not-started', reason: 'invalid-email' });
        await el.updateComplete;
        expect(input.getAttribute('aria-invalid')).to.equal('true');
        expect(el.shadowRoot!.getElementById(input.getAttribute('aria-describedby')!)!.textContent).to.include('name@example.com');
        expect(el.shadowRoot!.activeElement).to.equal(input);
        expect(events.names).to.deep.equal([]);
        expect(open.calls).to.have.length(0);
        await expect(el).to.be.accessible();

        input.value = ' buyer@example.kz ';
        input.dispatchEvent(new Event('input'));
        void el.pay();
        await waitUntil(() => backend.count('/checkout') === 1);
        expect(backend.calls.find((c) => c.path === '/checkout')!.body).to.include({ email: 'buyer@example.kz' });
      } finally {
        open.restore();
      }
    });
  });

  describe('accessibility', function () {
    this.timeout(20_000);
    it('passes axe when idle, disabled, busy, successful, refused with help open, and errored', async () => {
      const idle = await fixture<RobokassaCheckout>(html`<robokassa-checkout lang="ru" amount="1500.00" currency="KZT" support-email="s@shop.kz"></robokassa-checkout>`);
      await expect(idle).to.be.accessible();
      const disabled = await fixture<RobokassaCheckout>(html`<robokassa-checkout disabled lang="en" amount="1500.00" currency="KZT"></robokassa-checkout>`);
      await expect(disabled).to.be.accessible();

      const win = new FakeWindow();
      const open = stubOpen(win);
      try {
        backend.product = () => json(200, { sku: 'course-basic', name: 'Course', price: '1500.00', currency: 'KZT', test: true });
        const el = await fixture<TestCheckout>(html`<rk-test-checkout endpoint=${ENDPOINT} sku="course-basic" lang="kk"></rk-test-checkout>`);
        await waitUntil(() => el.shadowRoot!.querySelector('[part=badge]'));
        const done = el.pay();
        await waitUntil(() => win.navigations.length === 1);
        await el.updateComplete;
        expect(part(el, 'button').getAttribute('aria-disabled')).to.equal('true');
        await expect(el).to.be.accessible();
        backend.status = 'failed';
        expect((await done).status).to.equal('fail');
        await el.updateComplete;
        expect((part(el, 'help') as HTMLDetailsElement).open).to.equal(true);
        await expect(el).to.be.accessible();

        backend.status = 'paid';
        const win2 = new FakeWindow();
        open.restore();
        const open2 = stubOpen(win2);
        expect((await el.pay()).status).to.equal('success');
        open2.restore();
        await el.updateComplete;
        expect(part(el, 'status').textContent).to.equal('Төлем сәтті болды. Рақмет!');
        await expect(el).to.be.accessible();

        backend.checkout = () => json(500, { error: { code: 'internal', message: 'boom' } });
        el.quantity = 2; // a paid element stays locked until it sells something else
        await el.updateComplete;
        const open3 = stubOpen(new FakeWindow());
        expect((await el.pay()).status).to.equal('error');
        open3.restore();
        await el.updateComplete;
        await expect(el).to.be.accessible();
      } finally {
        open.restore();
      }
    });

    it('passes axe in dark mode, with the colours switched', async () => {
      await emulateMedia({ colorScheme: 'dark' });
      try {
        const el = await fixture<RobokassaCheckout>(html`<robokassa-checkout lang="en" amount="1500.00" currency="KZT" collect-email email="a@b.kz" support-email="s@b.kz"></robokassa-checkout>`);
        expect(getComputedStyle(el).backgroundColor).to.equal('rgb(28, 28, 33)');
        await expect(el).to.be.accessible();
        // the error line (no endpoint: a config error) and the open help, in dark colours
        expect(await el.pay()).to.include({ status: 'error', code: 'config' });
        (part(el, 'help') as HTMLDetailsElement).open = true;
        await el.updateComplete;
        expect(part(el, 'status').textContent).to.equal('This pay button is set up wrongly. Please tell the shop.');
        await expect(el).to.be.accessible();
      } finally {
        await emulateMedia({ colorScheme: 'light' });
      }
    });

    it('works from the keyboard alone: Enter on the focused button starts the payment', async () => {
      const win = new FakeWindow();
      const open = stubOpen(win);
      try {
        const el = await fixture<TestCheckout>(html`<rk-test-checkout endpoint=${ENDPOINT} sku="course-basic"></rk-test-checkout>`);
        const button = part<HTMLButtonElement>(el, 'button');
        button.focus();
        const { sendKeys } = await import('@web/test-runner-commands');
        await sendKeys({ press: 'Enter' });
        expect(open.calls).to.have.length(1);
        const summary = part(el, 'help').querySelector('summary')!;
        summary.focus();
        await sendKeys({ press: 'Enter' });
        expect((part(el, 'help') as HTMLDetailsElement).open).to.equal(true);
      } finally {
        open.restore();
      }
    });

    it('defines every private --_* token it reads, and reads every public --rk-* one', () => {
      const text = styles;
      const defined = new Set([...text.matchAll(/(--_[a-z-]+):/g)].map((m) => m[1]));
      const used = new Set([...text.matchAll(/var\((--_[a-z-]+)/g)].map((m) => m[1]));
      expect([...used].filter((name) => !defined.has(name)), 'used but never defined').to.deep.equal([]);
      expect([...defined].filter((name) => !used.has(name)), 'defined but never used').to.deep.equal([]);
      for (const name of ['accent', 'on-accent', 'text', 'muted', 'background', 'border', 'radius', 'font', 'spacing', 'focus-ring']) {
        expect(text).to.include(`var(--rk-${name},`);
      }
    });

    it('reads its theme from --rk-* custom properties and exposes ::part', async () => {
      const el = await fixture<RobokassaCheckout>(html`<robokassa-checkout style="--rk-accent: rgb(1, 2, 3); --rk-radius: 3px"></robokassa-checkout>`);
      const button = part(el, 'button');
      expect(getComputedStyle(button).backgroundColor).to.equal('rgb(1, 2, 3)');
      expect(getComputedStyle(button).borderTopLeftRadius).to.equal('3px');
    });
  });
});
