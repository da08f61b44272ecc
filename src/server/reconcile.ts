// OpStateExt reconciliation: asks Robokassa about payments still pending (or failed after an unsigned
// FailURL), for when a ResultURL never arrived (the shop was down longer than Robokassa retried).
// Run it from a timer or a cron job; it marks paid through the same one-transaction path as ResultURL,
// so onPaid still runs exactly once per invoice.
import { amountsEqual, opStateRequestUrl, parseOpStateXml } from '../protocol/index.js';
import { nodeHasher } from '../node-hasher.js';
import type { ServerConfig } from './config.js';
import type { LogFn } from './deps.js';
import type { PaymentRecord, Store } from './store.js';

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
}

export interface ReconcileReport {
  checked: number;
  paid: number;
  cancelled: number;
  /** requests that failed or answers that could not be used */
  errors: number;
}

export async function reconcilePayments(config: ServerConfig, store: Store, options: ReconcileOptions = {}): Promise<ReconcileReport> {
  const now = options.now ?? (() => new Date());
  const doFetch = options.fetch ?? fetch;
  const log = options.log ?? (() => undefined);
  const at = now().getTime();
  const candidates = await store.listUnsettled(
    new Date(at - (options.maxAgeMs ?? 7 * 24 * 3600_000)).toISOString(),
    new Date(at - (options.minAgeMs ?? 10 * 60_000)).toISOString(),
    options.limit ?? 100,
  );
  const report: ReconcileReport = { checked: 0, paid: 0, cancelled: 0, errors: 0 };
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
      const marked = await store.markPaid(payment.invoiceId, notification.receivedAt, notification);
      if (marked?.transitioned) {
        report.paid++;
        log({ event: 'paid', via: 'opstate', invoiceId: payment.invoiceId, amount: marked.payment.amount, currency: marked.payment.currency });
        try {
          await options.onPaid?.(marked.payment);
        } catch (err) {
          log({ event: 'on_paid_failed', invoiceId: payment.invoiceId, error: err instanceof Error ? `${err.name}: ${err.message}` : 'non-error thrown' });
        }
      }
    } else if (state.state.status === 'cancelled') {
      const after = await store.markCancelled(payment.invoiceId, notification);
      if (after?.status === 'cancelled') report.cancelled++;
    }
  }
  return report;
}
