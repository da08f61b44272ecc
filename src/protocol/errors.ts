// One error type for the whole protocol core. Every message names the field and says what to check;
// callers may show it to a merchant or log it, so it must never carry a password.

export type RobokassaErrorCode =
  | 'invalid_field'
  | 'invalid_amount'
  | 'receipt_total_mismatch'
  | 'signature_mismatch'
  | 'missing_field'
  | 'unknown_algorithm'
  | 'invalid_xml';

export class RobokassaError extends Error {
  readonly code: RobokassaErrorCode;
  readonly field?: string;

  constructor(code: RobokassaErrorCode, message: string, field?: string) {
    super(message);
    this.name = 'RobokassaError';
    this.code = code;
    if (field !== undefined) this.field = field;
  }
}

/** Shows a received value in a message without letting a huge or multi-line input flood logs. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') {
    const shown = value.length > 40 ? `${value.slice(0, 40)}…` : value;
    return JSON.stringify(shown);
  }
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  return Array.isArray(value) ? 'an array' : 'an object';
}
