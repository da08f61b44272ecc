// What the backend keeps, behind a small interface so another engine can be added next to SQLite.
// Every method that changes state is atomic in the engine (one transaction); the routes never combine
// two writes themselves.
import type { Currency, PaymentStatus } from '../protocol/contract.js';
import type { FiscalFields, ReceiptSettings } from './receipt.js';

export type Lang = 'ru' | 'en' | 'kk';

/** One line of what a payment is for (a catalog product or an order item). */
export interface LineItem extends FiscalFields {
  sku?: string;
  name: string;
  quantity: number;
  /** unit price, two decimals */
  price: string;
  /** price x quantity, two decimals */
  sum: string;
}

export interface PaymentRecord {
  /** opaque, unguessable; what the page and GET /payments/{id} use */
  id: string;
  /** Robokassa's InvId, allocated by the store: positive int32, never reused */
  invoiceId: number;
  status: PaymentStatus;
  amount: string;
  currency: Currency;
  description: string;
  items: LineItem[];
  orderId: string | null;
  email: string | null;
  /** Culture sent to Robokassa */
  culture: 'ru' | 'en' | null;
  /** the buyer's language for our own pages (may be kk) */
  lang: Lang | null;
  /** origin of the page that started the checkout (allow-listed), the return message's target */
  origin: string | null;
  /** where the return page sends a buyer who has no opener window (allow-listed origin) */
  returnUrl: string | null;
  test: boolean;
  /** the signed GET link and POST form, kept so an idempotent retry returns them unchanged */
  url: string;
  form: { action: string; fields: Record<string, string> };
  createdAt: string;
  paidAt: string | null;
  failedAt: string | null;
}

/** What the route builds once the store has allocated the InvId. */
export type NewPayment = Omit<PaymentRecord, 'invoiceId' | 'status' | 'paidAt' | 'failedAt'>;

export interface OrderItem extends FiscalFields {
  name: string;
  quantity: number;
  price: string;
  sum: string;
}

export interface OrderRecord {
  orderId: string;
  description: string;
  amount: string;
  currency: Currency;
  items: OrderItem[];
  /** present: a fiscal Receipt goes with the order's payment */
  receipt: ReceiptSettings | null;
  email: string | null;
  status: 'open' | 'paid';
  createdAt: string;
  paidAt: string | null;
}

/** 'opstate': our own OpStateExt check (reconcile.ts), kept like a notification */
export type NotificationKind = 'result' | 'success' | 'fail' | 'opstate';
export type NotificationVerdict =
  | 'paid' // ResultURL: the payment became paid
  | 'duplicate' // ResultURL: already paid, nothing changed
  | 'bad_signature'
  | 'unknown_invoice'
  | 'amount_mismatch'
  | 'malformed'
  | 'test_payment' // ResultURL: IsTest=1 while the shop is in live mode
  | 'verified' // SuccessURL with a valid signature
  | 'unsigned' // SuccessURL without a signature
  | 'failed' // FailURL moved a pending payment to failed
  | 'cancelled' // OpStateExt: Robokassa cancelled the operation
  | 'ignored'; // FailURL / OpStateExt for a payment that could not move

export interface NotificationInput {
  kind: NotificationKind;
  receivedAt: string;
  /** InvId when it parsed as one */
  invoiceId: number | null;
  /** every parameter as received */
  params: Record<string, string>;
  verdict: NotificationVerdict;
  reason?: string;
}

export interface NotificationRecord extends NotificationInput {
  id: number;
}

export type CreatePaymentResult =
  | { kind: 'created' | 'replayed'; payment: PaymentRecord }
  /** the idempotency key was used with another request */
  | { kind: 'conflict' };

export interface IdempotencyInput {
  key: string;
  /** hash of the canonical request; same key with another hash is a conflict */
  requestHash: string;
}

export interface MarkPaidResult {
  /** true only for the one call that moved the payment to paid */
  transitioned: boolean;
  payment: PaymentRecord;
}

export interface MarkPaidOptions {
  /**
   * Default true: the transition leaves the onPaid hook owed until markHookDone. false when nothing
   * will run it (no hook configured), so a hook added later doesn't receive old payments.
   */
  hookOwed?: boolean;
}

/** What the status poll answers with: a payment's six fields, without its form, lines or addresses. */
export type PaymentStatusRecord = Pick<PaymentRecord, 'id' | 'invoiceId' | 'status' | 'amount' | 'currency' | 'paidAt'>;

export interface Store {
  /**
   * Allocates an InvId and stores the payment `build` returns for it, in one transaction. With an
   * idempotency key already seen: the stored payment ('replayed') or 'conflict', and `build` is not called.
   */
  createPayment(build: (invoiceId: number) => NewPayment, idempotency?: IdempotencyInput): Promise<CreatePaymentResult>;
  getPayment(id: string): Promise<PaymentRecord | null>;
  getPaymentByInvoiceId(invoiceId: number): Promise<PaymentRecord | null>;
  /**
   * Optional: getPayment's six status fields only. The element polls this while the buyer pays;
   * reading (and decoding) the whole row was most of the poll's cost. Call it through
   * getPaymentStatus() below, which falls back to getPayment for a store without it.
   */
  getPaymentStatus?(id: string): Promise<PaymentStatusRecord | null>;
  /**
   * Moves the payment to paid (from pending, failed or cancelled) and its order too, and records the
   * notification ('paid', or 'duplicate' when it was already paid), all in one transaction.
   * null when no payment has this InvId (nothing recorded then).
   */
  markPaid(invoiceId: number, paidAt: string, notification: Omit<NotificationInput, 'verdict'>, options?: MarkPaidOptions): Promise<MarkPaidResult | null>;
  /**
   * Optional: markPaid, but only when `accept(payment)` holds for the stored payment, asked inside the
   * same transaction; 'refused' when it does not (then nothing is changed or recorded). It saves the
   * ResultURL route its separate read (one store round trip per notification). Call it through
   * markPaidIf() below, which does the same with a read first for a store without it.
   */
  markPaidIf?(
    invoiceId: number, paidAt: string, notification: Omit<NotificationInput, 'verdict'>,
    accept: (payment: PaymentRecord) => boolean, options?: MarkPaidOptions,
  ): Promise<MarkPaidResult | 'refused' | null>;
  /** pending -> failed, recording the notification ('failed' or 'ignored'); a paid payment never changes. null when unknown. */
  markFailed(invoiceId: number, failedAt: string, notification: Omit<NotificationInput, 'verdict'>): Promise<PaymentRecord | null>;
  /** pending or failed -> cancelled (Robokassa says so), recording it ('cancelled' or 'ignored'); never a paid one. */
  markCancelled(invoiceId: number, notification: Omit<NotificationInput, 'verdict'>): Promise<PaymentRecord | null>;
  /**
   * Paid payments whose onPaid hook is still owed (the process died between the paid COMMIT and the
   * hook's end, or the hook failed), paid before `paidBefore`, oldest first.
   */
  listOwedHooks(paidBefore: string, limit: number): Promise<PaymentRecord[]>;
  /** Records that the payment's hook ran to the end; false when it was not owed (already done, or not paid). */
  markHookDone(id: string, at: string): Promise<boolean>;
  /** Payments still pending or failed, created in [createdAfter, createdBefore), oldest first. */
  listUnsettled(createdAfter: string, createdBefore: string, limit: number): Promise<PaymentRecord[]>;
  recordNotification(notification: NotificationInput): Promise<void>;
  listNotifications(invoiceId?: number): Promise<NotificationRecord[]>;
  /** false when the orderId is taken */
  createOrder(order: OrderRecord): Promise<boolean>;
  getOrder(orderId: string): Promise<OrderRecord | null>;
  close(): void;
}

/** A payment's status fields: the store's own narrow read where it has one, else getPayment. */
export function getPaymentStatus(store: Store, id: string): Promise<PaymentStatusRecord | null> {
  return store.getPaymentStatus !== undefined ? store.getPaymentStatus(id) : store.getPayment(id);
}

/**
 * markPaid when `accept` holds for the stored payment: in the store's own transaction where it has
 * markPaidIf, else a read, the check, then markPaid. 'refused' when `accept` says no (nothing recorded),
 * null when no payment has this InvId.
 */
export function markPaidIf(
  store: Store, invoiceId: number, paidAt: string, notification: Omit<NotificationInput, 'verdict'>,
  accept: (payment: PaymentRecord) => boolean, options?: MarkPaidOptions,
): Promise<MarkPaidResult | 'refused' | null> {
  if (store.markPaidIf !== undefined) return store.markPaidIf(invoiceId, paidAt, notification, accept, options);
  return (async () => {
    const payment = await store.getPaymentByInvoiceId(invoiceId);
    if (!payment) return null;
    if (!accept(payment)) return 'refused';
    return store.markPaid(invoiceId, paidAt, notification, options);
  })();
}
