// Every step of the payment flow, with window.open and fetch stubbed and the timings shrunk.
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import '../../src/checkout/index.js';
import { STORAGE_KEY } from '../../src/checkout/constants.js';
import { RobokassaCheckout } from '../../src/checkout/checkout.js';
import {
  ENDPOINT, FAST, FakeBackend, FakeWindow, INVOICE_ID, PAYMENT_ID, PAY_URL, TestCheckout, checkoutAnswer, journal, json, part,
  postReturn, recordEvents, returnMessage, sleep, stubOpen, terminals,
} from './helpers.js';

async function mount(attrs = ''): Promise<TestCheckout> {
  const el = await fixture<TestCheckout>(html`<rk-test-checkout endpoint=${ENDPOINT} sku="course-basic" lang="en"></rk-test-checkout>`);
  for (const pair of attrs.split(' ').filter(Boolean)) {
    const [name, value = ''] = pair.split('=');
    el.setAttribute(name, value);
  }
  await el.updateComplete;
  return el;
}

describe('<robokassa-checkout> payment flow', function () {
  // a loaded CI machine stretches the shrunken timers; the suite stays fast when it is not
  this.timeout(15_000);
  let backend: FakeBackend;
  let win: FakeWindow;
  let open: ReturnType<typeof stubOpen>;

  beforeEach(() => {
    journal.length = 0;
    sessionStorage.clear();
    backend = new FakeBackend().install();
    win = new FakeWindow();
    open = stubOpen(win);
  });
  afterEach(() => {
    open.restore();
    backend.restore();
    sessionStorage.clear();
  });

  it('opens the window inside the click, before any request, then sends it to the signed URL', async () => {
    const el = await mount();
    const events = recordEvents(el);
    journal.length = 0;
    part(el, 'button').click();
    // nothing has been awaited yet: the window must already be open and say "preparing"
    expect(open.calls).to.have.length(1);
    expect(journal[0]).to.equal('open');
    const [url, name, features] = open.calls[0] as [string, string, string];
    expect(url).to.equal('about:blank');
    expect(name).to.equal('robokassa-checkout');
    expect(features).to.match(/popup,width=\d+,height=\d+,left=-?\d+,top=-?\d+/);
    expect(win.document.title).to.equal('Preparing a secure payment…');
    expect(win.document.body.textContent).to.equal('Preparing a secure payment…');
    expect(events.names).to.deep.equal(['rk-start']);

    await waitUntil(() => win.navigations.length === 1);
    expect(win.navigations[0]).to.equal(PAY_URL);
    expect(journal.indexOf('open')).to.be.lessThan(journal.indexOf('fetch POST /checkout'));
    const call = backend.calls.find((c) => c.path === '/checkout')!;
    expect(call.body).to.deep.equal({ items: [{ sku: 'course-basic', quantity: 1 }], culture: 'en', returnUrl: location.href });
    // a UUIDv7: version 7, RFC variant, its first 48 bits the time in ms (time-ordered keys)
    const key = call.headers.get('idempotency-key')!;
    expect(key).to.match(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(Math.abs(parseInt(key.replace('-', '').slice(0, 12), 16) - Date.now())).to.be.below(60_000);
    expect(events.names).to.deep.equal(['rk-start', 'rk-open']);
    expect(events.details.get('rk-open')).to.deep.equal({ mode: 'popup', id: PAYMENT_ID, invoiceId: INVOICE_ID });
    expect(part(el, 'status').textContent).to.include('Robokassa window');
  });

  it('sends orderId, kk → culture ru, and the events bubble out of the shadow root composed', async () => {
    const el = await fixture<TestCheckout>(html`<div><rk-test-checkout endpoint=${ENDPOINT} order-id="order-7" lang="kk"></rk-test-checkout></div>`);
    const child = el.querySelector('rk-test-checkout') as TestCheckout;
    let seen: Event | undefined;
    el.addEventListener('rk-open', (e) => (seen = e));
    void child.pay();
    await waitUntil(() => seen);
    expect(seen!.bubbles && seen!.composed).to.equal(true);
    expect(backend.calls.find((c) => c.path === '/checkout')!.body).to.include({ orderId: 'order-7', culture: 'ru' });
  });

  it('rk-start preventDefault stops everything before a window opens', async () => {
    const el = await mount();
    el.addEventListener('rk-start', (e) => e.preventDefault());
    expect(await el.pay()).to.deep.equal({ status: 'not-started', reason: 'prevented' });
    expect(open.calls).to.have.length(0);
    expect(backend.count('/checkout')).to.equal(0);
  });

  it('succeeds only once the backend says paid, after the return message', async () => {
    const el = await mount();
    const events = recordEvents(el);
    const done = el.pay();
    await waitUntil(() => win.navigations.length === 1);
    postReturn(returnMessage('success'));
    await sleep(80);
    expect(terminals(events.names)).to.deep.equal([]);
    expect(part(el, 'status').textContent).to.equal('Checking the payment…');
    expect(backend.count('/payments/')).to.be.greaterThan(0);
    backend.status = 'paid';
    expect(await done).to.deep.equal({ status: 'success', id: PAYMENT_ID, invoiceId: INVOICE_ID });
    expect(events.names).to.deep.equal(['rk-start', 'rk-open', 'rk-success']);
    expect(events.details.get('rk-success')).to.deep.equal({ id: PAYMENT_ID, invoiceId: INVOICE_ID });
    expect(win.closed).to.equal(true);
  });

  it('once paid, the button stays locked (no second charge) until the element sells something else', async () => {
    const el = await mount();
    backend.status = 'paid';
    const done = el.pay();
    await waitUntil(() => win.navigations.length === 1);
    postReturn(returnMessage('success'));
    expect((await done).status).to.equal('success');
    await el.updateComplete;
    expect(part(el, 'button').getAttribute('aria-disabled')).to.equal('true');
    const checkouts = backend.count('/checkout');
    expect(await el.pay()).to.deep.equal({ status: 'not-started', reason: 'paid' });
    part(el, 'button').click();
    expect(backend.count('/checkout')).to.equal(checkouts);
    el.quantity = 2;
    await el.updateComplete;
    expect(part(el, 'button').hasAttribute('aria-disabled')).to.equal(false);
  });

  it('ignores a return message from a foreign origin or for another attempt', async () => {
    const el = await mount();
    const events = recordEvents(el);
    const done = el.pay();
    await waitUntil(() => win.navigations.length === 1);
    backend.payment = () => json(200, { id: PAYMENT_ID, invoiceId: INVOICE_ID, status: 'pending', amount: '1500.00', currency: 'KZT', paidAt: null });
    postReturn(returnMessage('fail'), 'https://evil.example');
    postReturn(returnMessage('fail', 'pay_another_attempt_0000'));
    postReturn({ type: 'robokassa-checkout:return', id: PAYMENT_ID, outcome: 'fail' }); // malformed: no invoiceId
    await sleep(100);
    expect(terminals(events.names)).to.deep.equal([]);
    postReturn(returnMessage('fail'));
    expect((await done).status).to.equal('fail');
    expect(terminals(events.names)).to.deep.equal(['rk-fail']);
  });

  it('treats a still-pending payment after a fail return as refused, and opens and focuses the help', async () => {
    const el = await mount();
    const events = recordEvents(el);
    const done = el.pay();
    await waitUntil(() => win.navigations.length === 1);
    postReturn(returnMessage('fail'));
    expect(await done).to.deep.equal({ status: 'fail', id: PAYMENT_ID, invoiceId: INVOICE_ID });
    expect(events.details.get('rk-fail')).to.deep.equal({ id: PAYMENT_ID, invoiceId: INVOICE_ID });
    await el.updateComplete;
    await waitUntil(() => el.shadowRoot!.activeElement?.localName === 'summary', 'help summary focused');
    expect((part(el, 'help') as HTMLDetailsElement).open).to.equal(true);
    expect(part(el, 'status').textContent).to.include('did not go through');
  });

  it('hears the return page on the BroadcastChannel too', async () => {
    const el = await mount();
    const done = el.pay();
    await waitUntil(() => win.navigations.length === 1);
    backend.status = 'paid';
    const channel = new BroadcastChannel('robokassa-checkout');
    channel.postMessage(returnMessage('success'));
    channel.close();
    expect((await done).status).to.equal('success');
  });

  it('closed without payment → rk-cancel once the backend says pending', async () => {
    const el = await mount();
    const events = recordEvents(el);
    const done = el.pay();
    await waitUntil(() => win.navigations.length === 1);
    await sleep(300); // past the "severed at once" window (FAST.severed)
    const before = backend.count('/payments/');
    win.closed = true;
    expect(await done).to.deep.equal({ status: 'cancel', id: PAYMENT_ID, invoiceId: INVOICE_ID });
    expect(backend.count('/payments/')).to.be.greaterThan(before);
    expect(terminals(events.names)).to.deep.equal(['rk-cancel']);
    expect(part(el, 'button').hasAttribute('aria-disabled')).to.equal(false);
  });

  it('a window that looks closed at once (COOP) is not a cancel: polling goes on', async () => {
    win.severOnNavigate = true;
    const el = await mount();
    const events = recordEvents(el);
    const done = el.pay();
    await waitUntil(() => win.navigations.length === 1);
    await sleep(150);
    expect(terminals(events.names)).to.deep.equal([]);
    backend.status = 'paid';
    expect((await done).status).to.equal('success');
  });

  it('with the handle cut (COOP), the buyer can stop waiting: "Cancel" ends in rk-cancel while the backend says pending', async () => {
    win.severOnNavigate = true;
    RobokassaCheckout.timing = { ...FAST, deadline: 60_000 }; // room for the axe check below
    try {
      const el = await mount();
      const events = recordEvents(el);
      const done = el.pay();
      await waitUntil(() => win.navigations.length === 1);
      await sleep(150);
      await el.updateComplete;
      const stop = part(el, 'status').querySelector<HTMLButtonElement>('[part="stop"]')!;
      expect(stop.textContent).to.equal('Cancel');
      await expect(el).to.be.accessible();
      stop.click();
      expect(await done).to.deep.equal({ status: 'cancel', id: PAYMENT_ID, invoiceId: INVOICE_ID });
      expect(terminals(events.names)).to.deep.equal(['rk-cancel']);
    } finally {
      RobokassaCheckout.timing = FAST;
    }
  });

  it('"Cancel" after the payment went through still ends in rk-success (the backend decides)', async () => {
    const el = await mount();
    const done = el.pay();
    await waitUntil(() => win.navigations.length === 1);
    await el.updateComplete;
    backend.status = 'paid';
    part(el, 'status').querySelector<HTMLButtonElement>('[part="stop"]')!.click();
    expect((await done).status).to.equal('success');
  });

  it('a window closed while still preparing ends in rk-cancel after one status check', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    backend.checkout = async () => {
      await gate;
      return json(201, checkoutAnswer());
    };
    const el = await mount();
    const done = el.pay();
    win.closed = true;
    release();
    expect((await done).status).to.equal('cancel');
    expect(win.navigations).to.deep.equal([]);
    expect(backend.count('/payments/')).to.equal(1);
  });

  it('a double click makes one /checkout request and focuses the open window', async () => {
    const el = await mount();
    const events = recordEvents(el);
    const button = part(el, 'button');
    button.click();
    button.click();
    await waitUntil(() => win.navigations.length === 1);
    button.click();
    expect(win.focused).to.equal(2);
    expect(open.calls).to.have.length(1);
    expect(backend.count('/checkout')).to.equal(1);
    expect(events.names.filter((n) => n === 'rk-start')).to.have.length(1);
    backend.status = 'paid';
    await waitUntil(() => terminals(events.names).length === 1);
    await sleep(60);
    expect(terminals(events.names)).to.deep.equal(['rk-success']);
  });

  it('exactly one terminal event even when message, channel, close and polling all arrive', async () => {
    const el = await mount();
    const events = recordEvents(el);
    const done = el.pay();
    await waitUntil(() => win.navigations.length === 1);
    await sleep(300);
    backend.status = 'paid';
    postReturn(returnMessage('success'));
    const channel = new BroadcastChannel('robokassa-checkout');
    channel.postMessage(returnMessage('success'));
    channel.close();
    win.closed = true;
    await done;
    await sleep(150);
    postReturn(returnMessage('fail'));
    await sleep(50);
    expect(terminals(events.names)).to.deep.equal(['rk-success']);
  });

  describe('errors', () => {
    it('backend 400 → rk-error http with a readable message, window closed, no retry', async () => {
      backend.checkout = () => json(400, { error: { code: 'invalid_field', message: 'unknown sku', issues: [{ path: 'items.0.sku', message: 'unknown' }] } });
      const el = await mount();
      const result = await el.pay();
      expect(result).to.include({ status: 'error', code: 'http', httpStatus: 400, reason: 'invalid_field: unknown sku' });
      expect((result as { message: string }).message).to.equal('The shop could not prepare the payment. Please try later.');
      expect(win.closed).to.equal(true);
      expect(backend.count('/checkout')).to.equal(1);
      await el.updateComplete;
      expect(part(el, 'status').textContent).to.equal('The shop could not prepare the payment. Please try later.');
    });

    it('backend 500 → retried once with the same Idempotency-Key, then rk-error http', async () => {
      backend.checkout = () => json(500, { error: { code: 'internal', message: 'database is locked' } });
      const el = await mount();
      const events = recordEvents(el);
      expect(await el.pay()).to.include({ status: 'error', code: 'http', httpStatus: 500 });
      const keys = backend.calls.filter((c) => c.path === '/checkout').map((c) => c.headers.get('idempotency-key'));
      expect(keys).to.have.length(2);
      expect(keys[0]).to.equal(keys[1]);
      expect(terminals(events.names)).to.deep.equal(['rk-error']);

      // a new attempt after the failure gets a new key
      backend.checkout = () => json(201, checkoutAnswer());
      open.restore();
      open = stubOpen(new FakeWindow());
      void el.pay();
      await waitUntil(() => backend.count('/checkout') === 3);
      const next = backend.calls.filter((c) => c.path === '/checkout')[2].headers.get('idempotency-key')!;
      expect(next).not.to.equal(keys[0]);
      // later key, later in order (the index the backend keeps them in grows at its end)
      expect(next > keys[0]!, `${next} after ${keys[0]}`).to.equal(true);
    });

    it('a timeout → rk-error timeout', async () => {
      backend.checkout = (_call, signal) => new Promise((_, reject) => signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))));
      const el = await mount();
      const result = await el.pay();
      expect(result).to.include({ status: 'error', code: 'timeout' });
      expect((result as { message: string }).message).to.include('No answer in time');
    });

    it('a network failure → rk-error network', async () => {
      backend.checkout = () => Promise.reject(new TypeError('Failed to fetch'));
      const el = await mount();
      expect(await el.pay()).to.include({ status: 'error', code: 'network' });
    });

    it('a malformed answer → rk-error invalid-response naming the field', async () => {
      backend.checkout = () => json(201, { ...checkoutAnswer(), url: 'javascript:alert(1)' });
      const el = await mount();
      const result = await el.pay();
      expect(result).to.include({ status: 'error', code: 'invalid-response', reason: 'checkout answer, field "url"' });
      expect(win.navigations).to.deep.equal([]);
      expect(backend.count('/checkout')).to.equal(1);
    });

    it('missing endpoint or product → rk-error config, nothing opened', async () => {
      const el = await fixture<TestCheckout>(html`<rk-test-checkout lang="en"></rk-test-checkout>`);
      const events = recordEvents(el);
      expect(await el.pay()).to.include({ status: 'error', code: 'config' });
      expect(events.names).to.deep.equal(['rk-start', 'rk-error']);
      expect(open.calls).to.have.length(0);
      const bad = await mount('quantity=0');
      expect(await bad.pay()).to.include({ status: 'error', code: 'config' });
      expect(backend.count('/checkout')).to.equal(0);
    });

    it('mode=popup with a blocked window → rk-error popup-blocked, no request', async () => {
      open.restore();
      open = stubOpen(null);
      const el = await mount('mode=popup');
      expect(await el.pay()).to.include({ status: 'error', code: 'popup-blocked' });
      expect(backend.count('/checkout')).to.equal(0);
    });

    it('fetchPaymentUrl replaces POST /checkout and its answer is checked too', async () => {
      const el = await mount();
      const seen: unknown[] = [];
      el.fetchPaymentUrl = async (request, key) => {
        seen.push(request, key);
        return checkoutAnswer();
      };
      backend.status = 'paid';
      expect((await el.pay()).status).to.equal('success');
      expect(backend.count('/checkout')).to.equal(0);
      expect(seen[0]).to.include({ culture: 'en' });
      el.fetchPaymentUrl = async () => ({ nonsense: true }) as never;
      el.quantity = 2; // a paid element stays locked until it sells something else
      await el.updateComplete;
      open.restore();
      open = stubOpen(new FakeWindow());
      expect(await el.pay()).to.include({ status: 'error', code: 'invalid-response' });
    });
  });

  describe('same-tab redirect', () => {
    it('a blocked window falls back to a same-tab redirect, with the attempt kept in sessionStorage', async () => {
      open.restore();
      open = stubOpen(null);
      const el = await mount();
      const events = recordEvents(el);
      const result = await el.pay();
      expect(result).to.deep.equal({ status: 'redirect', id: PAYMENT_ID, invoiceId: INVOICE_ID });
      expect(el.assigned).to.deep.equal([PAY_URL]);
      expect(events.details.get('rk-open')).to.deep.equal({ mode: 'redirect', id: PAYMENT_ID, invoiceId: INVOICE_ID });
      expect(events.details.get('rk-start')).to.deep.equal({ mode: 'popup' });
      const stored = JSON.parse(sessionStorage.getItem(STORAGE_KEY)!) as Record<string, unknown>;
      expect(stored).to.include({ id: PAYMENT_ID, invoiceId: INVOICE_ID, endpoint: ENDPOINT, target: 'sku:course-basic:1' });
    });

    it('an in-app browser goes straight to the redirect without opening a window', async () => {
      const el = await mount();
      el.ua = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Instagram 300.0';
      const events = recordEvents(el);
      expect((await el.pay()).status).to.equal('redirect');
      expect(open.calls).to.have.length(0);
      expect(events.details.get('rk-start')).to.deep.equal({ mode: 'redirect' });
      expect(el.assigned).to.deep.equal([PAY_URL]);
    });

    it('mode=redirect forces the same tab; mode=popup wins over an in-app browser', async () => {
      const el = await mount('mode=redirect');
      expect((await el.pay()).status).to.equal('redirect');
      expect(open.calls).to.have.length(0);
      sessionStorage.clear();
      const forced = await mount('mode=popup');
      forced.ua = 'Mozilla/5.0 (Linux; Android 14; wv) Telegram-Android/10.0';
      void forced.pay();
      await waitUntil(() => win.navigations.length === 1);
      expect(open.calls).to.have.length(1);
    });

    it('when navigation throws, the last resort is a manual link', async () => {
      win.navigateThrows = true;
      const el = await mount();
      const events = recordEvents(el);
      const done = el.pay();
      await waitUntil(() => events.names.includes('rk-open'));
      expect(events.details.get('rk-open')).to.include({ mode: 'link' });
      await el.updateComplete;
      const link = part(el, 'status').querySelector('a')!;
      expect(link.getAttribute('href')).to.equal(PAY_URL);
      expect(link.textContent).to.equal('Open the payment page');
      expect(link.target).to.equal('robokassa-checkout');
      backend.status = 'paid';
      expect((await done).status).to.equal('success');
    });

    for (const [outcome, status, expected] of [
      ['success', 'paid', 'rk-success'], ['fail', 'pending', 'rk-fail'], [undefined, 'pending', 'rk-cancel'], ['success', 'failed', 'rk-fail'],
    ] as const) {
      it(`resumes a redirect return on the next load: outcome ${outcome ?? 'none'}, backend ${status} → ${expected}`, async () => {
        sessionStorage.setItem(STORAGE_KEY, JSON.stringify({ id: PAYMENT_ID, invoiceId: INVOICE_ID, endpoint: ENDPOINT, target: 'sku:course-basic:1', at: Date.now() }));
        const saved = location.href;
        const url = new URL(saved);
        if (outcome) {
          url.searchParams.set('rk_payment', PAYMENT_ID);
          url.searchParams.set('rk_outcome', outcome);
        }
        history.replaceState(null, '', url);
        backend.status = status;
        const names: string[] = [];
        const details: unknown[] = [];
        const listen = (e: Event): void => {
          names.push(e.type);
          details.push((e as CustomEvent).detail);
        };
        for (const n of ['rk-start', 'rk-open', 'rk-success', 'rk-fail', 'rk-cancel', 'rk-error']) document.addEventListener(n, listen);
        try {
          await fixture<TestCheckout>(html`<rk-test-checkout endpoint=${ENDPOINT} sku="course-basic" lang="en"></rk-test-checkout>`);
          await waitUntil(() => names.length > 0);
          await sleep(40);
          expect(names).to.deep.equal([expected]);
          expect(details[0]).to.deep.equal({ id: PAYMENT_ID, invoiceId: INVOICE_ID });
          expect(sessionStorage.getItem(STORAGE_KEY)).to.equal(null);
          expect(open.calls).to.have.length(0);
        } finally {
          for (const n of ['rk-start', 'rk-open', 'rk-success', 'rk-fail', 'rk-cancel', 'rk-error']) document.removeEventListener(n, listen);
          history.replaceState(null, '', saved);
        }
      });
    }

    it('on a plain visit reads the stored attempt a task after the first render, and a click before that resumes it instead of paying again', async () => {
      const stored = { id: PAYMENT_ID, invoiceId: INVOICE_ID, endpoint: ENDPOINT, target: 'sku:course-basic:1', at: Date.now() };
      const getItem = Storage.prototype.getItem;
      let reads = 0;
      Storage.prototype.getItem = function (this: Storage, key: string) {
        reads++;
        return getItem.call(this, key);
      };
      try {
        // the test page is a plain visit (navigation type "navigate", no rk_payment in the URL)
        sessionStorage.setItem(STORAGE_KEY, JSON.stringify(stored));
        backend.status = 'paid';
        const el = await mount();
        const first = recordEvents(el);
        expect(reads, 'reads before the first paint').to.equal(0);
        expect(part(el, 'status').textContent).to.equal('');
        await waitUntil(() => first.names.length > 0, 'resumed within a task');
        expect(reads).to.equal(1);
        expect(first.names).to.deep.equal(['rk-success']);
        expect(sessionStorage.getItem(STORAGE_KEY)).to.equal(null);

        sessionStorage.setItem(STORAGE_KEY, JSON.stringify(stored));
        const next = await mount();
        const events = recordEvents(next);
        const result = next.pay();
        // no second payment: no window, no POST /checkout, the stored one is watched
        expect(open.calls).to.have.length(0);
        expect(events.names).to.deep.equal([]);
        expect(sessionStorage.getItem(STORAGE_KEY)).to.equal(null);
        expect(next.pay()).to.equal(result);
        expect(await result).to.deep.include({ status: 'success', id: PAYMENT_ID });
        expect(backend.count('/checkout')).to.equal(0);
      } finally {
        Storage.prototype.getItem = getItem;
      }
    });

    it('an element taken out before its stored-attempt read resumes when it is put back', async () => {
      sessionStorage.setItem(STORAGE_KEY, JSON.stringify({ id: PAYMENT_ID, invoiceId: INVOICE_ID, endpoint: ENDPOINT, target: 'sku:course-basic:1', at: Date.now() }));
      backend.status = 'paid';
      const other = await fixture<HTMLDivElement>(html`<div></div>`);
      const el = document.createElement('rk-test-checkout') as TestCheckout;
      for (const [name, value] of [['endpoint', ENDPOINT], ['sku', 'course-basic'], ['lang', 'en']]) el.setAttribute(name!, value!);
      const events = recordEvents(el);
      other.append(el);
      await el.updateComplete;
      // rendered; out while its read's task comes (and goes), then back in
      expect(part(el, 'button')).to.exist;
      el.remove();
      await sleep(20);
      expect(events.names).to.deep.equal([]);
      other.append(el);
      await waitUntil(() => events.names.length > 0, 'resumed after the move');
      expect(events.names).to.deep.equal(['rk-success']);
    });

    it('a stale stored attempt (older than the deadline) is dropped, not resumed', async () => {
      sessionStorage.setItem(STORAGE_KEY, JSON.stringify({ id: PAYMENT_ID, invoiceId: INVOICE_ID, endpoint: ENDPOINT, target: 'sku:course-basic:1', at: Date.now() - 60_000 }));
      const el = await mount();
      const events = recordEvents(el);
      await sleep(60);
      expect(events.names).to.deep.equal([]);
      expect(backend.count('/payments/')).to.equal(0);
      expect(sessionStorage.getItem(STORAGE_KEY)).to.equal(null);
    });

    it('of two elements selling the same product, the one that paid ends the attempt after the return', async () => {
      const page = (): Promise<HTMLElement> => fixture<HTMLElement>(html`<div>
        <rk-test-checkout endpoint=${ENDPOINT} sku="course-basic" lang="en" mode="redirect"></rk-test-checkout>
        <rk-test-checkout endpoint=${ENDPOINT} sku="course-basic" lang="en" mode="redirect"></rk-test-checkout>
      </div>`);
      const before = [...(await page()).querySelectorAll<TestCheckout>('rk-test-checkout')];
      expect((await before[1]!.pay()).status).to.equal('redirect');
      const stored = JSON.parse(sessionStorage.getItem(STORAGE_KEY)!) as Record<string, unknown>;
      expect(stored).to.include({ target: 'sku:course-basic:1', place: '@1' });

      backend.status = 'paid';
      const ended: string[] = [];
      const listen = (e: Event): void => {
        const all = [...document.querySelectorAll('rk-test-checkout')];
        ended.push(`${all.indexOf(e.target as Element) % 2}:${e.type}`);
      };
      for (const n of ['rk-success', 'rk-fail', 'rk-cancel', 'rk-error']) document.addEventListener(n, listen);
      try {
        before[0]!.parentElement!.remove();
        await page();
        await waitUntil(() => ended.length > 0);
        await sleep(60);
        expect(ended).to.deep.equal(['1:rk-success']);
      } finally {
        for (const n of ['rk-success', 'rk-fail', 'rk-cancel', 'rk-error']) document.removeEventListener(n, listen);
      }
    });

    it('another element (other product) leaves a stored attempt alone', async () => {
      sessionStorage.setItem(STORAGE_KEY, JSON.stringify({ id: PAYMENT_ID, invoiceId: INVOICE_ID, endpoint: ENDPOINT, target: 'sku:other:1', at: Date.now() }));
      await mount();
      await sleep(40);
      expect(backend.count('/payments/')).to.equal(0);
      expect(sessionStorage.getItem(STORAGE_KEY)).not.to.equal(null);
    });
  });

  it('gives up with rk-error timeout when the backend never decides (deadline)', async () => {
    RobokassaCheckout.timing = { ...FAST, deadline: 400 };
    try {
      const el = await mount();
      const done = el.pay();
      await waitUntil(() => win.navigations.length === 1);
      postReturn(returnMessage('success'));
      const result = await done;
      expect(result).to.include({ status: 'error', code: 'timeout', id: PAYMENT_ID, invoiceId: INVOICE_ID });
    } finally {
      RobokassaCheckout.timing = FAST;
    }
  });
});
