// The card rules of the sandbox: field checks (Luhn, expiry, CVV2/CVC2, e-mail) and the test cards
// of DESIGN.md with their outcomes. Pure: no I/O, the clock is passed in.

export type RefusalReason = 'insufficient_funds' | 'card_details' | 'internet_payments_disabled' | 'daily_limit' | 'wrong_3ds_code';

/** What the sandbox does with a card once the form is valid. */
export type CardScenario =
  | { kind: 'paid' }
  | { kind: 'three_ds'; code: '1234' }
  | { kind: 'three_ds_no_code' }
  | { kind: 'refused'; reason: RefusalReason };

export interface TestCard {
  number: string; // digits only
  scenario: CardScenario;
}

/** DESIGN.md "The sandbox's test cards". Any other card that passes Luhn is paid at once. */
export const TEST_CARDS: readonly TestCard[] = [
  { number: '4111111111111111', scenario: { kind: 'paid' } },
  { number: '5555555555554444', scenario: { kind: 'three_ds', code: '1234' } },
  { number: '4000000000009995', scenario: { kind: 'refused', reason: 'insufficient_funds' } },
  { number: '4000000000000069', scenario: { kind: 'refused', reason: 'card_details' } },
  { number: '4000000000000127', scenario: { kind: 'refused', reason: 'internet_payments_disabled' } },
  { number: '4000000000000002', scenario: { kind: 'refused', reason: 'daily_limit' } },
  { number: '5105105105105100', scenario: { kind: 'three_ds_no_code' } },
];

export function scenarioFor(digits: string): CardScenario {
  return TEST_CARDS.find((c) => c.number === digits)?.scenario ?? { kind: 'paid' };
}

/** "4111111111111111" -> "4111 1111 1111 1111" for display. */
export function groupDigits(digits: string): string {
  return digits.replace(/(\d{4})(?=\d)/g, '$1 ');
}

export function luhnValid(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

export type FieldError = 'required' | 'card_invalid' | 'expiry_format' | 'expiry_past' | 'cvc_format' | 'email_format';

export interface CardInput {
  cardNumber: string;
  expiry: string;
  cvc: string;
  email: string;
}

export interface CardCheck {
  /** Errors by field name; empty when the form is valid. */
  errors: Partial<Record<keyof CardInput, FieldError>>;
  digits: string;
  expiryMonth?: number;
  expiryYear?: number;
}

/** Spaces and dashes are what people type between groups; anything else makes the number invalid. */
export function cardDigits(input: string): string {
  return input.replace(/[\s-]/g, '');
}

const EMAIL = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:"]+$/;

export function checkCard(input: CardInput, now: Date): CardCheck {
  const errors: CardCheck['errors'] = {};
  const digits = cardDigits(input.cardNumber);
  if (digits === '') errors.cardNumber = 'required';
  else if (!/^\d{12,19}$/.test(digits) || !luhnValid(digits)) errors.cardNumber = 'card_invalid';

  let expiryMonth: number | undefined;
  let expiryYear: number | undefined;
  const expiry = input.expiry.trim();
  const m = /^(\d{1,2})\s*\/?\s*(\d{2})$/.exec(expiry);
  if (expiry === '') errors.expiry = 'required';
  else if (!m || Number(m[1]) < 1 || Number(m[1]) > 12) errors.expiry = 'expiry_format';
  else {
    expiryMonth = Number(m[1]);
    expiryYear = 2000 + Number(m[2]);
    // A card is valid through the last day of its expiry month (UTC, like the processors).
    const current = now.getUTCFullYear() * 12 + now.getUTCMonth();
    if (expiryYear * 12 + (expiryMonth - 1) < current) errors.expiry = 'expiry_past';
  }

  const cvc = input.cvc.trim();
  if (cvc === '') errors.cvc = 'required';
  else if (!/^\d{3}$/.test(cvc)) errors.cvc = 'cvc_format';

  const email = input.email.trim();
  if (email === '') errors.email = 'required';
  else if (email.length > 254 || !EMAIL.test(email)) errors.email = 'email_format';

  const check: CardCheck = { errors, digits };
  if (expiryMonth !== undefined) check.expiryMonth = expiryMonth;
  if (expiryYear !== undefined) check.expiryYear = expiryYear;
  return check;
}
