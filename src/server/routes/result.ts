// ResultURL: Robokassa's server-to-server proof of payment, the only thing that makes a payment paid.
import { Hono, type Context } from 'hono';
import { INT32_MAX, RobokassaError, amountsEqual, resultAnswer, verifyResultUrl } from '../../protocol/index.js';
import { serverHasher } from '../hasher.js';
import type { Deps } from '../deps.js';
import { paramsRecord, readParams } from '../http.js';
import { markPaidIf, type NotificationVerdict } from '../store.js';
import { clientAddress, tokenBuckets } from '../rate-limit.js';
import { runPaidHook } from '../paid-hook.js';

/** InvId as a store key, or null when it can't be one of ours. */
export function invoiceIdOf(value: string | null): number | null {
  if (value === null || !/^[1-9]\d{0,9}$/.test(value)) return null;
  const n = Number(value);
  return n <= INT32_MAX ? n : null;
}

/** Refused notifications recorded per client address and minute (beyond that: logged, not stored). */
export const REFUSALS_RECORDED_PER_MINUTE = 120;

export function resultRoutes(deps: Deps): Hono {
  const { config, store, trustedProxy, respond } = deps;
  const app = new Hono();
  const refusals = tokenBuckets({ perMinute: REFUSALS_RECORDED_PER_MINUTE });

  const handle = async (c: Context): Promise<Response> => {
    const params = await readParams(c);
    const received = paramsRecord(params);
    const receivedAt = deps.now().toISOString();
    const invoiceId = invoiceIdOf(params.get('InvId'));
    const notification = { kind: 'result' as const, receivedAt, invoiceId, params: received };

    const reject = async (verdict: NotificationVerdict, reason: string): Promise<Response> => {
      // anyone can post refusals; recording each would let one client fill the disk
      const address = clientAddress(c, trustedProxy);
      if (address !== undefined && refusals.take(address) > 0) {
        deps.log({ event: 'result_rejected_unrecorded', invoiceId, verdict, reason });
        return respond.text(c, reason, 400);
      }
      await store.recordNotification({ ...notification, verdict, reason });
      deps.log({ event: 'result_rejected', invoiceId, verdict, reason });
      return respond.text(c, reason, 400);
    };

    let outSum: string;
    let invId: string;
    let isTest: boolean | undefined;
    try {
      ({ outSum, invId, isTest } = verifyResultUrl(params, config.password2, config.merchant.hashAlgorithm, serverHasher));
    } catch (err) {
      if (!(err instanceof RobokassaError)) throw err;
      if (err.code === 'signature_mismatch') return reject('bad_signature', 'bad signature');
      return reject('malformed', `bad request: ${err.message}`);
    }
    // A test payment moves no money. IsTest is not signed into the payment link, so with a test pair
    // equal to the live one anybody could turn a live link into a test payment that verifies here.
    if (isTest === true && !config.merchant.test) return reject('test_payment', 'a test payment (IsTest=1) while the shop is in live mode');
    if (invoiceId === null) return reject('unknown_invoice', 'unknown InvId');
    // the amount is checked inside the marking transaction where the store can (one round trip instead of
    // two); with a hook, the same transaction leaves it owed until it has run (paid-hook.ts)
    const marked = await markPaidIf(store, invoiceId, receivedAt, notification, (p) => amountsEqual(outSum, p.amount), { hookOwed: deps.onPaid !== undefined });
    if (marked === 'refused') return reject('amount_mismatch', 'OutSum does not match the invoice amount');
    if (!marked) return reject('unknown_invoice', 'unknown InvId');
    if (marked.transitioned) {
      deps.log({ event: 'paid', invoiceId, amount: marked.payment.amount, currency: marked.payment.currency });
      // After the commit, once here: the payment is paid whatever the hook does. Robokassa's retries
      // answer as duplicates and never run it; a failing hook stays owed and reconcilePayments runs it again.
      if (deps.onPaid) await runPaidHook(deps.onPaid, marked.payment, store, deps.now, deps.log);
    }
    return respond.text(c, resultAnswer(invId), 200, { noStore: true });
  };

  app.get('/result', handle);
  app.post('/result', handle);
  return app;
}
