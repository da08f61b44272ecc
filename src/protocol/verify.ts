// ResultURL / SuccessURL / FailURL: parse the received parameters and verify the signature over the
// exact strings received (OutSum arrives as "100.000000" and must not be re-formatted).
import { RobokassaError, describeValue } from './errors.js';
import { parseHashAlgorithm, timingSafeEqualHex, type HashAlgorithm, type Hasher } from './hash.js';
import { requirePassword } from './payment.js';
import { callbackSignatureBase } from './signature.js';

export interface CallbackParams {
  outSum: string;
  invId: string;
  signature?: string;
  /** Every Shp_/SHP_/shp_ parameter, names and values as received. */
  shp: Record<string, string>;
  culture?: string;
  email?: string;
  fee?: string;
  paymentMethod?: string;
  incCurrLabel?: string;
  isTest?: boolean;
}

const SHP_PREFIX = /^shp_/i;
const RECEIVED_AMOUNT = /^\d+(\.\d+)?$/;
const RECEIVED_INV_ID = /^[1-9]\d*$/;

export function parseCallback(params: URLSearchParams | Record<string, string>): CallbackParams {
  const entries: [string, unknown][] = params instanceof URLSearchParams ? [...params.entries()] : Object.entries(params);
  const values = new Map<string, string>();
  for (const [name, value] of entries) {
    if (typeof value !== 'string') {
      throw new RobokassaError('invalid_field', `${name}: expected a string parameter, got ${describeValue(value)}`, name);
    }
    if (values.has(name)) {
      // Two OutSum (or two Shp_x) would let the signed and the used value differ.
      throw new RobokassaError('invalid_field', `${name}: sent more than once; Robokassa sends each parameter once`, name);
    }
    values.set(name, value);
  }

  const outSum = values.get('OutSum');
  if (outSum === undefined || outSum === '') {
    throw new RobokassaError('missing_field', 'OutSum: missing from the notification; check that the method (GET/POST) set for this URL in the Robokassa cabinet matches your handler', 'OutSum');
  }
  if (!RECEIVED_AMOUNT.test(outSum)) {
    throw new RobokassaError('invalid_amount', `OutSum: ${describeValue(outSum)} is not a decimal amount like 100.000000`, 'OutSum');
  }
  const invId = values.get('InvId');
  if (invId === undefined || invId === '') {
    throw new RobokassaError('missing_field', 'InvId: missing from the notification; send InvId with every payment request', 'InvId');
  }
  if (!RECEIVED_INV_ID.test(invId)) {
    throw new RobokassaError('invalid_field', `InvId: ${describeValue(invId)} is not a positive whole number`, 'InvId');
  }

  const shp: Record<string, string> = {};
  for (const [name, value] of values) if (SHP_PREFIX.test(name)) shp[name] = value;

  const result: CallbackParams = { outSum, invId, shp };
  const optional: [keyof CallbackParams, string | undefined][] = [
    ['signature', values.get('SignatureValue')],
    ['culture', values.get('Culture')],
    ['email', values.get('EMail') ?? values.get('Email')],
    ['fee', values.get('Fee')],
    ['paymentMethod', values.get('PaymentMethod')],
    ['incCurrLabel', values.get('IncCurrLabel')],
  ];
  for (const [key, value] of optional) if (value !== undefined) Object.assign(result, { [key]: value });
  const isTest = values.get('IsTest');
  if (isTest !== undefined) result.isTest = isTest === '1' || isTest.toLowerCase() === 'true';
  return result;
}

function verifyCallback(
  params: URLSearchParams | Record<string, string>, password: string, algorithm: HashAlgorithm, hash: Hasher,
  which: 'Password #1' | 'Password #2', url: string,
): CallbackParams {
  const alg = parseHashAlgorithm(algorithm);
  requirePassword(password, which === 'Password #1' ? 'password1' : 'password2', which);
  const parsed = parseCallback(params);
  if (parsed.signature === undefined || parsed.signature === '') {
    throw new RobokassaError('missing_field', `SignatureValue: missing from the ${url} request; Robokassa always signs it`, 'SignatureValue');
  }
  const expected = hash(alg, callbackSignatureBase({ outSum: parsed.outSum, invId: parsed.invId, password, shp: parsed.shp }));
  if (!timingSafeEqualHex(expected, parsed.signature)) {
    throw new RobokassaError(
      'signature_mismatch',
      `SignatureValue: signature mismatch: check ${which} and the hash algorithm chosen in the Robokassa cabinet (test payments use the test ${which}); OutSum, InvId and Shp_ parameters must be passed exactly as received`,
      'SignatureValue',
    );
  }
  return parsed;
}

/** ResultURL: signed with Password #2. Throws RobokassaError('signature_mismatch') when it does not hold. */
export function verifyResultUrl(params: URLSearchParams | Record<string, string>, password2: string, algorithm: HashAlgorithm, hash: Hasher): CallbackParams {
  return verifyCallback(params, password2, algorithm, hash, 'Password #2', 'ResultURL');
}

/** SuccessURL: signed with Password #1 (a hint for the buyer's page; only ResultURL proves payment). */
export function verifySuccessUrl(params: URLSearchParams | Record<string, string>, password1: string, algorithm: HashAlgorithm, hash: Hasher): CallbackParams {
  return verifyCallback(params, password1, algorithm, hash, 'Password #1', 'SuccessURL');
}

/** The plain-text body Robokassa expects after a valid ResultURL. */
export function resultAnswer(invId: string): string {
  return `OK${invId}`;
}
