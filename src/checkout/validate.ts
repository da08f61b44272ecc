// Checks the backend's answers against the HTTP contract (src/protocol/contract.ts).
// The contract is written with zod/mini, but zod would add about 9 KB gzip to a 16 KB budget
// (measured), so the element mirrors those schemas here in a few hundred bytes.
// test/checkout/validate.test.ts runs the same samples through both and demands the same verdicts.
import type {
  CheckoutResponse, OrderResponse, PaymentStatusResponse, ProductResponse, ReturnMessage, ApiError,
} from '../protocol/contract.js';
import { RETURN_MESSAGE_TYPE } from './constants.js';

/** Returns undefined when the value fits, else the path of the first misfit ("" for the value itself). */
type Check = (value: unknown) => string | undefined;

const OK = undefined;
const test = (ok: boolean): string | undefined => (ok ? OK : '');

const string = (min = 0, max = Infinity): Check => (v) => test(typeof v === 'string' && v.length >= min && v.length <= max);
const pattern = (re: RegExp): Check => (v) => test(typeof v === 'string' && re.test(v));
const oneOf = (...values: unknown[]): Check => (v) => test(values.includes(v));
const boolean: Check = (v) => test(typeof v === 'boolean');
const positiveInt: Check = (v) => test(Number.isSafeInteger(v) && (v as number) > 0);
const nullable = (check: Check): Check => (v) => (v === null ? OK : check(v));
const optional = (check: Check): Check => (v) => (v === undefined ? OK : check(v));
const httpUrl: Check = (v) => {
  try {
    return test(typeof v === 'string' && /^https?:$/.test(new URL(v).protocol));
  } catch {
    return '';
  }
};
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const object = (shape: Record<string, Check>): Check => (v) => {
  if (!isRecord(v)) return '';
  for (const key in shape) {
    const bad = shape[key](v[key]);
    if (bad !== OK) return bad ? `${key}.${bad}` : key;
  }
  return OK;
};
const every = (check: Check, list: (v: unknown) => unknown[] | undefined): Check => (v) => {
  const items = list(v);
  if (!items) return '';
  for (const [i, item] of items.entries()) {
    const bad = check(item);
    if (bad !== OK) return bad ? `${i}.${bad}` : `${i}`;
  }
  return OK;
};

const money = pattern(/^(0|[1-9]\d{0,11})\.\d{2}$/);
const currency = oneOf('KZT', 'RUB', 'USD', 'EUR');
const identifier = pattern(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/);

const checks = {
  checkout: object({
    id: string(16, 64),
    invoiceId: positiveInt,
    url: httpUrl,
    form: object({
      action: httpUrl,
      fields: every(string(), (v) => (isRecord(v) ? Object.values(v) : undefined)),
    }),
    amount: money,
    currency,
    description: string(),
    test: boolean,
  }),
  product: object({ sku: identifier, name: string(), price: money, currency, test: boolean }),
  order: object({
    orderId: identifier, description: string(), amount: money, currency, status: oneOf('open', 'paid'), test: boolean,
  }),
  payment: object({
    id: string(),
    invoiceId: positiveInt,
    status: oneOf('pending', 'paid', 'failed', 'cancelled'),
    amount: money,
    currency,
    paidAt: nullable(string()),
  }),
  error: object({
    error: object({
      code: string(),
      message: string(),
      issues: optional(every(object({ path: string(), message: string() }), (v) => (Array.isArray(v) ? v : undefined))),
    }),
  }),
  return: object({
    type: oneOf(RETURN_MESSAGE_TYPE),
    id: string(),
    invoiceId: positiveInt,
    outcome: oneOf('success', 'fail'),
  }),
};

export interface Shapes {
  checkout: CheckoutResponse;
  product: ProductResponse;
  order: OrderResponse;
  payment: PaymentStatusResponse;
  error: ApiError;
  return: ReturnMessage;
}
export type ShapeName = keyof Shapes;

/** The path of the first field that breaks the contract, or undefined when the value fits it. */
export function misfit(name: ShapeName, value: unknown): string | undefined {
  return checks[name](value);
}

/** Type guard form of {@link misfit}. */
export function fits<N extends ShapeName>(name: N, value: unknown): value is Shapes[N] {
  return misfit(name, value) === OK;
}
