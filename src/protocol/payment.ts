// Building the payment request: the same signed field set as a GET link and as POST form fields.
import { RobokassaError } from './errors.js';
import { parseHashAlgorithm, type HashAlgorithm, type Hasher } from './hash.js';
import { amountJsonToken, amountProblem, amountsEqual, parseAmount, sumAmounts } from './money.js';
import * as z from 'zod/mini';
import {
  INT32_MAX, KZ_TAXES, NO_CONTROL_CHARS, PRINTABLE_ASCII, PaymentRequest, SHP_NAME, parseDraftPaymentRequest, parseMerchantSettings,
  parsePaymentRequest, parseReceipt,
  type DraftPaymentRequest, type MerchantSettings, type Receipt, type ReceiptItem,
} from './schemas.js';
import { PASSWORD_MASK, maskPassword, paymentSignatureBase, sortedShpPairs } from './signature.js';

/**
 * The Receipt JSON and its URL-encoded form (the one that is signed and sent in a POST field).
 * Written by hand in a fixed key order so that `sum` is a JSON number token taken from the decimal
 * string without float math. Choice: the shortest exact token — "1500.00" -> 1500, "301.50" -> 301.5 —
 * i.e. the same text JSON.stringify would give, so any re-serialisation of the parsed JSON is identical.
 */
export function encodeReceipt(receipt: Receipt): { json: string; encoded: string } {
  return encodeValidReceipt(parseReceipt(receipt)); // the sum tokens go into the JSON raw: they must be validated decimals
}

/** encodeReceipt for a receipt parseReceipt (or parsePaymentRequest) has already returned. */
function encodeValidReceipt(valid: Receipt): { json: string; encoded: string } {
  const items = valid.items.map(itemJson).join(',');
  const json = valid.sno === undefined ? `{"items":[${items}]}` : `{"sno":${JSON.stringify(valid.sno)},"items":[${items}]}`;
  return { json, encoded: encodeURIComponent(json) };
}

function itemJson(item: ReceiptItem): string {
  const parts = [
    `"name":${JSON.stringify(item.name)}`,
    `"quantity":${JSON.stringify(item.quantity)}`,
    `"sum":${amountJsonToken(item.sum)}`,
  ];
  if (item.payment_method !== undefined) parts.push(`"payment_method":${JSON.stringify(item.payment_method)}`);
  if (item.payment_object !== undefined) parts.push(`"payment_object":${JSON.stringify(item.payment_object)}`);
  parts.push(`"tax":${JSON.stringify(item.tax)}`);
  if (item.nomenclature_code !== undefined) parts.push(`"nomenclature_code":${JSON.stringify(item.nomenclature_code)}`);
  return `{${parts.join(',')}}`;
}

/** settings.paymentUrl, else https://auth.robokassa.{kz|ru}/Merchant/Index.aspx. */
export function paymentPageUrl(settings: MerchantSettings): string {
  return settings.paymentUrl ?? `https://auth.robokassa.${settings.region}/Merchant/Index.aspx`;
}

// A long value (the Receipt: hundreds of characters, the same for every payment of a cart, and encoded
// again for the GET link each time a link is built) keeps its last encoding
const LONG_VALUE = 64;
let lastLong = '';
let lastLongEncoded = '';
function encodeValue(value: string): string {
  if (value.length < LONG_VALUE) return encodeURIComponent(value);
  if (value !== lastLong) {
    lastLongEncoded = encodeURIComponent(value);
    lastLong = value;
  }
  return lastLongEncoded;
}

/** name=value pairs joined with &, each side encodeURIComponent-ed once (spaces as %20, not +). */
export function toQueryString(fields: Readonly<Record<string, string>>): string {
  let query = '';
  for (const k of Object.keys(fields)) query += `${query === '' ? '' : '&'}${encodeURIComponent(k)}=${encodeValue(fields[k]!)}`;
  return query;
}

export interface BuiltPaymentRequest {
  /** GET link (Receipt encoded once more on top of the signed form). */
  url: string;
  /** POST form: fields carry the signed values as they are. */
  form: { action: string; fields: Record<string, string> };
  signature: string;
  /** The signature base string with the password masked; safe to show and log. */
  maskedBase: string;
}

/**
 * A receipt validated, checked against the shop's country and encoded once (PaymentSigner.prepareReceipt),
 * to sign many payments with: a server selling the same cart again need not re-check the same lines.
 * Only the signer that made it accepts it; it can't be changed after it was checked (frozen).
 */
export interface PreparedReceipt {
  /** the Receipt form value (URL-encoded JSON), as signed and sent */
  readonly encoded: string;
  /** the lines' sums added up: OutSum must equal it */
  readonly total: string;
}

export interface BuildOptions {
  /** Leave InvId out (Robokassa assigns one; signed as an empty field). For tools only: a store always sends InvId. */
  allowMissingInvId?: boolean;
  /**
   * Sign and send this exact Receipt form value (already URL-encoded JSON) without checking its
   * contents. For debugging tools that reproduce a request byte for byte; a store passes request.receipt.
   */
  rawReceipt?: string;
  /**
   * The Receipt, prepared by this signer's prepareReceipt (instead of request.receipt). OutSum must
   * equal its total, as with a receipt object.
   */
  preparedReceipt?: PreparedReceipt;
}

/** Signs payment requests for one shop; see paymentSigner. */
export interface PaymentSigner {
  (request: PaymentRequest | DraftPaymentRequest, options?: BuildOptions): BuiltPaymentRequest;
  /** Validates, checks (country taxes) and encodes a receipt once, for options.preparedReceipt. */
  prepareReceipt(receipt: Receipt): PreparedReceipt;
}

/**
 * Validates and signs a payment request. Amounts go out with two decimals; receipt lines must add up
 * to OutSum exactly; Encoding=utf-8 always; IsTest=1 in test mode.
 */
export function buildPaymentRequest(
  settings: MerchantSettings,
  password1: string,
  request: PaymentRequest | DraftPaymentRequest,
  hash: Hasher,
  options: BuildOptions = {},
): BuiltPaymentRequest {
  return paymentSigner(settings, password1, hash)(request, options);
}

/**
 * buildPaymentRequest for one shop: the settings and the password are checked once, here (a server
 * signing every checkout need not re-validate constants per request); each call validates its request.
 */
export function paymentSigner(settings: MerchantSettings, password1: string, hash: Hasher): PaymentSigner {
  const shop = parseMerchantSettings(settings);
  const algorithm = parseHashAlgorithm(shop.hashAlgorithm);
  requirePassword(password1, 'password1', 'Password #1');
  const action = paymentPageUrl(shop);
  // what this signer's prepareReceipt made: nothing else passes for a checked receipt
  const prepared = new WeakSet<PreparedReceipt>();
  const sign = (request: PaymentRequest | DraftPaymentRequest, options: BuildOptions = {}): BuiltPaymentRequest => {
    if (options.preparedReceipt !== undefined && !prepared.has(options.preparedReceipt)) {
      throw new RobokassaError('invalid_field', 'Receipt: preparedReceipt must come from this signer\'s prepareReceipt', 'Receipt');
    }
    return signPayment(shop, algorithm, password1, hash, action, request, options);
  };
  return Object.assign(sign, {
    prepareReceipt(receipt: Receipt): PreparedReceipt {
      const valid = parseReceipt(receipt);
      const total = sumAmounts(valid.items.map((item) => item.sum));
      checkReceipt(valid, total, shop.region);
      const made = Object.freeze({ encoded: encodeValidReceipt(valid).encoded, total });
      prepared.add(made);
      return made;
    },
  });
}

function signPayment(
  shop: MerchantSettings,
  algorithm: HashAlgorithm,
  password1: string,
  hash: Hasher,
  action: string,
  request: PaymentRequest | DraftPaymentRequest,
  options: BuildOptions,
): BuiltPaymentRequest {
  const req = options.allowMissingInvId ? parseDraftPaymentRequest(request) : (plainPaymentRequest(request) ?? parsePaymentRequest(request));
  const outSum = parseAmount(req.outSum, 'OutSum');
  const invId = req.invId === undefined ? '' : String(req.invId);

  let receipt: string | undefined;
  if (options.preparedReceipt !== undefined) {
    if (req.receipt || options.rawReceipt !== undefined) {
      throw new RobokassaError('invalid_field', 'Receipt: give a prepared receipt alone, not with a receipt object or a raw Receipt value', 'Receipt');
    }
    // checked when prepared; only its total against this OutSum is left
    if (!amountsEqual(options.preparedReceipt.total, outSum)) throw totalMismatch(options.preparedReceipt.total, outSum);
    receipt = options.preparedReceipt.encoded;
  } else if (options.rawReceipt !== undefined) {
    if (req.receipt) throw new RobokassaError('invalid_field', 'Receipt: give either a receipt object or a raw Receipt value, not both', 'Receipt');
    if (options.rawReceipt === '' || /[^\x21-\x7e]/.test(options.rawReceipt)) {
      throw new RobokassaError('invalid_field', 'Receipt: a raw Receipt value must be non-empty URL-encoded JSON (printable ASCII, no spaces)', 'Receipt');
    }
    receipt = options.rawReceipt;
  } else if (req.receipt) {
    checkReceipt(req.receipt, outSum, shop.region);
    receipt = encodeValidReceipt(req.receipt).encoded; // parsed just above, with the request
  }

  const signed = {
    merchantLogin: shop.merchantLogin, outSum, invId,
    ...(req.outSumCurrency !== undefined && { outSumCurrency: req.outSumCurrency }),
    ...(req.userIp !== undefined && { userIp: req.userIp }),
    ...(receipt !== undefined && { receipt }),
    ...(req.shp !== undefined && { shp: req.shp }),
  };
  const signature = hash(algorithm, paymentSignatureBase({ ...signed, password1 }));

  const fields: Record<string, string> = { MerchantLogin: shop.merchantLogin, OutSum: outSum };
  if (invId !== '') fields['InvId'] = invId;
  if (req.description !== '') fields['Description'] = req.description;
  fields['SignatureValue'] = signature;
  if (req.outSumCurrency !== undefined) fields['OutSumCurrency'] = req.outSumCurrency;
  if (req.userIp !== undefined) fields['UserIp'] = req.userIp;
  if (receipt !== undefined) fields['Receipt'] = receipt;
  if (req.incCurrLabel !== undefined) fields['IncCurrLabel'] = req.incCurrLabel;
  if (req.culture !== undefined) fields['Culture'] = req.culture;
  if (req.email !== undefined) fields['Email'] = req.email;
  if (req.expirationDate !== undefined) fields['ExpirationDate'] = req.expirationDate;
  fields['Encoding'] = 'utf-8'; // the page otherwise assumes windows-1251
  if (shop.test) fields['IsTest'] = '1';
  for (const pair of sortedShpPairs(req.shp)) {
    const at = pair.indexOf('=');
    fields[pair.slice(0, at)] = pair.slice(at + 1);
  }

  const url = `${action}${action.includes('?') ? '&' : '?'}${toQueryString(fields)}`;
  return {
    url, form: { action, fields }, signature,
    // built when read: only tools show it, a server signing checkouts never does
    get maskedBase() { return maskPassword(paymentSignatureBase({ ...signed, password1: PASSWORD_MASK }), password1); },
  };
}

const PLAIN_KEYS = new Set(['outSum', 'invId', 'description', 'culture', 'email', 'shp']);
const EMAIL = PaymentRequest.def.shape.email;

/**
 * The request as parsePaymentRequest would return it, when it has the plain shape a store's checkout
 * sends (OutSum, InvId, Description, one Shp_ value, maybe Culture and Email) and every field passes
 * the schema's own rules, checked here by hand; undefined for anything else, which then goes through
 * zod (and its errors). zod spends most of a signature's validation on the Shp_ record; this is the
 * same check for one name. test/protocol/payment-plain.test.ts holds it to zod, case by case.
 */
export function plainPaymentRequest(input: unknown): PaymentRequest | undefined {
  if (typeof input !== 'object' || input === null || Object.getPrototypeOf(input) !== Object.prototype) return undefined;
  for (const key of Object.keys(input)) if (!PLAIN_KEYS.has(key)) return undefined;
  // each field read once: what is checked is what is signed
  const { outSum, invId, description, culture, email, shp } = input as Record<string, unknown>;
  if (typeof outSum !== 'string' || amountProblem(outSum) !== undefined) return undefined;
  if (typeof invId !== 'number' || !Number.isInteger(invId) || invId < 1 || invId > INT32_MAX) return undefined;
  if (typeof description !== 'string' || description.length > 100 || !NO_CONTROL_CHARS.test(description)) return undefined;
  const out: PaymentRequest = { outSum, invId, description };
  if ('culture' in input) {
    if (culture !== 'ru' && culture !== 'en') return undefined;
    out.culture = culture;
  }
  if ('email' in input) {
    if (typeof email !== 'string' || !z.safeParse(EMAIL, email).success) return undefined;
    out.email = email;
  }
  if ('shp' in input) {
    if (typeof shp !== 'object' || shp === null || Object.getPrototypeOf(shp) !== Object.prototype) return undefined;
    const names = Reflect.ownKeys(shp);
    const name = names[0];
    // two or more names: zod also checks that they sort alike by name and by name=value
    if (names.length !== 1 || typeof name !== 'string' || !SHP_NAME.test(name)) return undefined;
    const value = (shp as Record<string, unknown>)[name];
    if (typeof value !== 'string' || value.length > 500 || !PRINTABLE_ASCII.test(value)) return undefined;
    out.shp = { [name]: value };
  }
  return out;
}

/** Receipt lines must add up to OutSum to the kopeck, and taxes must belong to the shop's country. */
export function checkReceipt(receipt: Receipt, outSum: string, region?: 'kz' | 'ru'): void {
  const total = sumAmounts(receipt.items.map((item) => item.sum));
  if (!amountsEqual(total, outSum)) throw totalMismatch(total, outSum);
  if (region === 'kz') {
    receipt.items.forEach((item, i) => {
      if (!(KZ_TAXES as readonly string[]).includes(item.tax)) {
        const field = `Receipt.items[${i}].tax`;
        throw new RobokassaError('invalid_field', `${field}: "${item.tax}" is a Russian VAT code; a Kazakh shop uses ${KZ_TAXES.join(', ')}`, field);
      }
    });
  }
}

function totalMismatch(total: string, outSum: string): RobokassaError {
  return new RobokassaError(
    'receipt_total_mismatch',
    `Receipt: the items' "sum" values add up to ${total} but OutSum is ${outSum}; they must be equal exactly (sum is the line total after discounts)`,
    'Receipt',
  );
}

export function requirePassword(password: unknown, field: string, label: string): void {
  if (typeof password !== 'string' || password === '') {
    throw new RobokassaError('missing_field', `${field}: ${label} is empty; copy it from the Robokassa cabinet's technical settings`, field);
  }
}
