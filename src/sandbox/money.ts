// Amount helpers of the sandbox. OutSum is kept as the string the shop signed; these only re-format
// it for callbacks (six decimals, as Robokassa sends) and for display. No float arithmetic.
import type { Culture } from './store.js';

/** A positive decimal with at most 12 integer digits and 6 decimals, as Robokassa accepts OutSum. */
const OUT_SUM = /^(0|[1-9]\d{0,11})(?:\.(\d{1,6}))?$/;

export function isValidOutSum(text: string): boolean {
  const m = OUT_SUM.exec(text);
  if (!m) return false;
  return /[1-9]/.test(`${m[1]}${m[2] ?? ''}`);
}

/** Micro-units (6 decimals) of a valid OutSum. */
function toMicro(text: string): bigint {
  const [int = '0', frac = ''] = text.split('.');
  return BigInt(int + frac.padEnd(6, '0'));
}

function formatMicro(micro: bigint): string {
  const s = micro.toString().padStart(7, '0');
  return `${s.slice(0, -6)}.${s.slice(-6)}`;
}

/** "1500" / "1500.00" -> "1500.000000", as Robokassa writes OutSum in its callbacks. */
export function sixDecimals(outSum: string): string {
  return formatMicro(toMicro(outSum));
}

/**
 * The sandbox's commission, for realism: 3.9 % of OutSum rounded half up to the kopeck/tiyn,
 * written with six decimals like OutSum.
 */
export function sandboxFee(outSum: string): string {
  const cents = (toMicro(outSum) * 39n + 5_000_000n) / 10_000_000n; // micro * 0.039 / 10_000 -> cents, half up
  return formatMicro(cents * 10_000n);
}

type NumberFormatOptionsWithZeros = Intl.NumberFormatOptions & { trailingZeroDisplay?: 'auto' | 'stripIfInteger' };

/** Intl money, e.g. ru KZT "1 500 ₸", en KZT "₸1,500", ru RUB "1 500,50 ₽". */
export function formatAmount(amount: string, currency: string, culture: Culture): string {
  const locale = culture === 'ru' ? (currency === 'RUB' ? 'ru-RU' : 'ru-KZ') : 'en';
  const options: NumberFormatOptionsWithZeros = {
    style: 'currency',
    currency,
    currencyDisplay: 'narrowSymbol',
    trailingZeroDisplay: 'stripIfInteger',
  };
  // Intl.NumberFormat v3 (Node 20) formats a decimal string exactly, with no float rounding; the
  // ES2022 lib types only know number | bigint.
  const formatter = new Intl.NumberFormat(locale, options) as unknown as { format(value: string): string };
  return formatter.format(amount);
}
