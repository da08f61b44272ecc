// Schemas for what goes to Robokassa and what comes back. Written with zod/mini (like contract.ts) so
// that importing the protocol from the browser never drags in full zod. Every check carries a message
// that reads well after the field name; toRobokassaError turns the first zod issue into one
// RobokassaError naming the field the way Robokassa names it (OutSum, InvId, Shp_…, Receipt.items[0].sum).
import * as z from 'zod/mini';
import { RobokassaError, describeValue, type RobokassaErrorCode } from './errors.js';
import { HASH_ALGORITHMS } from './hash.js';
import { amountProblem } from './money.js';

export const INT32_MAX = 2147483647;

/** Russian VAT codes (docs list plus vat22/vat122 offered by the official module since 2026). */
export const RU_TAXES = ['none', 'vat0', 'vat5', 'vat7', 'vat10', 'vat20', 'vat22', 'vat105', 'vat107', 'vat110', 'vat120', 'vat122'] as const;
/** Kazakh VAT codes (official WordPress module). */
export const KZ_TAXES = ['none', 'vat0', 'vat5', 'vat12', 'vat16'] as const;
export type RuTax = (typeof RU_TAXES)[number];
export type KzTax = (typeof KZ_TAXES)[number];
const ALL_TAXES = [...new Set<RuTax | KzTax>([...RU_TAXES, ...KZ_TAXES])] as [RuTax | KzTax, ...(RuTax | KzTax)[]];

export const SNO_VALUES = ['osn', 'usn_income', 'usn_income_outcome', 'esn', 'patent'] as const;
export type Sno = (typeof SNO_VALUES)[number];
export const PAYMENT_METHODS = ['full_prepayment', 'prepayment', 'advance', 'full_payment', 'partial_payment', 'credit', 'credit_payment'] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];
export const PAYMENT_OBJECTS = [
  'commodity', 'excise', 'job', 'service', 'gambling_bet', 'gambling_prize', 'lottery', 'lottery_prize',
  'intellectual_activity', 'payment', 'agent_commission', 'composite', 'resort_fee', 'another', 'property_right',
  'non-operating_gain', 'insurance_premium', 'sales_tax',
] as const;
export type PaymentObject = (typeof PAYMENT_OBJECTS)[number];

/** Custom parameter names we send: one prefix and lowercase ASCII, so every library sorts them alike. */
export const SHP_NAME = /^Shp_[a-z0-9_]+$/;
export const NO_CONTROL_CHARS = /^[^\p{Cc}]*$/u;
export const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

function oneOf(values: readonly string[]): string {
  return `must be one of ${values.join(', ')}`;
}

// ── Merchant settings ────────────────────────────────────────────────────────────────────────────

export const MerchantSettings = z.object({
  merchantLogin: z.string({ error: 'is required: the shop identifier from the Robokassa cabinet' }).check(
    z.regex(/^[A-Za-z0-9._-]{1,64}$/, 'must be the shop identifier from the Robokassa cabinet (1–64 letters, digits, ".", "_" or "-")'),
  ),
  hashAlgorithm: z.enum(HASH_ALGORITHMS, { error: `${oneOf(HASH_ALGORITHMS)} — the one chosen in the Robokassa cabinet's technical settings` }),
  region: z.enum(['kz', 'ru'], { error: 'must be "kz" (auth.robokassa.kz) or "ru" (auth.robokassa.ru)' }),
  test: z.boolean({ error: 'must be true or false' }),
  /** Overrides the payment page address (the local sandbox, a proxy). */
  paymentUrl: z.optional(z.url({ protocol: /^https?$/, error: 'must be an http(s) URL of the payment page' })),
});
export type MerchantSettings = z.infer<typeof MerchantSettings>;

// ── Receipt (fiscalisation) ──────────────────────────────────────────────────────────────────────

/** Item sum: decimal string, at most 8 integer digits and 2 decimals (docs), zero allowed for gifts. */
const ItemSum = z.string({ error: 'must be a decimal string like "1500.00"' }).check(
  z.regex(/^(0|[1-9]\d{0,7})(\.\d{1,2})?$/, 'must be a decimal string with at most 8 integer digits and 2 decimals, like "1500.00"'),
);

const Quantity = z.number({ error: 'must be a positive number' }).check(
  z.positive('must be a positive number'),
  z.refine((q) => /^\d+(\.\d{1,3})?$/.test(String(q)), 'must have at most 3 decimals'),
);

export const ReceiptItem = z.strictObject({
  name: z.string({ error: 'is required' }).check(
    z.minLength(1, 'must not be empty'),
    z.maxLength(128, 'must be at most 128 characters (Robokassa limit for a receipt line)'),
    z.regex(NO_CONTROL_CHARS, 'must not contain control characters or line breaks'),
  ),
  quantity: Quantity,
  sum: ItemSum,
  tax: z.enum(ALL_TAXES, { error: `${oneOf(ALL_TAXES)} (Russian set: ${RU_TAXES.join(', ')}; Kazakh set: ${KZ_TAXES.join(', ')})` }),
  payment_method: z.optional(z.enum(PAYMENT_METHODS, { error: oneOf(PAYMENT_METHODS) })),
  payment_object: z.optional(z.enum(PAYMENT_OBJECTS, { error: oneOf(PAYMENT_OBJECTS) })),
  nomenclature_code: z.optional(z.string().check(z.minLength(1, 'must not be empty'), z.maxLength(256, 'must be at most 256 characters'))),
});
export type ReceiptItem = z.infer<typeof ReceiptItem>;

export const Receipt = z.strictObject({
  sno: z.optional(z.enum(SNO_VALUES, { error: oneOf(SNO_VALUES) })),
  items: z.array(ReceiptItem, { error: 'must be a list of receipt lines' }).check(
    z.minLength(1, 'must contain at least one line'),
    z.maxLength(100, 'must contain at most 100 lines'),
  ),
});
export type Receipt = z.infer<typeof Receipt>;

// ── Payment request ──────────────────────────────────────────────────────────────────────────────

const OutSum = z.string({ error: 'must be a decimal string like "1500.00"' }).check((ctx) => {
  const problem = amountProblem(ctx.value);
  if (problem !== undefined) {
    ctx.issues.push({ code: 'custom', message: `${describeValue(ctx.value)} ${problem}`, input: ctx.value, params: { robokassaCode: 'invalid_amount' } });
  }
});

const INV_ID_RULE = `must be a whole number from 1 to ${INT32_MAX} (the invoice number your store allocated)`;

export const ShpParams = z.record(z.string(), z.string({ error: 'value must be a string' })).check((ctx) => {
  for (const [name, value] of Object.entries(ctx.value)) {
    if (!SHP_NAME.test(name)) {
      ctx.issues.push({
        code: 'custom', input: name, path: [name],
        message: `custom parameter name ${describeValue(name)} must be "Shp_" followed by lowercase latin letters, digits or "_"`,
      });
    } else if (!PRINTABLE_ASCII.test(value)) {
      ctx.issues.push({
        code: 'custom', input: value, path: [name],
        message: 'value must be printable ASCII (Robokassa needs other characters URL-encoded in a way libraries disagree on; encode an id instead)',
      });
    } else if (value.length > 500) {
      ctx.issues.push({ code: 'custom', input: value, path: [name], message: 'value must be at most 500 characters' });
    }
  }
  const names = Object.keys(ctx.value).sort(compareCodeUnits);
  const pairs = Object.entries(ctx.value).map(([k, v]) => `${k}=${v}`).sort(compareCodeUnits);
  const ambiguous = names.find((name, i) => !pairs[i]?.startsWith(`${name}=`));
  if (ambiguous !== undefined) {
    ctx.issues.push({
      code: 'custom', input: ambiguous, path: [ambiguous],
      message: 'sorts differently by name and by name=value next to a similar name (e.g. Shp_a and Shp_a1); rename one so every library signs the same order',
    });
  }
});

/** Sorting by UTF-16 code units = byte order for ASCII, as PHP sort() in Robokassa's official SDK. */
export function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

const PaymentRequestShape = {
  outSum: OutSum,
  invId: z.int({ error: INV_ID_RULE }).check(z.gte(1, INV_ID_RULE), z.lte(INT32_MAX, INV_ID_RULE)),
  description: z.string({ error: 'must be a string (what the buyer pays for)' }).check(
    z.maxLength(100, 'must be at most 100 characters (Robokassa limit)'),
    z.regex(NO_CONTROL_CHARS, 'must not contain control characters or line breaks'),
  ),
  culture: z.optional(z.enum(['ru', 'en'], { error: 'must be "ru" or "en"' })),
  email: z.optional(z.email({ error: 'must be an e-mail address' })),
  expirationDate: z.optional(z.string().check(
    z.regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|[+-]\d{2}:\d{2})?$/, 'must be an ISO 8601 date-time like 2029-01-16T12:00:00+03:00'),
  )),
  outSumCurrency: z.optional(z.enum(['USD', 'EUR', 'KZT'], { error: 'must be USD, EUR or KZT' })),
  userIp: z.optional(z.union([z.ipv4(), z.ipv6()], { error: 'must be the buyer\'s IPv4 or IPv6 address' })),
  incCurrLabel: z.optional(z.string().check(z.regex(/^[A-Za-z0-9_.-]{1,64}$/, 'must be a payment method alias from GetCurrencies (letters, digits, "_", "-", ".")'))),
  shp: z.optional(ShpParams),
  receipt: z.optional(Receipt),
};

export const PaymentRequest = z.strictObject(PaymentRequestShape);
export type PaymentRequest = z.infer<typeof PaymentRequest>;

/** Same as PaymentRequest but InvId may be left out (Robokassa then assigns one; signed as an empty field). */
export const DraftPaymentRequest = z.strictObject({ ...PaymentRequestShape, invId: z.optional(PaymentRequestShape.invId) });
export type DraftPaymentRequest = z.infer<typeof DraftPaymentRequest>;

// ── Notifications (what Robokassa sends back; strings exactly as received) ───────────────────────

const ReceivedAmount = z.string({ error: 'is required' }).check(z.regex(/^\d+(\.\d+)?$/, 'must be a decimal amount as Robokassa sends it, like 100.000000'));
const ReceivedInvId = z.string({ error: 'is required' }).check(z.regex(/^[1-9]\d*$/, 'must be a positive whole number'));
const ReceivedSignature = z.string({ error: 'is required' }).check(z.regex(/^[0-9A-Fa-f]+$/, 'must be a hex digest'));

/** ResultURL (server to server, signed with Password #2). Shp_* and other extra fields pass through. */
export const ResultNotification = z.looseObject({
  OutSum: ReceivedAmount,
  InvId: ReceivedInvId,
  SignatureValue: ReceivedSignature,
  Fee: z.optional(z.string()),
  EMail: z.optional(z.string()),
  PaymentMethod: z.optional(z.string()),
  IncCurrLabel: z.optional(z.string()),
  IncSum: z.optional(z.string()),
  IsTest: z.optional(z.string()),
  Culture: z.optional(z.string()),
});
export type ResultNotification = z.infer<typeof ResultNotification>;

/** SuccessURL (buyer's browser, signed with Password #1). */
export const SuccessNotification = z.looseObject({
  OutSum: ReceivedAmount,
  InvId: ReceivedInvId,
  SignatureValue: ReceivedSignature,
  Culture: z.optional(z.string()),
  IsTest: z.optional(z.string()),
});
export type SuccessNotification = z.infer<typeof SuccessNotification>;

/** FailURL (buyer's browser, no signature: anyone can call it). */
export const FailNotification = z.looseObject({
  OutSum: ReceivedAmount,
  InvId: ReceivedInvId,
  Culture: z.optional(z.string()),
  IsTest: z.optional(z.string()),
});
export type FailNotification = z.infer<typeof FailNotification>;

// ── zod issues -> RobokassaError ─────────────────────────────────────────────────────────────────

const FIELD_NAMES: Record<string, string> = {
  outSum: 'OutSum', invId: 'InvId', description: 'Description', culture: 'Culture', email: 'Email',
  expirationDate: 'ExpirationDate', outSumCurrency: 'OutSumCurrency', userIp: 'UserIp',
  incCurrLabel: 'IncCurrLabel', receipt: 'Receipt', merchantLogin: 'MerchantLogin',
};

/** ['receipt','items',0,'name'] -> "Receipt.items[0].name"; ['shp','Shp_x'] -> "Shp_x". */
export function fieldName(path: readonly PropertyKey[], prefix?: string): string {
  const [first, ...rest] = path;
  let name = prefix ?? '';
  if (first === 'shp' && rest.length > 0 && prefix === undefined) {
    return String(rest[0]);
  }
  if (first !== undefined) {
    const head = typeof first === 'string' ? (FIELD_NAMES[first] ?? first) : `[${String(first)}]`;
    name = name === '' ? head : `${name}.${head}`;
  }
  for (const part of rest) name += typeof part === 'number' ? `[${part}]` : `.${String(part)}`;
  return name === '' ? (prefix ?? 'input') : name;
}

/** The value at `path` inside `input`, to tell a missing field from a wrong one (zod omits inputs from issues). */
function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

export function toRobokassaError(error: z.core.$ZodError, input?: unknown, prefix?: string): RobokassaError {
  const issue = error.issues[0];
  if (!issue) return new RobokassaError('invalid_field', `${prefix ?? 'input'}: invalid`, prefix ?? 'input');
  if (issue.code === 'unrecognized_keys') {
    const field = fieldName([...issue.path, issue.keys[0] ?? ''], prefix);
    return new RobokassaError('invalid_field', `${field}: unknown field; check its spelling (known fields are listed in the protocol docs)`, field);
  }
  const field = fieldName(issue.path, prefix);
  const params = issue.code === 'custom' ? (issue.params as { robokassaCode?: RobokassaErrorCode } | undefined) : undefined;
  let code: RobokassaErrorCode = params?.robokassaCode ?? 'invalid_field';
  const value = valueAt(input, issue.path);
  if (value === undefined && issue.code === 'invalid_type') {
    const message = issue.message.startsWith('is required') ? issue.message : `is required; it ${issue.message}`;
    return new RobokassaError('missing_field', `${field}: ${message}`, field);
  }
  if (field === 'hashAlgorithm') code = 'unknown_algorithm';
  if (field === 'OutSum' || /\.sum$/.test(field)) code = code === 'invalid_field' ? 'invalid_amount' : code;
  // Show the offending value when the message is a rule ("must …"); custom messages already quote it.
  const shown = issue.message.startsWith('must') && (typeof value !== 'object' || value === null) ? `${describeValue(value)} ` : '';
  return new RobokassaError(code, `${field}: ${shown}${issue.message}`, field);
}

function parseWith<T>(schema: z.ZodMiniType<T>, input: unknown, prefix?: string): T {
  const result = z.safeParse(schema, input);
  if (!result.success) throw toRobokassaError(result.error, input, prefix);
  return result.data;
}

export function parseMerchantSettings(input: unknown): MerchantSettings {
  return parseWith(MerchantSettings, input);
}
export function parseReceipt(input: unknown): Receipt {
  return parseWith(Receipt, input, 'Receipt');
}
export function parsePaymentRequest(input: unknown): PaymentRequest {
  return parseWith(PaymentRequest, input);
}
export function parseDraftPaymentRequest(input: unknown): DraftPaymentRequest {
  return parseWith(DraftPaymentRequest, input);
}
