// Fiscal receipt lines (DESIGN.md "The catalog"): built from catalog products or registered order
// items, checked against the protocol's Receipt schema before anything is sold.
import * as z from 'zod/mini';
import { en } from 'zod/locales';
import { KZ_TAXES, Receipt, type ReceiptItem } from '../protocol/index.js';

/** The receipt fields a product or order item carries besides name, quantity and sum. */
export interface FiscalFields {
  tax: ReceiptItem['tax'];
  paymentMethod?: NonNullable<ReceiptItem['payment_method']>;
  paymentObject?: NonNullable<ReceiptItem['payment_object']>;
  nomenclatureCode?: string;
}

/** The shop-wide part of the receipt; `sno` may be left out (Kazakh shops do). */
export interface ReceiptSettings {
  sno?: NonNullable<Receipt['sno']>;
}

export interface ReceiptLine extends FiscalFields {
  name: string;
  quantity: number;
  /** line total, canonical two-decimal string */
  sum: string;
}

export interface FieldProblem {
  /** dotted path relative to the checked object: "tax", "sno", "paymentMethod" */
  path: string;
  message: string;
}

const PROTOCOL_TO_OURS: Record<string, string> = { payment_method: 'paymentMethod', payment_object: 'paymentObject', nomenclature_code: 'nomenclatureCode' };

export function receiptItem(line: ReceiptLine): ReceiptItem {
  return {
    name: line.name,
    quantity: line.quantity,
    sum: line.sum,
    tax: line.tax,
    ...(line.paymentMethod !== undefined && { payment_method: line.paymentMethod }),
    ...(line.paymentObject !== undefined && { payment_object: line.paymentObject }),
    ...(line.nomenclatureCode !== undefined && { nomenclature_code: line.nomenclatureCode }),
  };
}

export function buildReceipt(settings: ReceiptSettings, lines: readonly ReceiptLine[]): Receipt {
  return { ...(settings.sno !== undefined && { sno: settings.sno }), items: lines.map(receiptItem) };
}

/**
 * Checks one line's fiscal fields (and optionally `sno`) against the protocol's Receipt schema and the
 * region's tax set, so a typo in the catalog or an order stops at start / registration, not at payment.
 */
export interface FiscalInput {
  tax?: string | undefined;
  paymentMethod?: string | undefined;
  paymentObject?: string | undefined;
  nomenclatureCode?: string | undefined;
}

export function checkReceiptFields(name: string, fields: FiscalInput, region: 'kz' | 'ru', sno?: string): FieldProblem | undefined {
  const probe = {
    ...(sno !== undefined && { sno }),
    items: [{
      name, quantity: 1, sum: '1.00', tax: fields.tax ?? 'none',
      ...(fields.paymentMethod !== undefined && { payment_method: fields.paymentMethod }),
      ...(fields.paymentObject !== undefined && { payment_object: fields.paymentObject }),
      ...(fields.nomenclatureCode !== undefined && { nomenclature_code: fields.nomenclatureCode }),
    }],
  };
  const result = z.safeParse(Receipt, probe, { error: en().localeError });
  if (!result.success) {
    const issue = result.error.issues[0];
    const path = issue?.path ?? [];
    const last = path[0] === 'items' ? String(path[2] ?? 'name') : String(path[0] ?? '');
    return { path: PROTOCOL_TO_OURS[last] ?? last, message: issue?.message ?? 'invalid' };
  }
  if (region === 'kz' && !(KZ_TAXES as readonly string[]).includes(String(fields.tax ?? 'none'))) {
    return { path: 'tax', message: `"${String(fields.tax)}" is a Russian VAT code; a Kazakh shop uses ${KZ_TAXES.join(', ')}` };
  }
  return undefined;
}

/** The checked fiscal fields of a product or order item ('tax' defaults to none), or what is wrong with them. */
export function fiscalFields(name: string, input: FiscalInput, region: 'kz' | 'ru'): { fields: FiscalFields } | { problem: FieldProblem } {
  const problem = checkReceiptFields(name, input, region);
  if (problem !== undefined) return { problem };
  // checked just above against the protocol's enums
  const fields = {
    tax: input.tax ?? 'none',
    ...(input.paymentMethod !== undefined && { paymentMethod: input.paymentMethod }),
    ...(input.paymentObject !== undefined && { paymentObject: input.paymentObject }),
    ...(input.nomenclatureCode !== undefined && { nomenclatureCode: input.nomenclatureCode }),
  } as FiscalFields;
  return { fields };
}
