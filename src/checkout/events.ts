// Event detail types, the result of pay(), and their entries in GlobalEventHandlersEventMap,
// so `el.addEventListener('rk-success', (e) => e.detail.invoiceId)` type-checks without casts.
import type { CheckoutErrorCode } from './i18n.js';

export type { CheckoutErrorCode };

/** How the payment page was shown: a separate window, this tab, or a link the buyer has to press. */
export type OpenMode = 'popup' | 'redirect' | 'link';

/** The payment, once the backend has created it. */
export interface PaymentRef {
  /** The backend's opaque payment id. */
  id?: string;
  /** Robokassa's InvId. */
  invoiceId?: number;
}

export interface RkStartDetail {
  /** The way the element plans to show the payment page. */
  mode: 'popup' | 'redirect';
}
export interface RkOpenDetail extends PaymentRef {
  mode: OpenMode;
}
export interface RkSuccessDetail {
  id: string;
  invoiceId: number;
}
export type RkFailDetail = PaymentRef;
export type RkCancelDetail = PaymentRef;
export interface RkErrorDetail extends PaymentRef {
  code: CheckoutErrorCode;
  /** A sentence for the buyer, in the element's language. */
  message: string;
  /** HTTP status, for `http` errors. */
  httpStatus?: number;
  /** What went wrong technically (the backend's own message, the invalid field), for logs. */
  reason?: string;
}

/** What `pay()` resolves with: the terminal event of the attempt, or why none started. */
export type CheckoutResult =
  | ({ status: 'success' } & RkSuccessDetail)
  | ({ status: 'fail' } & RkFailDetail)
  | ({ status: 'cancel' } & RkCancelDetail)
  | ({ status: 'error' } & RkErrorDetail)
  /** The page is leaving for the payment page; the terminal event comes on the next load. */
  | ({ status: 'redirect' } & PaymentRef)
  /** Nothing started: rk-start was cancelled, the element is disabled, the e-mail is invalid, or it is already paid. */
  | { status: 'not-started'; reason: 'prevented' | 'disabled' | 'invalid-email' | 'paid' };

export type RkStartEvent = CustomEvent<RkStartDetail>;
export type RkOpenEvent = CustomEvent<RkOpenDetail>;
export type RkSuccessEvent = CustomEvent<RkSuccessDetail>;
export type RkFailEvent = CustomEvent<RkFailDetail>;
export type RkCancelEvent = CustomEvent<RkCancelDetail>;
export type RkErrorEvent = CustomEvent<RkErrorDetail>;

export interface CheckoutEventMap {
  'rk-start': RkStartEvent;
  'rk-open': RkOpenEvent;
  'rk-success': RkSuccessEvent;
  'rk-fail': RkFailEvent;
  'rk-cancel': RkCancelEvent;
  'rk-error': RkErrorEvent;
}

declare global {
  interface GlobalEventHandlersEventMap extends CheckoutEventMap {}
}
