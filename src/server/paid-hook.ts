// The onPaid hook as an outbox: markPaid leaves it owed in the same transaction that makes the payment
// paid, and only a hook that ran to the end is recorded as done. A crash between the COMMIT and that
// record, or a failing hook, leaves it owed; deliverOwedHooks runs it again later (at least once).
import { describeError, type LogFn } from './deps.js';
import type { PaymentRecord, Store } from './store.js';

export type OnPaid = (payment: PaymentRecord) => void | Promise<void>;

/**
 * How long a paid payment's hook may be running in some process before another delivers it again:
 * shorter and a slow hook in a live process would run twice in the normal case.
 */
export const OWED_HOOK_GRACE_MS = 2 * 60_000;

/** Runs the hook and records it done; false when it threw (it stays owed). Never throws. */
export async function runPaidHook(onPaid: OnPaid, payment: PaymentRecord, store: Store, now: () => Date, log: LogFn): Promise<boolean> {
  try {
    await onPaid(payment);
  } catch (err) {
    log({ time: now().toISOString(), event: 'on_paid_failed', invoiceId: payment.invoiceId, error: describeError(err) });
    return false;
  }
  try {
    await store.markHookDone(payment.id, now().toISOString());
  } catch (err) {
    // the hook ran; it will run once more later, which an idempotent hook absorbs
    log({ time: now().toISOString(), event: 'on_paid_unrecorded', invoiceId: payment.invoiceId, error: describeError(err) });
  }
  return true;
}

export interface DeliverOwedOptions {
  /** Only hooks owed for at least this long. Default OWED_HOOK_GRACE_MS. */
  graceMs?: number;
  /** At most this many per run. Default 100. */
  limit?: number;
  now?: () => Date;
  log?: LogFn;
}

/** Runs the hooks still owed (oldest first); returns how many ran to the end. */
export async function deliverOwedHooks(store: Store, onPaid: OnPaid, options: DeliverOwedOptions = {}): Promise<number> {
  const now = options.now ?? (() => new Date());
  const log = options.log ?? (() => undefined);
  const owed = await store.listOwedHooks(new Date(now().getTime() - (options.graceMs ?? OWED_HOOK_GRACE_MS)).toISOString(), options.limit ?? 100);
  let delivered = 0;
  for (const payment of owed) {
    log({ time: now().toISOString(), event: 'on_paid_redelivery', invoiceId: payment.invoiceId });
    if (await runPaidHook(onPaid, payment, store, now, log)) delivered++;
  }
  return delivered;
}
