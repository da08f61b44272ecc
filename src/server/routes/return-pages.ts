// SuccessURL and FailURL: the pages Robokassa sends the buyer back to. They only tell the widget;
// the payment's truth stays with ResultURL. FailURL is unsigned, so it can move a pending payment to
// failed and nothing more.
import { createHash, timingSafeEqual } from 'node:crypto';
import { Hono, type Context } from 'hono';
import { RETURN_MESSAGE_TYPE, RETURN_PARAM_ID, RETURN_PARAM_OUTCOME, RobokassaError, amountsEqual, verifySuccessUrl } from '../../protocol/index.js';
import { nodeHasher } from '../../node-hasher.js';
import { allowedOrigin, allowedUrl, type Deps } from '../deps.js';
import { paramsRecord, readParams } from '../http.js';
import { RETURN_PAGE_CSP, RETURN_SCRIPT, RETURN_STYLES, renderReturnPage, type PageKind } from '../return-page.js';
import type { Lang, NotificationInput, PaymentRecord } from '../store.js';
import { invoiceIdOf } from './result.js';
import { FAIL_TOKEN } from './checkout.js';

function sameToken(received: string | null, expected: string): boolean {
  const a = createHash('sha256').update(received ?? '').digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}


function withReturnParams(url: string, id: string, outcome: 'success' | 'fail'): string {
  const u = new URL(url);
  u.searchParams.set(RETURN_PARAM_ID, id);
  u.searchParams.set(RETURN_PARAM_OUTCOME, outcome);
  return u.href;
}

function pageLang(culture: string | null, payment: PaymentRecord | null): Lang {
  // kk is ours only (Robokassa's Culture is ru or en): keep it when the buyer chose it at checkout
  if (payment?.lang === 'kk') return 'kk';
  if (culture === 'en' || culture === 'ru') return culture;
  return payment?.lang ?? 'ru';
}

export function returnPageRoutes(deps: Deps): Hono {
  const { config, store } = deps;
  const app = new Hono();

  const page = (c: Context, status: 200 | 400 | 404, kind: PageKind, lang: Lang, payment: PaymentRecord | null): Response => {
    const origin = payment === null ? null : allowedOrigin(config, payment.origin);
    const allowedReturn = payment === null || kind === 'invalid' ? null : allowedUrl(config, payment.returnUrl);
    // the element picks a redirect-mode return up from these (src/checkout/constants.ts)
    const returnUrl = allowedReturn === null || payment === null ? null : withReturnParams(allowedReturn, payment.id, kind === 'success' ? 'success' : 'fail');
    const html = renderReturnPage({
      kind, lang,
      ...(payment !== null && kind !== 'invalid' && {
        message: { type: RETURN_MESSAGE_TYPE, id: payment.id, invoiceId: payment.invoiceId, outcome: kind === 'success' ? 'success' : 'fail' },
      }),
      targetOrigin: origin,
      returnUrl,
      backUrl: returnUrl ?? (origin === null ? null : `${origin}/`),
    });
    c.header('Content-Security-Policy', RETURN_PAGE_CSP);
    // frame-ancestors 'none' for today's browsers; this for those that only know the older header
    c.header('X-Frame-Options', 'DENY');
    c.header('Cache-Control', 'no-store');
    c.header('Referrer-Policy', 'no-referrer');
    c.header('X-Content-Type-Options', 'nosniff');
    return c.html(html, status);
  };

  const handle = (outcome: 'success' | 'fail') => async (c: Context): Promise<Response> => {
    const params = await readParams(c);
    const receivedAt = deps.now().toISOString();
    const invoiceId = invoiceIdOf(params.get('InvId'));
    const base: Omit<NotificationInput, 'verdict'> = { kind: outcome, receivedAt, invoiceId, params: paramsRecord(params) };
    const culture = params.get('Culture');
    const payment = invoiceId === null ? null : await store.getPaymentByInvoiceId(invoiceId);
    const lang = pageLang(culture, payment);

    if (payment === null) {
      await store.recordNotification({ ...base, verdict: 'unknown_invoice' });
      return page(c, 404, 'invalid', lang, null);
    }
    // An OutSum that isn't this invoice's is a forged or broken link: don't announce anything
    if (!amountsEqual(params.get('OutSum') ?? '', payment.amount)) {
      await store.recordNotification({ ...base, verdict: 'amount_mismatch' });
      return page(c, 400, 'invalid', lang, payment);
    }
    if (outcome === 'fail') {
      // only Robokassa (through the buyer's browser) knows the payment's token; payments made before
      // the token existed have none and keep the old behaviour
      const token = payment.form.fields[FAIL_TOKEN];
      if (token !== undefined && !sameToken(params.get(FAIL_TOKEN), token)) {
        await store.recordNotification({ ...base, verdict: 'ignored', reason: 'fail_token_mismatch' });
        return page(c, 200, 'fail', lang, payment);
      }
      const after = await store.markFailed(payment.invoiceId, receivedAt, base);
      return page(c, 200, 'fail', lang, after ?? payment);
    }
    const signature = params.get('SignatureValue');
    if (signature !== null) {
      try {
        verifySuccessUrl(params, config.password1, config.merchant.hashAlgorithm, nodeHasher);
      } catch (err) {
        if (!(err instanceof RobokassaError)) throw err;
        await store.recordNotification({ ...base, verdict: 'bad_signature', reason: err.code });
        return page(c, 400, 'invalid', lang, payment);
      }
    }
    await store.recordNotification({ ...base, verdict: signature === null ? 'unsigned' : 'verified' });
    return page(c, 200, 'success', lang, payment);
  };

  app.get('/success', handle('success'));
  app.post('/success', handle('success'));
  app.get('/fail', handle('fail'));
  app.post('/fail', handle('fail'));

  app.get('/return.js', (c) => {
    c.header('Content-Type', 'text/javascript; charset=utf-8');
    c.header('Cache-Control', 'public, max-age=300');
    c.header('X-Content-Type-Options', 'nosniff');
    return c.body(RETURN_SCRIPT);
  });
  app.get('/return.css', (c) => {
    c.header('Content-Type', 'text/css; charset=utf-8');
    c.header('Cache-Control', 'public, max-age=300');
    c.header('X-Content-Type-Options', 'nosniff');
    return c.body(RETURN_STYLES);
  });
  return app;
}
