// OpStateExt reconciliation: asks Robokassa about payments still pending (or failed after an unsigned
// FailURL), for when a ResultURL never arrived (the shop was down longer than Robokassa retried).
// Run it from a timer or a cron job; it marks paid through the same one-transaction path as ResultURL,
// so onPaid runs once per invoice in the normal path. First it delivers the onPaid hooks still owed
// (a crash after the paid COMMIT, or a failing hook): at least once, never lost.
import { amountsEqual, opStateRequestUrl, parseOpStateXml } from '../protocol/index.js';
import { nodeHasher } from '../node-hasher.js';
import type { ServerConfig } from './config.js';
import type { LogFn } from './deps.js';
import type { PaymentRecord, Store } from './store.js';
import { OWED_HOOK_GRACE_MS, deliverOwedHooks, runPaidHook } from './paid-hook.js';

export interface ReconcileOptions {
  /** Only payments at least this old (the buyer may still be paying). Default 10 minutes. */
  minAgeMs?: number;
  /** Only payments younger than this. Default 7 days. */
  maxAgeMs?: number;
  /** At most this many requests per run. Default 100. */
  limit?: number;
  /** Per request. Default 10 s. */
  timeoutMs?: number;
  fetch?: typeof fetch;
  now?: () => Date;
  log?: LogFn;
  onPaid?: (payment: PaymentRecord) => void | Promise<void>;
  /** Owed hooks are delivered once owed this long (one may still be running elsewhere). Default 2 minutes. */
  hookGraceMs?: number;
}

export interface ReconcileReport {
  checked: number;
  paid: number;
  cancelled: number;
  /** requests that failed or answers that could not be used */
  errors: number;
  /** owed onPaid hooks (from a crash or a failed hook) delivered by this run */
  redelivered: number;
}

export async function reconcilePayments(config: ServerConfig, store: Store, options: ReconcileOptions = {}): Promise<ReconcileReport> {
  const now = options.now ?? (() => new Date());
  const doFetch = options.fetch ?? fetch;
  const log = options.log ?? (() => undefined);
  const report: ReconcileReport = { checked: 0, paid: 0, cancelled: 0, errors: 0, redelivered: 0 };
  if (options.onPaid) {
    report.redelivered = await deliverOwedHooks(store, options.onPaid, { graceMs: options.hookGraceMs ?? OWED_HOOK_GRACE_MS, limit: options.limit ?? 100, now, log });
  }
  const at = now().getTime();
  const candidates = await store.listUnsettled(
    new Date(at - (options.maxAgeMs ?? 7 * 24 * 3600_000)).toISOString(),
    new Date(at - (options.minAgeMs ?? 10 * 60_000)).toISOString(),
    options.limit ?? 100,
  );
  for (const payment of candidates) {
    report.checked++;
    const invId = String(payment.invoiceId);
    let state;
    try {
      // the URL carries a signature made with Password #2, never the password: safe to request, not logged
      const res = await doFetch(opStateRequestUrl(config.merchant, invId, config.password2, nodeHasher), { signal: AbortSignal.timeout(options.timeoutMs ?? 10_000) });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      state = parseOpStateXml(await res.text());
    } catch (err) {
      report.errors++;
      log({ event: 'opstate_failed', invoiceId: payment.invoiceId, error: err instanceof Error ? err.message : 'request failed' });
      continue;
    }
    if (state.resultCode !== 0 || state.state === undefined) {
      // 3: Robokassa never saw this InvId (the buyer didn't reach the page): nothing to change
      if (state.resultCode !== 3) {
        report.errors++;
        log({ event: 'opstate_refused', invoiceId: payment.invoiceId, resultCode: state.resultCode });
      }
      continue;
    }
    const notification = { kind: 'opstate' as const, receivedAt: now().toISOString(), invoiceId: payment.invoiceId, params: { State: String(state.state.code), OutSum: state.info?.outSum ?? '' } };
    if (state.state.status === 'paid') {
      if (state.info?.outSum !== undefined && !amountsEqual(state.info.outSum, payment.amount)) {
        report.errors++;
        await store.recordNotification({ ...notification, verdict: 'amount_mismatch' });
        continue;
      }
      const marked = await store.markPaid(payment.invoiceId, notification.receivedAt, notification, { hookOwed: options.onPaid !== undefined });
      if (marked?.transitioned) {
        report.paid++;
        log({ event: 'paid', via: 'opstate', invoiceId: payment.invoiceId, amount: marked.payment.amount, currency: marked.payment.currency });
        if (options.onPaid) await runPaidHook(options.onPaid, marked.payment, store, now, log);
      }
    } else if (state.state.status === 'cancelled') {
      const after = await store.markCancelled(payment.invoiceId, notification);
      if (after?.status === 'cancelled') report.cancelled++;
    }
  }
  return report;
}
