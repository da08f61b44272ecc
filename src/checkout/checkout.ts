// The <robokassa-checkout> element class. Importing this module defines nothing and touches no
// window/document (safe in server-side rendering); index.ts registers the tag.
import { html, nothing } from 'lit/html.js';
import { BaseElement, type PropertyValues } from './base-element.js';
import type { CheckoutRequest, CheckoutResponse, PaymentStatusResponse } from '../protocol/contract.js';
import styles, { offscreenStyles } from './checkout.styles.js';
import { createCheckout, getOrder, getPayment, getProduct, type ClientResult, type FetchPaymentUrl } from './client.js';
import { RETURN_PARAM_ID, RETURN_PARAM_OUTCOME, WINDOW_NAME } from './constants.js';
import type { CheckoutEventMap, CheckoutResult, OpenMode, PaymentRef, RkErrorDetail } from './events.js';
import {
  DEFAULT_TIMING, clearAttempt, loadAttempt, navigate, openWindow, showPreparing, storeAttempt, watchPayment, type Watch,
  type Outcome, type Timing,
} from './flow.js';
import { cultureFor, formatMoney, resolveLang, strings, type CheckoutErrorCode, type CheckoutI18n, type CheckoutStrings, type Lang } from './i18n.js';
import { isInAppBrowser } from './in-app.js';
import { inSlices, nextTask, whenIdle } from './tasks.js';

type Phase = 'idle' | 'busy' | 'success' | 'fail' | 'cancel' | 'error';
type BusyStep = 'preparing' | 'windowOpen' | 'redirecting' | 'checking' | 'manual';

interface Attempt {
  done: boolean;
  promise: Promise<CheckoutResult>;
  resolve: (result: CheckoutResult) => void;
  win: Window | null;
  ref: PaymentRef;
  watch?: Watch;
}

/**
 * How many elements are on the page. Past MANY, each one connected skips rendering while off screen,
 * and its first render is the button and the status line: the marks, notice and help follow in short
 * tasks, in page order (see connectedCallback).
 */
let connected = 0;
const MANY = 8;
let offscreenSheet: CSSStyleSheet | undefined;
/** The page's navigation type, read once (each read makes a new timing entry). */
let navigationType: string | undefined;

/**
 * Whether this load may bring the buyer back from the payment page: a return URL, Back or a reload.
 * Only then is the stored attempt read before the first render; on a plain visit the read (the tab's
 * first sessionStorage access costs 3–12 ms) waits a task, and a click before that reads it first.
 */
function mayBeReturn(): boolean {
  navigationType ??= (performance.getEntriesByType?.('navigation')[0] as PerformanceNavigationTiming | undefined)?.type ?? '';
  // a loose test of the query: a false yes only reads the stored attempt sooner
  return navigationType !== 'navigate' || location.search.includes(RETURN_PARAM_ID);
}

/**
 * A UUIDv7 (RFC 9562): the Unix time in ms, then 74 random bits. Time-ordered keys put the backend's
 * idempotency-index inserts on its last page instead of a random one per checkout (test/bench FINDINGS).
 * getRandomValues, as randomUUID exists only on secure (https, localhost) pages.
 */
function uuidv7(): string {
  const b = crypto.getRandomValues(new Uint8Array(16));
  for (let i = 5, t = Date.now(); i >= 0; i--, t = Math.floor(t / 256)) b[i] = t % 256;
  b[6] = (b[6] & 15) | 0x70;
  b[8] = (b[8] & 63) | 0x80;
  const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** Multiplies a two-decimal money string by a whole quantity without floats ("1500.00" × 3 → "4500.00"). */
function times(amount: string, quantity: number): string {
  if (!/^\d+\.\d{2}$/.test(amount) || !Number.isSafeInteger(quantity) || quantity < 1) return amount;
  const cents = (BigInt(amount.replace('.', '')) * BigInt(quantity)).toString().padStart(3, '0');
  return `${cents.slice(0, -2)}.${cents.slice(-2)}`;
}

/**
 * @summary A Robokassa pay button with a security notice, refusal help and a secure payment window.
 *
 * The click opens a named, centred window at once, asks the shop's backend for a signed payment URL
 * (POST {endpoint}/checkout with an Idempotency-Key) and sends the window there. A blocked window or
 * an in-app browser goes through the same tab instead. The backend's payment status decides the
 * outcome; every attempt ends in exactly one of rk-success, rk-fail, rk-cancel or rk-error.
 * After a same-tab redirect the attempt waits in sessionStorage; the next load of the page (the
 * backend adds `rk_payment` and `rk_outcome` to returnUrl) resumes it and ends it the same way.
 *
 * @tagname robokassa-checkout
 *
 * @fires {CustomEvent<RkStartDetail>} rk-start - `{mode}`, the way the page will be shown (`popup` or `redirect`), before anything opens. Cancelable: `preventDefault()` stops the attempt.
 * @fires {CustomEvent<RkOpenDetail>} rk-open - `{mode, id, invoiceId}`: the payment page is shown, in a `popup`, by `redirect`, or as a `link` the buyer presses (the last resort).
 * @fires {CustomEvent<RkSuccessDetail>} rk-success - `{id, invoiceId}`: the backend says paid.
 * @fires {CustomEvent<RkFailDetail>} rk-fail - `{id, invoiceId}`: the payment was refused (failed, cancelled, or still pending after a fail return); the help opens.
 * @fires {CustomEvent<RkCancelDetail>} rk-cancel - `{id, invoiceId}`: the buyer left (closed the window, came back) and the backend still says pending.
 * @fires {CustomEvent<RkErrorDetail>} rk-error - `{code, message, httpStatus?, reason?, id?, invoiceId?}`: `code` is `network`, `http`, `invalid-response`, `config`, `popup-blocked` or `timeout`; `message` is for the buyer, `reason` for logs.
 *
 * @slot label - The button's text (default: "Pay" in the element's language); the amount follows it.
 * @slot notice - Replaces the security-guarantee notice.
 * @slot help - Replaces the body of the "why might a payment be refused" help.
 *
 * @csspart base - The wrapper of everything.
 * @csspart button - The native pay button.
 * @csspart amount - The formatted amount inside the button.
 * @csspart logos - The Visa and Mastercard marks.
 * @csspart notice - The security-guarantee notice.
 * @csspart help - The refusal-reason help (a `<details>` disclosure).
 * @csspart status - The status line (an aria-live="polite" region).
 * @csspart email - The e-mail input (with `collect-email`).
 * @csspart badge - The "test mode" badge.
 * @csspart stop - The "Cancel" button in the status line while the payment window is open (stops waiting).
 *
 * @cssprop [--rk-accent=#1d4ed8] - Button background and focus ring colour (dark scheme: `#8ab4f8`).
 * @cssprop [--rk-on-accent=#fff] - Button text colour (dark scheme: `#0b1b33`).
 * @cssprop [--rk-text=#1b1b1f] - Text colour (dark scheme: `#ececf1`).
 * @cssprop [--rk-muted=#52525b] - Secondary text: the notice and the help (dark scheme: `#b4b4bd`).
 * @cssprop [--rk-background=#fff] - Background behind the element (dark scheme: `#1c1c21`).
 * @cssprop [--rk-border=#767676] - Border of the e-mail field (dark scheme: `#8e8e99`).
 * @cssprop [--rk-radius=8px] - Corner radius of the button and the field.
 * @cssprop [--rk-font=system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif] - Font family.
 * @cssprop [--rk-spacing=12px] - Gap between the pieces.
 * @cssprop [--rk-focus-ring=0 0 0 3px #fff, 0 0 0 5px #1d4ed8] - The `box-shadow` drawn around focused controls (dark scheme: `0 0 0 3px #1c1c21, 0 0 0 5px #8ab4f8`); on a page with more than eight elements they paint nothing more than 12px outside their box, so keep the ring within that.
 */
export class RobokassaCheckout extends BaseElement {
  static override styles = styles;

  static override properties = {
    endpoint: {},
    sku: {},
    quantity: { type: Number },
    orderId: { attribute: 'order-id' },
    lang: {},
    mode: {},
    collectEmail: { type: Boolean, attribute: 'collect-email' },
    email: {},
    supportEmail: { attribute: 'support-email' },
    disabled: { type: Boolean, reflect: true },
    amount: {},
    currency: {},
    i18n: { attribute: false },
    fetchPaymentUrl: { attribute: false },
    phase: { state: true },
    step: { state: true },
    errorCode: { state: true },
    price: { state: true },
    test: { state: true },
    helpOpen: { state: true },
    helpBody: { state: true },
    full: { state: true },
    emailError: { state: true },
    manualUrl: { state: true },
  };

  /** Delays used by every instance; tests shrink them. */
  static timing: Timing = DEFAULT_TIMING;

  /** The backend's base URL, e.g. `https://shop.example/robokassa`. */
  endpoint = '';
  /** Catalog product to pay for (with `quantity`). */
  sku = '';
  /** How many of `sku`. */
  quantity = 1;
  /** An order the shop's backend registered (instead of `sku`). */
  orderId = '';
  /** ru, en or kk; empty means the page's `<html lang>`, else ru. */
  override lang = '';
  /** `auto` (a window, or this tab when the window is blocked or in an in-app browser), `popup` or `redirect`. */
  mode: 'auto' | 'popup' | 'redirect' = 'auto';
  /** Ask for the buyer's e-mail (sent as the receipt address). */
  collectEmail = false;
  /** The buyer's e-mail, when known (pre-fills the field). */
  email = '';
  /** The shop's support address, shown in the help as a mailto link. */
  supportEmail = '';
  /** Turns the button off. */
  disabled = false;
  /** Amount for the first paint ("1500.00"); the backend's amount replaces it. */
  amount = '';
  /** Currency of `amount`: KZT, RUB, USD or EUR. */
  currency = '';
  /** Partial override of any string, e.g. `{pay: 'Buy', errors: {network: '…'}}`. */
  i18n?: CheckoutI18n;
  /** Replaces the POST /checkout call; resolves with the CheckoutResponse shape. */
  fetchPaymentUrl?: FetchPaymentUrl;

  private phase: Phase = 'idle';
  private step: BusyStep = 'preparing';
  private errorCode?: CheckoutErrorCode;
  private price?: { amount: string; currency: string };
  private test = false;
  private helpOpen = false;
  /** The help's body is rendered once the page is idle, or at once when the buyer opens it (see firstUpdated). */
  private helpBody = false;
  /** The marks, notice and help are rendered (past the eighth element, a task or a few after the button). */
  private full = true;
  private emailError = false;
  private manualUrl = '';

  #attempt?: Attempt;
  /** The stored attempt is still to be read (see mayBeReturn). */
  #unresumed = false;
  #lookup = 0;

  /** The language in use. */
  get language(): Lang {
    return resolveLang(this.lang, this.ownerDocument?.documentElement.lang);
  }

  get #t(): CheckoutStrings {
    return strings(this.language, this.i18n);
  }

  get #timing(): Timing {
    return (this.constructor as typeof RobokassaCheckout).timing;
  }

  get #origin(): string {
    try {
      return new URL(this.endpoint, location.href).origin;
    } catch {
      return '';
    }
  }

  /** sku/quantity or order id, naming what this element sells. */
  get #target(): string {
    return this.orderId ? `order:${this.orderId}` : `sku:${this.sku}:${this.quantity}`;
  }

  /**
   * Which of the elements selling the same target on this page this one is — its id, else its position
   * among them — so after a same-tab redirect the element that paid, not the first peer, ends the attempt.
   */
  get #place(): string {
    if (this.id) return `#${this.id}`;
    const root = this.getRootNode() as ParentNode;
    const peers = [...root.querySelectorAll(this.localName)].filter(
      (el) => el instanceof RobokassaCheckout && el.endpoint === this.endpoint && el.#target === this.#target,
    );
    return `@${peers.indexOf(this)}`;
  }

  /** Same-tab navigation; a hook so tests (and odd hosts) can replace it. */
  protected assignLocation(url: string): void {
    location.assign(url);
  }

  /** Opens the payment window; a hook for hosts that open windows their own way. */
  protected openPaymentWindow(): Window | null {
    return openWindow();
  }

  /** The user agent string used for in-app browser detection. */
  protected userAgent(): string {
    return navigator.userAgent;
  }

  /**
   * Starts a payment, as a click on the button does. Call it inside a user gesture: the window
   * opens before the first await. While an attempt runs, it focuses the window and returns the
   * same promise.
   */
  pay(): Promise<CheckoutResult> {
    // the buyer is using this element: all of it now (the e-mail field, the status, the help)
    this.full = true;
    // a payment this tab already left for comes first: a click is no reason to pay twice
    this.#resumeNow();
    if (this.#attempt && !this.#attempt.done) {
      this.#attempt.win?.focus();
      return this.#attempt.promise;
    }
    // paid: another click would be a second charge for the same thing
    if (this.disabled || this.phase === 'success') return Promise.resolve({ status: 'not-started', reason: this.disabled ? 'disabled' : 'paid' });
    const email = this.collectEmail ? this.#readEmail() : this.email.trim();
    if (email === undefined) return Promise.resolve({ status: 'not-started', reason: 'invalid-email' });

    const forced = this.mode === 'popup' || this.mode === 'redirect' ? this.mode : undefined;
    const planned = forced ?? (isInAppBrowser(this.userAgent()) ? 'redirect' : 'popup');
    if (!this.#emit('rk-start', { mode: planned }, true)) return Promise.resolve({ status: 'not-started', reason: 'prevented' });

    let resolve!: (r: CheckoutResult) => void;
    const promise = new Promise<CheckoutResult>((r) => (resolve = r));
    const attempt: Attempt = { done: false, promise, resolve, win: null, ref: {} };
    this.#attempt = attempt;
    this.phase = 'busy';
    this.step = 'preparing';
    this.helpOpen = false;
    this.manualUrl = '';
    this.errorCode = undefined;

    if (!this.endpoint || (!this.sku && !this.orderId) || !(this.quantity >= 1 && this.quantity <= 999 && this.quantity % 1 === 0)) {
      this.#finish(attempt, 'error', { code: 'config', reason: 'set endpoint, and sku (quantity 1–999) or order-id' });
      return promise;
    }
    // synchronous from the click to here: popup blockers allow only this window.open
    let mode: 'popup' | 'redirect' = planned;
    if (mode === 'popup') {
      attempt.win = this.openPaymentWindow();
      if (!attempt.win) {
        if (forced) {
          this.#finish(attempt, 'error', { code: 'popup-blocked', reason: 'window.open returned null' });
          return promise;
        }
        mode = 'redirect';
      } else {
        showPreparing(attempt.win, this.language, this.#t.preparing);
      }
    }
    void this.#run(attempt, mode, email);
    return promise;
  }

  async #run(attempt: Attempt, mode: 'popup' | 'redirect', email: string): Promise<void> {
    const body: CheckoutRequest = {
      ...(this.orderId ? { orderId: this.orderId } : { items: [{ sku: this.sku, quantity: this.quantity }] }),
      ...(email ? { email } : {}),
      culture: cultureFor(this.language),
      returnUrl: location.href,
    };
    const res = await createCheckout(this.endpoint, body, uuidv7(), this.#timing.request, this.#timing.retries, this.fetchPaymentUrl);
    if (attempt.done) return;
    if (!res.ok) {
      attempt.win?.close();
      this.#finish(attempt, 'error', { code: res.code, httpStatus: res.status, reason: res.reason });
      return;
    }
    const payment: CheckoutResponse = res.value;
    attempt.ref = { id: payment.id, invoiceId: payment.invoiceId };
    this.price = { amount: payment.amount, currency: payment.currency };
    this.test = payment.test;

    if (mode === 'redirect') {
      storeAttempt({ id: payment.id, invoiceId: payment.invoiceId, endpoint: this.endpoint, target: this.#target, place: this.#place, at: Date.now() });
      this.step = 'redirecting';
      this.#emit('rk-open', { mode: 'redirect', ...attempt.ref });
      try {
        this.assignLocation(payment.url);
        attempt.resolve({ status: 'redirect', ...attempt.ref });
      } catch {
        clearAttempt();
        this.#showManual(attempt, payment.url);
      }
      return;
    }
    const win = attempt.win;
    if (!win || win.closed) {
      // the buyer closed the window while it was still preparing
      this.#watch(attempt, null, 'back');
      return;
    }
    if (!navigate(win, payment.url)) {
      win.close();
      attempt.win = null;
      this.#showManual(attempt, payment.url);
      return;
    }
    this.step = 'windowOpen';
    this.#emit('rk-open', { mode: 'popup', ...attempt.ref });
    this.#watch(attempt, win);
  }

  /** Last resort: a link the buyer presses (a real click may open what a script could not). */
  #showManual(attempt: Attempt, url: string): void {
    this.manualUrl = url;
    this.step = 'manual';
    this.#emit('rk-open', { mode: 'link' satisfies OpenMode, ...attempt.ref });
    this.#watch(attempt, null);
  }

  #watch(attempt: Attempt, win: Window | null, returned?: 'success' | 'fail' | 'back'): void {
    const id = attempt.ref.id!;
    attempt.watch = watchPayment({
      id,
      origin: this.#origin,
      win,
      returned,
      timing: this.#timing,
      status: (): Promise<ClientResult<PaymentStatusResponse>> => getPayment(this.endpoint, id, this.#timing.request),
      onBack: () => (this.step = 'checking'),
      onEnd: (outcome: Outcome, status?: PaymentStatusResponse) => {
        if (status) attempt.ref = { id: status.id, invoiceId: status.invoiceId };
        if (outcome === 'timeout') this.#finish(attempt, 'error', { code: 'timeout', reason: 'no final payment status' });
        else this.#finish(attempt, outcome);
      },
    });
  }

  #finish(attempt: Attempt, outcome: Exclude<Outcome, 'timeout'> | 'error', error?: Omit<RkErrorDetail, 'message'>): void {
    if (attempt.done) return;
    attempt.done = true;
    attempt.watch?.stop();
    clearAttempt();
    const ref = attempt.ref;
    let result: CheckoutResult;
    if (outcome === 'error') {
      const detail: RkErrorDetail = { ...ref, ...error!, message: this.#t.errors[error!.code] };
      this.errorCode = detail.code;
      this.#emit('rk-error', detail);
      result = { status: 'error', ...detail };
    } else if (outcome === 'success') {
      const detail = { id: ref.id!, invoiceId: ref.invoiceId! };
      if (attempt.win && !attempt.win.closed) attempt.win.close();
      this.#emit('rk-success', detail);
      result = { status: 'success', ...detail };
    } else {
      this.#emit(outcome === 'fail' ? 'rk-fail' : 'rk-cancel', ref);
      result = { status: outcome, ...ref };
    }
    this.phase = outcome;
    this.manualUrl = '';
    if (outcome === 'fail') void this.#openHelp();
    attempt.resolve(result);
  }

  async #openHelp(): Promise<void> {
    this.helpOpen = true;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('summary')?.focus();
  }

  #emit<K extends keyof CheckoutEventMap>(
    name: K, detail: CheckoutEventMap[K]['detail'], cancelable = false,
  ): boolean {
    return this.dispatchEvent(new CustomEvent(name, { detail, bubbles: true, composed: true, cancelable }));
  }

  /** The trimmed e-mail when the field is valid; undefined (and the field marked) when not. */
  #readEmail(): string | undefined {
    const input = this.renderRoot.querySelector<HTMLInputElement>('input[type=email]');
    const value = (input?.value ?? this.email).trim();
    this.email = value;
    const valid = value !== '' && (input ? input.checkValidity() : /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value));
    this.emailError = !valid;
    if (!valid) input?.focus();
    return valid ? value : undefined;
  }

  protected override willUpdate(changed: PropertyValues): void {
    // before the first render, so a resumed attempt paints busy at once
    if (!this.hasUpdated) {
      this.#unresumed = true;
      if (mayBeReturn()) this.#resumeNow();
      else this.#resumeSoon();
    }
    // paid, then set to sell something else: payable again
    else if (this.phase === 'success' && (changed.has('sku') || changed.has('orderId') || changed.has('quantity'))) this.phase = 'idle';
  }

  protected override firstUpdated(): void {
    // the closed help's ~20 nodes are not needed for the first paint: they come when the page is idle
    // (still there for find-in-page), or in the click that opens the help (rendered before it opens)
    whenIdle(() => {
      this.helpBody = true;
      this.updateNow();
    });
  }

  protected override updated(changed: PropertyValues): void {
    // the lookup starts in a task of its own: a page's first fetch() costs 1–15 ms of main thread, and the
    // button comes first
    if (changed.has('endpoint') || changed.has('sku') || changed.has('orderId') || changed.has('quantity')) {
      nextTask(() => {
        if (this.isConnected) void this.#loadPrice();
      });
    }
  }

  override connectedCallback(): void {
    // a page of many (a catalog): every button first, the rest in short tasks, so the task that
    // upgrades them all stays short (100 elements: no task over 50 ms) and input is not kept waiting
    if (++connected > MANY && !this.hasUpdated && this.full) {
      this.full = false;
      inSlices(() => {
        // the whole template replaces the first one: the button keeps the focus if it had it
        const focused = this.renderRoot.activeElement;
        this.full = true;
        this.updateNow();
        if (focused) this.renderRoot.querySelector<HTMLElement>('[part=button]')?.focus();
      });
    }
    super.connectedCallback();
    // moved before the read's task came (a framework re-parenting it): the read follows it
    if (this.#unresumed) this.#resumeSoon();
  }

  /** Past the eighth element on the page, the off-screen rule too (adopted at the first connection). */
  protected override styleSheets(own: CSSStyleSheet): CSSStyleSheet[] {
    if (connected <= MANY) return [own];
    if (!offscreenSheet) (offscreenSheet = new CSSStyleSheet()).replaceSync(offscreenStyles);
    return [own, offscreenSheet];
  }

  /** Resolves once the element is wholly rendered, the parts that follow the button on a page of many included. */
  override get updateComplete(): Promise<boolean> {
    // queued after this element's own slice, so by then it is full
    return this.full ? super.updateComplete : new Promise<void>((r) => inSlices(r)).then(() => this.updateComplete);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    connected--;
    this.#lookup++;
  }

  /** Shows what the backend says the buyer will pay; a failure leaves the first-paint amount. */
  async #loadPrice(): Promise<void> {
    const ticket = ++this.#lookup;
    if (!this.endpoint || (!this.sku && !this.orderId)) return;
    const timeout = this.#timing.request;
    if (this.orderId) {
      const res = await getOrder(this.endpoint, this.orderId, timeout);
      if (ticket !== this.#lookup || !res.ok) return;
      this.price = { amount: res.value.amount, currency: res.value.currency };
      this.test = res.value.test;
    } else {
      const res = await getProduct(this.endpoint, this.sku, timeout);
      if (ticket !== this.#lookup || !res.ok) return;
      this.price = { amount: times(res.value.price, this.quantity), currency: res.value.currency };
      this.test = res.value.test;
    }
  }

  #resumeSoon(): void {
    nextTask(() => this.isConnected && this.#resumeNow());
  }

  #resumeNow(): void {
    if (!this.#unresumed) return;
    this.#unresumed = false;
    if (!this.#attempt) this.#resume();
  }

  /** Picks up an attempt that left this tab for the payment page (redirect mode). */
  #resume(): void {
    const stored = loadAttempt();
    if (!stored || stored.endpoint !== this.endpoint || stored.target !== this.#target) return;
    if (stored.place !== undefined && stored.place !== this.#place) return;
    // claim it, so a second element for the same product does not end it twice
    clearAttempt();
    if (Date.now() - stored.at > this.#timing.deadline) return;
    const params = new URLSearchParams(location.search);
    const sameId = (params.get(RETURN_PARAM_ID) ?? stored.id) === stored.id;
    const outcome = params.get(RETURN_PARAM_OUTCOME);
    const returned = sameId && (outcome === 'success' || outcome === 'fail') ? outcome : 'back';
    let resolve!: (r: CheckoutResult) => void;
    const promise = new Promise<CheckoutResult>((r) => (resolve = r));
    const attempt: Attempt = { done: false, promise, resolve, win: null, ref: { id: stored.id, invoiceId: stored.invoiceId } };
    this.#attempt = attempt;
    this.full = true;
    this.phase = 'busy';
    this.step = 'checking';
    this.#watch(attempt, null, returned);
  }

  #onClick(): void {
    void this.pay();
  }

  #onEmailInput(e: Event): void {
    this.email = (e.target as HTMLInputElement).value;
    this.emailError = false;
  }

  #onStopWaiting(): void {
    this.#attempt?.watch?.closedByBuyer();
  }

  #onSummary(): void {
    this.helpBody = true;
  }

  #onToggle(e: Event): void {
    this.helpOpen = (e.target as HTMLDetailsElement).open;
  }

  #statusLine(t: CheckoutStrings): unknown {
    switch (this.phase) {
      case 'busy':
        if (this.step === 'manual') return html`${t.manual} <a class="manual" href=${this.manualUrl} target=${WINDOW_NAME}>${t.manualLink}</a>`;
        // a way out when the window's handle can't say it was closed (COOP) or the buyer gave up
        if (this.step === 'windowOpen') return html`${t.windowOpen} <button class="link" part="stop" type="button" @click=${this.#onStopWaiting}>${t.stopWaiting}</button>`;
        return t[this.step];
      case 'error':
        return t.errors[this.errorCode ?? 'network'];
      case 'idle':
        return '';
      default:
        return t[this.phase];
    }
  }

  override render(): unknown {
    // one language lookup per render; the card marks are drawn by the stylesheet (two spans, where inline SVG
    // was ten nodes: a third of an element's cloning) and no whitespace separates block children
    const lang = this.language;
    const t = strings(lang, this.i18n);
    const busy = this.phase === 'busy';
    const price = this.price ?? (this.amount && this.currency ? { amount: this.amount, currency: this.currency } : undefined);
    const statusClass = this.phase === 'error' || this.phase === 'fail' ? 'error' : this.phase === 'success' ? 'success' : '';
    const amount = price ? html`<span part="amount">${formatMoney(price.amount, price.currency, lang)}</span>` : nothing;
    // a page of many, before this element's turn: the button alone (an idle one: pay() makes it whole)
    if (!this.full) return html`<div class="base" part="base" lang=${lang}><button part="button" type="button" ?disabled=${this.disabled} @click=${this.#onClick}><slot name="label">${t.pay}</slot> ${amount}</button><p part="status" role="status" aria-live="polite"></p></div>`;
    return html`<div class="base" part="base" lang=${lang}>${this.test ? html`<span part="badge">${t.testMode}</span>` : nothing}${this.collectEmail
      ? html`<div class="field"><label for="email">${t.email}</label><input id="email" part="email" type="email" autocomplete="email" required
          .value=${this.email} aria-invalid=${String(this.emailError)}
          aria-describedby=${this.emailError ? 'email-error' : nothing} @input=${this.#onEmailInput}>${this.emailError ? html`<span id="email-error" class="field-error">${t.emailInvalid}</span>` : nothing}</div>`
      : nothing}<button part="button" type="button" ?disabled=${this.disabled} aria-disabled=${busy || this.phase === 'success' ? 'true' : nothing} @click=${this.#onClick}>${busy ? html`<span class="spinner" aria-hidden="true"></span>` : nothing}<slot name="label">${t.pay}</slot> ${amount}</button><div part="logos" role="img" aria-label=${t.cards}><span class="visa">VISA</span><span class="mc"></span></div><p part="status" class=${statusClass} role="status" aria-live="polite">${this.#statusLine(t)}</p><div part="notice"><slot name="notice"><p class="title">${t.noticeTitle}</p><p>${t.notice}</p></slot></div><details part="help" ?open=${this.helpOpen} @toggle=${this.#onToggle}><summary @click=${this.#onSummary}>${t.helpTitle}</summary>${this.helpBody || this.helpOpen ? html`<slot name="help"><p>${t.helpIntro}</p><ul>${t.help.map((item) => html`<li>${item}</li>`)}</ul>${this.supportEmail ? html`<p>${t.support} <a href="mailto:${this.supportEmail}">${this.supportEmail}</a></p>` : nothing}</slot>` : nothing}</details></div>`;
  }
}
