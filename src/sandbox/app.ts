// The Robokassa sandbox: a local stand-in for Robokassa's payment page (Index.aspx), its 3-D Secure
// step, the ResultURL / SuccessURL / FailURL callbacks and OpStateExt, behaving as
// ../shared/robokassa-protocol.md documents Robokassa. It knows the shop only over HTTP.
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { randomBytes, randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  buildOpStateXml, callbackSignatureBase, maskPassword, opStateSignatureBase, paymentSignatureBase,
  timingSafeEqualHex, type HashAlgorithm, type Hasher, type OpStateXmlInput,
} from '../protocol/index.js';
import { nodeHasher } from '../node-hasher.js';
import { checkCard, scenarioFor, type CardInput } from './cards.js';
import { pickCulture, texts, type Texts } from './i18n.js';
import { isValidOutSum, sandboxFee, sixDecimals } from './money.js';
import {
  errorPage, homePage, messagePage, outcomePage, paymentPage, threeDsPage, type CardFormState, type ReturnTarget,
} from './pages.js';
import { AUTOSUBMIT_SCRIPT, FAVICON, STYLESHEET } from './assets.js';
import { OperationStore, type Culture, type NotifyState, type Operation, type ReceiptLine } from './store.js';

export interface SandboxOptions {
  merchantLogin: string;
  password1: string;
  password2: string;
  hashAlgorithm: HashAlgorithm;
  resultUrl: string;
  resultMethod?: 'GET' | 'POST';
  successUrl: string;
  successMethod?: 'GET' | 'POST';
  failUrl: string;
  failMethod?: 'GET' | 'POST';
  /** Every operation is a test one (IsTest=1 in callbacks, no error 40). Otherwise IsTest=1 in the request decides. */
  testMode?: boolean;
  /** Used for the ResultURL notification (tests stub it). */
  fetch?: typeof fetch;
  /** Structured log lines; never carry a card number, a CVV or a password. */
  log?: (entry: Record<string, unknown>) => void;
  /** Pauses between ResultURL attempts; attempts = length + 1. */
  retryDelaysMs?: number[];
  // Additions to API.md (all optional):
  /** The shop's currency when OutSumCurrency is not sent: KZT (robokassa.kz, default) or RUB (robokassa.ru). */
  currency?: 'KZT' | 'RUB';
  /** Memory cap: operations kept (least recently used evicted). Default 1000. */
  maxOperations?: number;
  /** How long the buyer's request waits for `OK{InvId}` before showing the "shop not notified yet" page. Default 8000. */
  notifyWaitMs?: number;
  /** Timeout of one ResultURL attempt. Default 10000. */
  notifyTimeoutMs?: number;
  /** Clock (card expiry, ExpirationDate). */
  now?: () => Date;
}

/** Robokassa's retry schedule is undocumented (≈ once a minute observed); ours backs off and stops after 8 attempts. */
export const DEFAULT_RETRY_DELAYS_MS = [1_000, 3_000, 10_000, 30_000, 60_000, 120_000, 300_000];

const INDEX_PATH = '/sandbox/Merchant/Index.aspx';
const PAY_PATH = '/sandbox/Merchant/Payment';
const OPSTATE_PATH = '/sandbox/Merchant/WebService/Service.asmx/OpStateExt';
const TOKEN = /^[A-Za-z0-9_-]{32}$/;
const INVID = /^\d{1,19}$/;
const INT64_MAX = 9223372036854775807n;
/** Robokassa's old docs cap the Receipt JSON at 30 000 characters. */
const RECEIPT_MAX = 30_000;
/** What an URL-encoded Receipt may contain (encodeURIComponent, or PHP urlencode with "+"). Raw JSON has { " : and fails. */
const ENCODED_RECEIPT = /^[A-Za-z0-9\-_.!~*'()%+]*$/;
const UNSUPPORTED = ['StepByStep', 'ResultUrl2', 'SuccessUrl2', 'SuccessUrl2Method', 'FailUrl2', 'FailUrl2Method', 'Token', 'Recurring', 'PreviousInvoiceID'];
const CURRENCIES = ['USD', 'EUR', 'KZT'];
const FAIL_AUTO_MS = 5_000;

class SandboxError extends Error {
  constructor(readonly code: number, readonly detail?: string, readonly maskedBase?: string) {
    super(`sandbox error ${code}`);
  }
}

/** Received parameters, names case-insensitive (ASP.NET reads them so), each name at most once. */
class Params {
  readonly #values = new Map<string, { name: string; value: string }>();

  constructor(entries: Iterable<[string, string]>) {
    for (const [name, value] of entries) {
      const key = name.toLowerCase();
      if (this.#values.has(key)) {
        // Two OutSum (or two Shp_x) would let the signed and the used value differ.
        throw new SandboxError(30, `${name} was sent more than once.`);
      }
      this.#values.set(key, { name, value });
    }
  }

  get(...names: string[]): string | undefined {
    for (const name of names) {
      const found = this.#values.get(name.toLowerCase());
      if (found !== undefined) return found.value;
    }
    return undefined;
  }

  /** Shp_/SHP_/shp_ parameters in the order received, names as received. */
  shp(): [string, string][] {
    return [...this.#values.values()].filter((e) => /^shp_/i.test(e.name)).map((e) => [e.name, e.value]);
  }
}

async function readParams(c: Context): Promise<Params> {
  const entries: [string, string][] = [...new URL(c.req.url).searchParams.entries()];
  if (c.req.method === 'POST') {
    const type = c.req.header('content-type') ?? '';
    if (type.startsWith('multipart/form-data')) {
      const form = await c.req.formData();
      for (const [name, value] of form.entries()) if (typeof value === 'string') entries.push([name, value]);
    } else {
      // application/x-www-form-urlencoded: decoded once, "+" as space — as a browser form sends it.
      entries.push(...new URLSearchParams(await c.req.text()).entries());
    }
  }
  return new Params(entries);
}

async function readForm(c: Context): Promise<URLSearchParams> {
  const type = c.req.header('content-type') ?? '';
  if (type.startsWith('multipart/form-data')) {
    const out = new URLSearchParams();
    for (const [name, value] of (await c.req.formData()).entries()) if (typeof value === 'string') out.append(name, value);
    return out;
  }
  return new URLSearchParams(await c.req.text());
}

function parseReceipt(encoded: string): ReceiptLine[] {
  let json: string;
  try {
    json = decodeURIComponent(encoded.replace(/\+/g, ' '));
  } catch {
    throw new SandboxError(30, 'Receipt is not valid URL-encoding.');
  }
  if (json.length > RECEIPT_MAX) throw new SandboxError(30, `Receipt JSON is longer than ${RECEIPT_MAX} characters.`);
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch {
    throw new SandboxError(30, 'Receipt is not valid JSON after URL-decoding.');
  }
  const items = typeof data === 'object' && data !== null && 'items' in data ? data.items : undefined;
  if (!Array.isArray(items) || items.length === 0 || items.length > 100) {
    throw new SandboxError(30, 'Receipt must have an "items" array with 1 to 100 lines.');
  }
  return items.map((item: unknown, i: number): ReceiptLine => {
    const o = (typeof item === 'object' && item !== null ? item : {}) as Record<string, unknown>;
    const name = o['name'];
    const quantity = o['quantity'];
    const sum = o['sum'] ?? o['cost'];
    const tax = o['tax'];
    if (typeof name !== 'string' || name === '' || [...name].length > 128) {
      throw new SandboxError(30, `Receipt items[${i}].name must be text of 1 to 128 characters.`);
    }
    if (typeof quantity !== 'number' || !(quantity > 0)) throw new SandboxError(30, `Receipt items[${i}].quantity must be a positive number.`);
    if (typeof tax !== 'string' || tax === '') throw new SandboxError(30, `Receipt items[${i}].tax is missing.`);
    const line: ReceiptLine = { name, quantity: String(quantity), tax };
    if ((typeof sum === 'number' && Number.isFinite(sum)) || (typeof sum === 'string' && /^\d+(\.\d{1,2})?$/.test(sum))) {
      line.sum = String(sum);
    } else {
      throw new SandboxError(30, `Receipt items[${i}].sum must be an amount with at most two decimals.`);
    }
    return line;
  });
}

function token(): string {
  return randomBytes(24).toString('base64url'); // 192 bits, 32 characters
}

function originOf(url: string): string {
  return new URL(url).origin;
}

export function createSandboxApp(options: SandboxOptions): Hono {
  const hash: Hasher = nodeHasher;
  const doFetch = options.fetch ?? globalThis.fetch;
  const log = options.log ?? ((): void => undefined);
  const now = options.now ?? ((): Date => new Date());
  const retryDelays = options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
  const notifyWaitMs = options.notifyWaitMs ?? 8_000;
  const notifyTimeoutMs = options.notifyTimeoutMs ?? 10_000;
  const shopCurrency = options.currency ?? 'KZT';
  const store = new OperationStore(options.maxOperations ?? 1000);
  const resultMethod = options.resultMethod ?? 'POST';
  const successMethod = options.successMethod ?? 'GET';
  const failMethod = options.failMethod ?? 'GET';
  for (const [name, url] of [['resultUrl', options.resultUrl], ['successUrl', options.successUrl], ['failUrl', options.failUrl]] as const) {
    if (!/^https?:\/\//.test(url)) throw new TypeError(`${name} must be an http(s) URL`);
  }
  let assignedInvId = 100_000 + (randomBytes(2).readUInt16BE(0) % 50_000);

  // form-action must allow the shop: Chrome applies it to the redirects that follow a form submit.
  const shopOrigins = [...new Set([originOf(options.successUrl), originOf(options.failUrl)])].join(' ');
  const csp = `default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self'; form-action 'self' ${shopOrigins}; base-uri 'none'; frame-ancestors 'none'`;

  const app = new Hono();

  app.use('/sandbox/*', async (c, next) => {
    await next();
    c.header('Content-Security-Policy', csp);
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('X-Frame-Options', 'DENY');
    // The page URL carries the session token: never hand it to the shop in a Referer.
    c.header('Referrer-Policy', 'no-referrer');
    if (!c.req.path.startsWith('/sandbox/assets/')) c.header('Cache-Control', 'no-store');
  });
  app.use('/sandbox/*', bodyLimit({ maxSize: 128 * 1024, onError: (c) => c.text('Request body too large', 413) }));

  app.get('/sandbox/assets/sandbox.css', (c) => {
    c.header('Cache-Control', 'public, max-age=3600');
    return c.body(STYLESHEET, 200, { 'Content-Type': 'text/css; charset=utf-8' });
  });
  app.get('/sandbox/assets/favicon.svg', (c) => {
    c.header('Cache-Control', 'public, max-age=3600');
    return c.body(FAVICON, 200, { 'Content-Type': 'image/svg+xml' });
  });
  app.get('/sandbox/assets/return.js', (c) => {
    c.header('Cache-Control', 'public, max-age=3600');
    return c.body(AUTOSUBMIT_SCRIPT, 200, { 'Content-Type': 'text/javascript; charset=utf-8' });
  });

  const cultureOf = (c: Context): Culture => pickCulture(undefined, c.req.header('accept-language'));

  const home = (c: Context): Response => c.html(homePage(texts(pickCulture(c.req.query('Culture'), c.req.header('accept-language'))), {
    merchantLogin: options.merchantLogin, hashAlgorithm: options.hashAlgorithm, testMode: options.testMode === true,
    currency: shopCurrency, resultUrl: options.resultUrl, resultMethod, successUrl: options.successUrl, successMethod,
    failUrl: options.failUrl, failMethod,
  }));
  app.get('/sandbox', home);
  app.get('/sandbox/', home);

  function showError(c: Context, t: Texts, e: SandboxError): Response {
    log({ event: 'payment.rejected', code: e.code });
    return c.html(errorPage(t, e.code, e.detail, e.maskedBase), 400, { 'X-Sandbox-Error': String(e.code) });
  }

  // ── Index.aspx: check the request, open an operation, send the buyer to its page ────────────────
  async function index(c: Context): Promise<Response> {
    let t = texts(cultureOf(c));
    try {
      const p = await readParams(c);
      const culture = pickCulture(p.get('Culture'), c.req.header('accept-language'));
      t = texts(culture);
      const login = p.get('MerchantLogin', 'MrchLogin');
      if (login === undefined || login !== options.merchantLogin) {
        throw new SandboxError(26, login === undefined ? 'MerchantLogin is missing.' : `No shop "${login}" in this sandbox.`);
      }
      const outSum = p.get('OutSum');
      if (outSum === undefined || !isValidOutSum(outSum)) {
        throw new SandboxError(31, outSum === undefined ? 'OutSum is missing.' : `OutSum "${outSum}" is not a positive amount.`);
      }
      const invIdRaw = p.get('InvId', 'InvoiceID') ?? '';
      if (invIdRaw !== '' && (!INVID.test(invIdRaw) || BigInt(invIdRaw) > INT64_MAX)) {
        throw new SandboxError(30, 'InvId must be a whole number from 1 to 9223372036854775807 (keep it within 2147483647).');
      }
      const description = p.get('Description', 'Desc', 'InvDesc') ?? '';
      if ([...description].length > 100) throw new SandboxError(30, `Description has ${[...description].length} characters; at most 100 are allowed.`);
      for (const name of UNSUPPORTED) {
        if (p.get(name) !== undefined) throw new SandboxError(30, `${name} is not supported by the sandbox.`);
      }
      const outSumCurrency = p.get('OutSumCurrency');
      if (outSumCurrency !== undefined && !CURRENCIES.includes(outSumCurrency)) {
        throw new SandboxError(30, `OutSumCurrency must be one of ${CURRENCIES.join(', ')}.`);
      }
      const userIp = p.get('UserIp');
      const receipt = p.get('Receipt');
      if (receipt !== undefined && receipt !== '' && !ENCODED_RECEIPT.test(receipt)) {
        throw new SandboxError(29, 'Receipt arrived as raw JSON. Send and sign the URL-encoded JSON: encodeURIComponent(JSON) in a POST field, encoded once more in a GET link.');
      }
      const shp = p.shp();
      const signed = {
        merchantLogin: login, outSum, invId: invIdRaw,
        ...(outSumCurrency !== undefined && { outSumCurrency }),
        ...(userIp !== undefined && { userIp }),
        ...(receipt !== undefined && { receipt }),
        shp: Object.fromEntries(shp),
      };
      const expected = hash(options.hashAlgorithm, paymentSignatureBase({ ...signed, password1: options.password1 }));
      const received = p.get('SignatureValue') ?? '';
      if (!/^[0-9a-fA-F]+$/.test(received) || !timingSafeEqualHex(received, expected)) {
        const masked = maskPassword(paymentSignatureBase({ ...signed, password1: '[Password #1]' }), options.password1);
        throw new SandboxError(29, t.signatureDetail(options.hashAlgorithm), masked);
      }
      const receiptLines = receipt !== undefined && receipt !== '' ? parseReceipt(receipt) : undefined;

      const test = options.testMode === true || p.get('IsTest') === '1';
      const invId = invIdRaw === '' || /^0+$/.test(invIdRaw) ? String(assignedInvId++) : BigInt(invIdRaw).toString();
      if (!test && store.byInvId(invId)?.status === 'paid') throw new SandboxError(40, `InvId ${invId} is already paid.`);

      let expiresAt: number | undefined;
      const expiration = p.get('ExpirationDate');
      if (expiration !== undefined && expiration !== '') {
        expiresAt = Date.parse(expiration);
        if (Number.isNaN(expiresAt)) throw new SandboxError(30, 'ExpirationDate is not an ISO 8601 date.');
        if (expiresAt <= now().getTime()) throw new SandboxError(33, 'ExpirationDate is in the past.');
      }
      const email = (p.get('Email', 'EMail') ?? '').slice(0, 254);
      const incCurrLabel = p.get('IncCurrLabel');

      const created = now();
      const op: Operation = {
        token: token(), opKey: randomUUID().toUpperCase(), invId, outSum, description, culture, email,
        shp, test, createdAt: created, stateAt: created, status: 'pending',
      };
      if (outSumCurrency !== undefined) op.outSumCurrency = outSumCurrency;
      if (incCurrLabel !== undefined && incCurrLabel !== '') op.incCurrLabel = incCurrLabel;
      if (receiptLines) op.receipt = receiptLines;
      if (expiresAt !== undefined) op.expiresAt = expiresAt;
      store.add(op);
      log({ event: 'payment.created', invId, outSum, test, operations: store.size });
      return c.redirect(`${PAY_PATH}/${op.token}`, 303);
    } catch (e) {
      if (e instanceof SandboxError) return showError(c, t, e);
      throw e;
    }
  }
  app.get(INDEX_PATH, index);
  app.post(INDEX_PATH, index);

  // ── Return targets ──────────────────────────────────────────────────────────────────────────────
  function target(url: string, method: 'GET' | 'POST', fields: [string, string][]): ReturnTarget {
    if (method === 'POST') return { method, url, fields };
    const u = new URL(url);
    for (const [k, v] of fields) u.searchParams.append(k, v);
    return { method, url: u.toString(), fields };
  }

  function successTarget(op: Operation): ReturnTarget {
    const outSum = sixDecimals(op.outSum);
    const shp = Object.fromEntries(op.shp);
    const signature = hash(options.hashAlgorithm, callbackSignatureBase({ outSum, invId: op.invId, password: options.password1, shp })).toUpperCase();
    const fields: [string, string][] = [['OutSum', outSum], ['InvId', op.invId], ['SignatureValue', signature]];
    if (op.test) fields.push(['IsTest', '1']);
    fields.push(['Culture', op.culture], ...op.shp);
    return target(options.successUrl, successMethod, fields);
  }

  /** FailURL: no signature and no reason, as at Robokassa. */
  function failTarget(op: Operation): ReturnTarget {
    return target(options.failUrl, failMethod, [['OutSum', sixDecimals(op.outSum)], ['InvId', op.invId], ['Culture', op.culture], ...op.shp]);
  }

  const currencyOf = (op: Operation): string => op.outSumCurrency ?? shopCurrency;

  /** The buyer's way back: a 303 for GET, an auto-submitting form page for POST. */
  function goBack(c: Context, op: Operation, t: Texts, kind: 'ok' | 'bad', title: string, lines: string[], to: ReturnTarget): Response {
    if (to.method === 'GET') return c.redirect(to.url, 303);
    return c.html(outcomePage(t, op, options.merchantLogin, currencyOf(op), { kind, title, lines, target: to, autoMs: 0 }));
  }

  // ── ResultURL ───────────────────────────────────────────────────────────────────────────────────
  async function notifyOnce(op: Operation, attempt: number): Promise<boolean> {
    const outSum = sixDecimals(op.outSum);
    const shp = Object.fromEntries(op.shp);
    const signature = hash(options.hashAlgorithm, callbackSignatureBase({ outSum, invId: op.invId, password: options.password2, shp })).toUpperCase();
    const params = new URLSearchParams();
    params.append('OutSum', outSum);
    params.append('InvId', op.invId);
    params.append('Fee', sandboxFee(op.outSum));
    params.append('IncSum', outSum);
    params.append('EMail', op.email);
    params.append('IncCurrLabel', op.incCurrLabel ?? 'BankCardPSR');
    params.append('PaymentMethod', 'BankCard');
    for (const [k, v] of op.shp) params.append(k, v);
    params.append('SignatureValue', signature);
    if (op.test) params.append('IsTest', '1');
    const init: RequestInit = { method: resultMethod, signal: AbortSignal.timeout(notifyTimeoutMs), redirect: 'manual' };
    let url = options.resultUrl;
    if (resultMethod === 'POST') {
      init.body = params.toString();
      init.headers = { 'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8' };
    } else {
      const u = new URL(url);
      for (const [k, v] of params) u.searchParams.append(k, v);
      url = u.toString();
    }
    try {
      const res = await doFetch(url, init);
      const body = (await res.text()).slice(0, 1000);
      // The official PHP sample prints "OK$inv_id\n": surrounding whitespace is tolerated, nothing else.
      const ok = res.status >= 200 && res.status < 300 && body.trim() === `OK${op.invId}`;
      log({ event: 'result.attempt', invId: op.invId, attempt, status: res.status, ok });
      return ok;
    } catch (e) {
      log({ event: 'result.attempt', invId: op.invId, attempt, ok: false, error: e instanceof Error ? e.name : 'error' });
      return false;
    }
  }

  function startNotify(op: Operation): NotifyState {
    const state: NotifyState = { status: 'sending', attempts: 0, maxAttempts: retryDelays.length + 1, done: Promise.resolve() };
    state.done = (async (): Promise<void> => {
      for (let i = 0; i < state.maxAttempts; i++) {
        if (i > 0) await sleep(retryDelays[i - 1] ?? 0);
        state.attempts = i + 1;
        if (await notifyOnce(op, i + 1)) {
          state.status = 'ok';
          return;
        }
      }
      state.status = 'gave_up';
      log({ event: 'result.gave_up', invId: op.invId, attempts: state.attempts });
    })();
    return state;
  }

  async function pay(op: Operation): Promise<void> {
    op.status = 'paid';
    op.stateAt = now();
    store.markPaid(op);
    log({ event: 'payment.paid', invId: op.invId, card: op.cardLast4 === undefined ? undefined : `****${op.cardLast4}` });
    op.notify = startNotify(op);
    // The buyer waits for the shop's OK (then goes to SuccessURL), but not forever.
    let timer: ReturnType<typeof setTimeout> | undefined;
    const waited = new Promise<void>((resolve) => { timer = setTimeout(resolve, notifyWaitMs); });
    await Promise.race([op.notify.done, waited]);
    clearTimeout(timer);
  }

  function refuse(op: Operation, reason: NonNullable<Operation['refusal']>): void {
    op.status = 'refused';
    op.refusal = reason;
    op.stateAt = now();
    log({ event: 'payment.refused', invId: op.invId, reason, card: op.cardLast4 === undefined ? undefined : `****${op.cardLast4}` });
  }

  function cancel(op: Operation): void {
    op.status = 'cancelled';
    op.stateAt = now();
    log({ event: 'payment.cancelled', invId: op.invId });
  }

  function expired(op: Operation): boolean {
    return op.expiresAt !== undefined && op.expiresAt <= now().getTime();
  }

  // ── The payment page, by state ──────────────────────────────────────────────────────────────────
  function findOp(c: Context): Operation | undefined {
    const tok = c.req.param('token') ?? '';
    return TOKEN.test(tok) ? store.get(tok) : undefined;
  }

  function unknown(c: Context): Response {
    const t = texts(cultureOf(c));
    return c.html(messagePage(t, t.pageTitle, t.unknownSession), 404);
  }

  function show(c: Context, op: Operation): Response {
    const t = texts(op.culture);
    const currency = currencyOf(op);
    if ((op.status === 'pending' || op.status === 'three_ds') && expired(op)) cancel(op);
    switch (op.status) {
      case 'pending':
        return c.html(paymentPage(t, op, options.merchantLogin, currency, { values: { email: op.email }, errors: {} }));
      case 'three_ds':
        return c.redirect(`${PAY_PATH}/${op.token}/3ds`, 303);
      case 'cancelled':
        return goBack(c, op, t, 'bad', t.cancelledTitle, [t.cancelledText], failTarget(op));
      case 'refused':
        return c.html(outcomePage(t, op, options.merchantLogin, currency, {
          kind: 'bad', title: t.refusedTitle, lines: [t.refusals[op.refusal ?? 'card_details'], t.refusedNext],
          target: failTarget(op), autoMs: FAIL_AUTO_MS,
        }));
      case 'paid': {
        const n = op.notify;
        if (!n || n.status === 'ok') return goBack(c, op, t, 'ok', t.paidTitle, [t.paidText], successTarget(op));
        if (n.status === 'sending') {
          return c.html(outcomePage(t, op, options.merchantLogin, currency, {
            kind: 'wait', title: t.notifyPendingTitle, lines: [t.notifyPendingText(n.attempts, n.maxAttempts), t.doNotPayAgain],
            refreshSeconds: 5, checkAgain: true,
          }), 202);
        }
        // Gave up: the shop can still learn the truth from OpStateExt (State 100), so let the buyer go back.
        return c.html(outcomePage(t, op, options.merchantLogin, currency, {
          kind: 'wait', title: t.notifyGaveUpTitle, lines: [t.notifyGaveUpText(n.attempts), t.doNotPayAgain],
          target: successTarget(op),
        }), 202);
      }
    }
  }

  app.get(`${PAY_PATH}/:token`, (c) => {
    const op = findOp(c);
    return op ? show(c, op) : unknown(c);
  });

  app.post(`${PAY_PATH}/:token`, async (c) => {
    const op = findOp(c);
    if (!op) return unknown(c);
    if (op.status !== 'pending' || expired(op)) return c.redirect(`${PAY_PATH}/${op.token}`, 303);
    const form = await readForm(c);
    // Checked again after the await: a double submit must not pay (and notify) twice.
    if (op.status !== 'pending') return c.redirect(`${PAY_PATH}/${op.token}`, 303);
    const input: CardInput = {
      cardNumber: form.get('cardNumber') ?? '', expiry: form.get('expiry') ?? '',
      cvc: form.get('cvc') ?? '', email: form.get('email') ?? '',
    };
    const check = checkCard(input, now());
    if (Object.keys(check.errors).length > 0) {
      log({ event: 'card.invalid', invId: op.invId, fields: Object.keys(check.errors) });
      const state: CardFormState = { values: { ...input, cvc: '' }, errors: check.errors };
      return c.html(paymentPage(texts(op.culture), op, options.merchantLogin, currencyOf(op), state), 422);
    }
    op.email = input.email.trim();
    op.cardLast4 = check.digits.slice(-4);
    const scenario = scenarioFor(check.digits);
    op.scenario = scenario;
    log({ event: 'card.submitted', invId: op.invId, card: `****${op.cardLast4}`, scenario: scenario.kind });
    switch (scenario.kind) {
      case 'paid':
        await pay(op);
        break;
      case 'refused':
        refuse(op, scenario.reason);
        break;
      case 'three_ds':
      case 'three_ds_no_code':
        op.status = 'three_ds';
        op.stateAt = now();
        break;
    }
    return c.redirect(`${PAY_PATH}/${op.token}`, 303);
  });

  app.get(`${PAY_PATH}/:token/3ds`, (c) => {
    const op = findOp(c);
    if (!op) return unknown(c);
    if (op.status !== 'three_ds' || expired(op)) return show(c, op);
    return c.html(threeDsPage(texts(op.culture), op, options.merchantLogin, currencyOf(op), false));
  });

  app.post(`${PAY_PATH}/:token/3ds`, async (c) => {
    const op = findOp(c);
    if (!op) return unknown(c);
    if (op.status !== 'three_ds' || expired(op)) return c.redirect(`${PAY_PATH}/${op.token}`, 303);
    const code = ((await readForm(c)).get('code') ?? '').trim();
    if (op.status !== 'three_ds') return c.redirect(`${PAY_PATH}/${op.token}`, 303);
    if (op.scenario?.kind === 'three_ds_no_code') {
      // The code never arrives for this card: whatever is typed is wrong; only "back to the shop" remains.
      log({ event: '3ds.rejected', invId: op.invId });
      return c.html(threeDsPage(texts(op.culture), op, options.merchantLogin, currencyOf(op), true), 422);
    }
    if (op.scenario?.kind === 'three_ds' && code === op.scenario.code) await pay(op);
    else refuse(op, 'wrong_3ds_code');
    return c.redirect(`${PAY_PATH}/${op.token}`, 303);
  });

  app.post(`${PAY_PATH}/:token/cancel`, (c) => {
    const op = findOp(c);
    if (!op) return unknown(c);
    if (op.status === 'pending' || op.status === 'three_ds') cancel(op);
    return c.redirect(`${PAY_PATH}/${op.token}`, 303);
  });

  // ── OpStateExt ──────────────────────────────────────────────────────────────────────────────────
  async function opState(c: Context): Promise<Response> {
    const xml = (p: OpStateXmlInput): Response => c.body(buildOpStateXml(p), 200, { 'Content-Type': 'text/xml; charset=utf-8' });
    let p: Params;
    try {
      p = await readParams(c);
    } catch {
      return xml({ resultCode: 1000, description: 'A parameter was sent more than once' });
    }
    const login = p.get('MerchantLogin') ?? '';
    const invId = p.get('InvoiceID', 'InvId') ?? '';
    const signature = p.get('Signature') ?? '';
    if (login !== options.merchantLogin) return xml({ resultCode: 2, description: 'Shop not found' });
    const expected = hash(options.hashAlgorithm, opStateSignatureBase({ merchantLogin: login, invId, password2: options.password2 }));
    if (!/^[0-9a-fA-F]+$/.test(signature) || !timingSafeEqualHex(signature, expected)) {
      return xml({ resultCode: 1, description: 'Wrong signature' });
    }
    const key = INVID.test(invId) ? BigInt(invId).toString() : undefined;
    const op = key === undefined ? undefined : store.byInvId(key);
    if (!op) return xml({ resultCode: 3, description: `No operation with InvoiceID ${invId}` });
    const stateCode = op.status === 'paid' ? 100 : op.status === 'refused' || op.status === 'cancelled' ? 10 : 5;
    const out: OpStateXmlInput = {
      resultCode: 0, stateCode, requestDate: op.createdAt.toISOString(), stateDate: op.stateAt.toISOString(),
      outCurrLabel: currencyOf(op) === 'RUB' ? 'RUR' : currencyOf(op), outSum: sixDecimals(op.outSum), opKey: op.opKey,
      userFields: Object.fromEntries(op.shp),
    };
    if (op.status === 'paid') {
      out.incCurrLabel = op.incCurrLabel ?? 'BankCardPSR';
      out.incSum = sixDecimals(op.outSum);
      out.paymentMethod = 'BankCard';
      if (op.cardLast4 !== undefined) out.incAccount = `************${op.cardLast4}`;
    }
    return xml(out);
  }
  app.get(OPSTATE_PATH, opState);
  app.post(OPSTATE_PATH, opState);

  app.notFound((c) => {
    const t = texts(cultureOf(c));
    return c.html(messagePage(t, t.pageTitle, t.unknownSession), 404);
  });
  app.onError((err, c) => {
    log({ event: 'sandbox.error', error: err.name });
    const t = texts(cultureOf(c));
    return c.html(messagePage(t, t.errorTitle, t.errorCode(500)), 500);
  });

  return app;
}
