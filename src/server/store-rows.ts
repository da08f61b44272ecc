// Rows of the payments and orders tables as both engines return them, and the records they make.
// One mapping for SQLite and PostgreSQL, so the two stores can't drift in what a record holds.
import { toQueryString } from '../protocol/index.js';
import type { Currency, PaymentStatus } from '../protocol/contract.js';
import type { OrderRecord, PaymentRecord, PaymentStatusRecord } from './store.js';

export interface PaymentRow {
  id: string; invoice_id: number; status: string; amount: string; currency: string; description: string;
  items_json: string; order_id: string | null; email: string | null; culture: string | null; lang: string | null;
  origin: string | null; return_url: string | null;
  /** SQLite: 0 or 1; PostgreSQL: boolean */
  test: number | boolean; url: string; form_json: string;
  created_at: string; paid_at: string | null; failed_at: string | null;
}
/** The columns of a status read (Store.getPaymentStatus). */
export type StatusRow = Pick<PaymentRow, 'id' | 'invoice_id' | 'status' | 'amount' | 'currency' | 'paid_at'>;
export interface OrderRow {
  order_id: string; description: string; amount: string; currency: string; items_json: string; receipt_json: string | null;
  email: string | null; status: string; created_at: string; paid_at: string | null;
}

/** The GET link of a signed form, as buildPaymentRequest makes it (a store may keep url as '' when it equals this). */
export function paymentLink(form: PaymentRecord['form']): string {
  return `${form.action}${form.action.includes('?') ? '&' : '?'}${toQueryString(form.fields)}`;
}

/**
 * The record of a row. items, form and url are decoded on first read: the status poll and the ResultURL
 * checks read six fields, and JSON-parsing the rest was a good part of their cost. They read like plain
 * fields (enumerable, assignable), so copies and comparisons see the same values as before.
 */
export function toPayment(r: PaymentRow): PaymentRecord {
  let items: PaymentRecord['items'] | undefined;
  let form: PaymentRecord['form'] | undefined;
  let url: string | undefined;
  return {
    id: r.id, invoiceId: r.invoice_id, status: r.status as PaymentStatus, amount: r.amount, currency: r.currency as Currency,
    description: r.description,
    get items() { return (items ??= JSON.parse(r.items_json) as PaymentRecord['items']); },
    set items(value) { items = value; },
    orderId: r.order_id, email: r.email,
    culture: r.culture as PaymentRecord['culture'], lang: r.lang as PaymentRecord['lang'], origin: r.origin, returnUrl: r.return_url,
    test: r.test === true || r.test === 1,
    get url() { return (url ??= r.url === '' ? paymentLink(this.form) : r.url); },
    set url(value) { url = value; },
    get form() { return (form ??= JSON.parse(r.form_json) as PaymentRecord['form']); },
    set form(value) { form = value; },
    createdAt: r.created_at, paidAt: r.paid_at, failedAt: r.failed_at,
  };
}
export function toPaymentStatus(r: StatusRow): PaymentStatusRecord {
  return { id: r.id, invoiceId: r.invoice_id, status: r.status as PaymentStatus, amount: r.amount, currency: r.currency as Currency, paidAt: r.paid_at };
}
export function toOrder(r: OrderRow): OrderRecord {
  return {
    orderId: r.order_id, description: r.description, amount: r.amount, currency: r.currency as Currency,
    items: JSON.parse(r.items_json) as OrderRecord['items'], receipt: r.receipt_json === null ? null : (JSON.parse(r.receipt_json) as OrderRecord['receipt']),
    email: r.email, status: r.status as OrderRecord['status'], createdAt: r.created_at, paidAt: r.paid_at,
  };
}
