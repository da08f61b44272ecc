// The shop's catalog file (DESIGN.md "The catalog"): the only source of prices for POST /checkout
// with SKUs. Validated once at start; a bad file stops the server with the JSON path of the problem.
import * as z from 'zod/mini';
import { en } from 'zod/locales';
import { Currency, Identifier } from '../protocol/contract.js';
import { parseAmount, RobokassaError } from '../protocol/index.js';
import { checkReceiptFields, fiscalFields, type FiscalFields, type ReceiptSettings } from './receipt.js';

const CatalogProductInput = z.strictObject({
  sku: Identifier,
  // Robokassa caps a receipt item name at 128 characters; the same name goes on the receipt
  name: z.string().check(z.minLength(1), z.maxLength(128)),
  price: z.string(),
  currency: Currency,
  tax: z.optional(z.string()),
  paymentMethod: z.optional(z.string()),
  paymentObject: z.optional(z.string()),
  nomenclatureCode: z.optional(z.string()),
});

const CatalogFileInput = z.strictObject({
  receipt: z.optional(z.strictObject({ sno: z.optional(z.string()) })),
  products: z.array(CatalogProductInput),
});

export interface Product extends FiscalFields {
  sku: string;
  name: string;
  /** canonical two-decimal string */
  price: string;
  currency: Currency;
}

export interface Catalog {
  /** present: a fiscal Receipt goes with every payment */
  receipt?: ReceiptSettings;
  products: ReadonlyMap<string, Product>;
}

export const EMPTY_CATALOG: Catalog = { products: new Map() };

export class CatalogError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CatalogError';
  }
}

/** The currency Robokassa settles in for a region; OutSum is always in it. */
export function regionCurrency(region: 'kz' | 'ru'): Currency {
  return region === 'kz' ? 'KZT' : 'RUB';
}

/**
 * Validates a parsed catalog JSON value. Every product must be priced in the region's currency,
 * because OutSum (and the amount ResultURL reports) is in that currency.
 */
export function parseCatalog(value: unknown, region: 'kz' | 'ru'): Catalog {
  const parsed = z.safeParse(CatalogFileInput, value, { error: en().localeError });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue ? issue.path.join('.') : '';
    throw new CatalogError(`${path === '' ? '(top level)' : path}: ${issue?.message ?? 'invalid'}`);
  }
  const file = parsed.data;
  const receipt: ReceiptSettings | undefined = file.receipt === undefined ? undefined : checkReceiptSettings(file.receipt, region);
  const products = new Map<string, Product>();
  file.products.forEach((p, i) => {
    const at = `products.${i}`;
    if (products.has(p.sku)) throw new CatalogError(`${at}.sku: "${p.sku}" appears twice`);
    let price: string;
    try {
      price = parseAmount(p.price, `${at}.price`);
    } catch (err) {
      throw new CatalogError(err instanceof RobokassaError ? err.message : `${at}.price: invalid`);
    }
    const currency = regionCurrency(region);
    if (p.currency !== currency) {
      throw new CatalogError(`${at}.currency: "${p.currency}" — a shop in region ${region} is paid in ${currency}`);
    }
    const fiscal = fiscalFields(p.name, p, region);
    if ('problem' in fiscal) throw new CatalogError(`${at}.${fiscal.problem.path}: ${fiscal.problem.message}`);
    products.set(p.sku, { sku: p.sku, name: p.name, price, currency, ...fiscal.fields });
  });
  return receipt === undefined ? { products } : { receipt, products };
}

function checkReceiptSettings(input: { sno?: string | undefined }, region: 'kz' | 'ru'): ReceiptSettings {
  const problem = checkReceiptFields('x', { tax: 'none' }, region, input.sno);
  if (problem !== undefined) throw new CatalogError(`receipt.${problem.path}: ${problem.message}`);
  return input.sno === undefined ? {} : { sno: input.sno as NonNullable<ReceiptSettings['sno']> };
}
