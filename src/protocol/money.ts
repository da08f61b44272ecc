// Amounts are decimal strings and all arithmetic is done on BigInt minor units (kopecks / tiyn):
// a float never touches money. What Robokassa sends back ("100.000000") is compared exactly and
// never re-formatted, because the signature covers the string as received.
import { RobokassaError, describeValue } from './errors.js';

/** Largest number of integer digits we accept in OutSum (same bound as the HTTP contract's MoneyString). */
const MAX_INTEGER_DIGITS = 12;

interface Decimal {
  /** The digits without the point, as an integer. */
  units: bigint;
  /** Number of digits after the point. */
  scale: number;
}

const DECIMAL = /^(0|[1-9]\d*)(?:\.(\d+))?$/;

/** Parses a plain non-negative decimal ("100", "100.5", "100.000000"); undefined if it is not one. */
function parseDecimal(text: string): Decimal | undefined {
  const match = DECIMAL.exec(text);
  if (!match) return undefined;
  const fraction = match[2] ?? '';
  return { units: BigInt(`${match[1]}${fraction}`), scale: fraction.length };
}

function rescale(d: Decimal, scale: number): bigint {
  return d.units * 10n ** BigInt(scale - d.scale);
}

/** Minor units (two decimals) to the canonical string: 150000n -> "1500.00". */
export function formatMinorUnits(minor: bigint): string {
  if (minor < 0n) throw new RobokassaError('invalid_amount', `amount: ${minor} minor units is negative`, 'amount');
  const text = minor.toString().padStart(3, '0');
  return `${text.slice(0, -2)}.${text.slice(-2)}`;
}

/** Canonical or plain decimal with at most two decimals -> minor units. Throws naming `field`. */
export function toMinorUnits(amount: string, field = 'amount'): bigint {
  const d = parseDecimal(amount);
  if (!d || d.scale > 2) {
    throw new RobokassaError('invalid_amount', `${field}: ${describeValue(amount)} is not an amount with at most two decimals, like "1500.00"`, field);
  }
  return rescale(d, 2);
}

/**
 * Why `input` is not an acceptable outgoing amount, or undefined when it is. Accepts a string, or a
 * number only when its plain decimal text is unambiguous (1e21 prints as "1e+21" and is refused).
 */
export function amountProblem(input: unknown): string | undefined {
  let text: string;
  if (typeof input === 'string') text = input;
  else if (typeof input === 'number') {
    if (!Number.isFinite(input)) return 'is not a finite number';
    text = String(input);
  } else {
    return 'must be a decimal string like "1500.00"';
  }
  if (/\s/.test(text)) return 'must not contain spaces';
  if (text.startsWith('-')) return 'must be greater than 0';
  if (/[eE]/.test(text)) return 'must be written as a plain decimal, without an exponent';
  if (text.includes(',')) return 'must use "." as the decimal separator';
  const d = parseDecimal(text);
  if (!d) return 'is not a decimal amount like "1500.00"';
  if (d.scale > 2) return 'has more than two decimals; Robokassa takes amounts to the kopeck/tiyn';
  const integerDigits = text.split('.')[0]?.length ?? 0;
  if (integerDigits > MAX_INTEGER_DIGITS) return `is too large (at most ${MAX_INTEGER_DIGITS} integer digits)`;
  if (d.units === 0n) return 'must be greater than 0';
  return undefined;
}

/** Validates an outgoing amount and returns it with exactly two decimals ("1500" -> "1500.00"). */
export function parseAmount(input: unknown, field = 'OutSum'): string {
  const problem = amountProblem(input);
  if (problem !== undefined) {
    throw new RobokassaError('invalid_amount', `${field}: ${describeValue(input)} ${problem}`, field);
  }
  return formatMinorUnits(toMinorUnits(String(input), field));
}

/**
 * price x quantity, exactly. Quantity may be fractional (weight goods, up to 6 decimals); the result
 * must come out in whole minor units, otherwise it is refused rather than rounded.
 */
export function multiplyAmount(price: string, quantity: number): string {
  const minor = toMinorUnits(price, 'price');
  const qText = String(quantity);
  const q = Number.isFinite(quantity) && quantity > 0 ? parseDecimal(qText) : undefined;
  if (!q || q.scale > 6) {
    throw new RobokassaError('invalid_field', `quantity: ${describeValue(quantity)} must be a positive number with at most 6 decimals`, 'quantity');
  }
  const product = minor * q.units;
  const divisor = 10n ** BigInt(q.scale);
  if (product % divisor !== 0n) {
    throw new RobokassaError('invalid_amount', `sum: ${price} x ${qText} is not a whole number of kopecks/tiyn; give the item sum explicitly`, 'sum');
  }
  return formatMinorUnits(product / divisor);
}

/** Sum of amounts with at most two decimals each; returns the canonical two-decimal string. */
export function sumAmounts(amounts: readonly string[]): string {
  let total = 0n;
  amounts.forEach((amount, i) => {
    total += toMinorUnits(amount, `amounts[${i}]`);
  });
  return formatMinorUnits(total);
}

/** Exact decimal equality at any scale: "100.000000" equals "100.00"; false for anything not a decimal. */
export function amountsEqual(a: string, b: string): boolean {
  const x = typeof a === 'string' ? parseDecimal(a) : undefined;
  const y = typeof b === 'string' ? parseDecimal(b) : undefined;
  if (!x || !y) return false;
  const scale = Math.max(x.scale, y.scale);
  return rescale(x, scale) === rescale(y, scale);
}

/** The JSON number token for an amount, written from the decimal text: "1500.00" -> 1500, "301.50" -> 301.5. */
export function amountJsonToken(amount: string): string {
  const [whole = '0', fraction = ''] = formatMinorUnits(toMinorUnits(amount, 'sum')).split('.');
  const trimmed = fraction.replace(/0+$/, '');
  return trimmed === '' ? whole : `${whole}.${trimmed}`;
}
