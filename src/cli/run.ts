// robokassa-checkout CLI: the tool a merchant reaches for when Robokassa answers "error 29".
//   sign   — print a signed payment URL, the signature and the base string (password masked)
//   verify — check a ResultURL / SuccessURL query string
//   check-backend — the HTTP contract's conformance checks against a running backend (check-backend.ts)
//   openapi — the HTTP contract as an OpenAPI 3.1 document (openapi.ts)
// Exit codes: 0 ok, 1 verification failed, 2 bad flags or values (usage line names the problem).
import { readFileSync } from 'node:fs';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { nodeHasher } from '../node-hasher.js';
import {
  PASSWORD_MASK, RobokassaError, buildPaymentRequest, callbackSignatureBase, maskPassword, parseCallback,
  parseHashAlgorithm, resultAnswer, verifyResultUrl, verifySuccessUrl,
  type DraftPaymentRequest, type HashAlgorithm, type MerchantSettings,
} from '../protocol/index.js';
import { CHECK_BACKEND_USAGE, checkBackendCommand } from './check-backend.js';
import { OPENAPI_USAGE, openapiCommand } from './openapi.js';

const SIGN_USAGE = 'usage: robokassa-checkout sign --login L --password1 P --out-sum 100.00 [--inv-id N] [--hash md5] '
  + '[--currency USD] [--user-ip IP] [--receipt FILE.json | --receipt-encoded VALUE] [--shp Shp_name=value]… '
  + '[--description D] [--email E] [--culture ru] [--region kz|ru] [--payment-url URL] [--test] [--json]';
const VERIFY_USAGE = "usage: robokassa-checkout verify --kind result|success --password P [--hash md5] 'OutSum=…&InvId=…&SignatureValue=…&Shp_…'";
const USAGE = `${SIGN_USAGE}\n${VERIFY_USAGE}\n${CHECK_BACKEND_USAGE}\n${OPENAPI_USAGE}\n(passwords may come from ROBOKASSA_PASSWORD1 / ROBOKASSA_PASSWORD2 instead of flags)`;

export interface Io {
  out: (line: string) => void;
  err: (line: string) => void;
}

/** A problem with the command line: exit 2 with the usage line. */
class UsageError extends Error {
  constructor(message: string, readonly usage: string) {
    super(message);
  }
}

const SIGN_OPTIONS = {
  login: { type: 'string' },
  password1: { type: 'string' },
  'out-sum': { type: 'string' },
  'inv-id': { type: 'string' },
  hash: { type: 'string' },
  currency: { type: 'string' },
  'user-ip': { type: 'string' },
  receipt: { type: 'string' },
  'receipt-encoded': { type: 'string' },
  shp: { type: 'string', multiple: true },
  description: { type: 'string' },
  email: { type: 'string' },
  culture: { type: 'string' },
  region: { type: 'string' },
  'payment-url': { type: 'string' },
  test: { type: 'boolean' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies ParseArgsConfig['options'];

const VERIFY_OPTIONS = {
  kind: { type: 'string' },
  password: { type: 'string' },
  hash: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies ParseArgsConfig['options'];

function parse<O extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: O, usage: string) {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: true });
  } catch (error) {
    // parseArgs messages already name the flag ("Unknown option '--foo'"); drop its generic hint.
    const message = error instanceof Error ? error.message.split('. To specify')[0] ?? error.message : String(error);
    throw new UsageError(message, usage);
  }
}

function hashFlag(value: string | undefined, usage: string): HashAlgorithm {
  try {
    return parseHashAlgorithm(value ?? 'md5', '--hash');
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error), usage);
  }
}

function required(value: string | undefined, flag: string, usage: string, env?: string): string {
  if (value === undefined || value === '') {
    throw new UsageError(`missing ${flag}${env ? ` (or set ${env})` : ''}`, usage);
  }
  return value;
}

/** Receipt files may write sums as JSON numbers (like Robokassa's docs); they become decimal strings here. */
function readReceipt(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new UsageError(`--receipt: cannot read ${file}`, SIGN_USAGE);
  }
  let receipt: unknown;
  try {
    receipt = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`--receipt: ${file} is not valid JSON (${error instanceof Error ? error.message : String(error)})`, SIGN_USAGE);
  }
  const items = (receipt as { items?: unknown } | null)?.items;
  if (Array.isArray(items)) {
    for (const item of items as unknown[]) {
      const line = item as { sum?: unknown } | null;
      // String(301.5) is "301.5": no arithmetic, and parseAmount-style checks still refuse "1e+21".
      if (line && typeof line.sum === 'number') line.sum = String(line.sum);
    }
  }
  return receipt;
}

function sign(args: string[], env: Record<string, string | undefined>, io: Io): number {
  const { values, positionals } = parse(args, SIGN_OPTIONS, SIGN_USAGE);
  if (values.help) {
    io.out(SIGN_USAGE);
    return 0;
  }
  if (positionals.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(positionals[0])}`, SIGN_USAGE);
  const login = required(values.login, '--login', SIGN_USAGE);
  const password1 = required(values.password1 ?? env['ROBOKASSA_PASSWORD1'], '--password1', SIGN_USAGE, 'ROBOKASSA_PASSWORD1');
  const outSum = required(values['out-sum'], '--out-sum', SIGN_USAGE);
  const region = values.region ?? 'ru';
  if (region !== 'ru' && region !== 'kz') throw new UsageError(`--region must be "ru" or "kz", got ${JSON.stringify(region)}`, SIGN_USAGE);
  if (values.receipt !== undefined && values['receipt-encoded'] !== undefined) {
    throw new UsageError('give --receipt or --receipt-encoded, not both', SIGN_USAGE);
  }

  const shp: Record<string, string> = {};
  for (const pair of values.shp ?? []) {
    const at = pair.indexOf('=');
    if (at <= 0) throw new UsageError(`--shp expects Shp_name=value, got ${JSON.stringify(pair)}`, SIGN_USAGE);
    const name = pair.slice(0, at);
    if (name in shp) throw new UsageError(`--shp ${name} given twice`, SIGN_USAGE);
    shp[name] = pair.slice(at + 1);
  }

  const settings: MerchantSettings = {
    merchantLogin: login,
    hashAlgorithm: hashFlag(values.hash, SIGN_USAGE),
    region,
    test: values.test === true,
    ...(values['payment-url'] !== undefined && { paymentUrl: values['payment-url'] }),
  };
  const invIdText = values['inv-id'];
  // Digits become a number; anything else goes through as is so the error quotes what was typed.
  const invId: unknown = invIdText === undefined ? undefined : /^-?\d+$/.test(invIdText) ? Number(invIdText) : invIdText;
  const request = {
    outSum,
    ...(invId !== undefined && { invId }),
    description: values.description ?? '',
    ...(values.culture !== undefined && { culture: values.culture }),
    ...(values.email !== undefined && { email: values.email }),
    ...(values.currency !== undefined && { outSumCurrency: values.currency }),
    ...(values['user-ip'] !== undefined && { userIp: values['user-ip'] }),
    ...(Object.keys(shp).length > 0 && { shp }),
    ...(values.receipt !== undefined && { receipt: readReceipt(values.receipt) }),
  } as DraftPaymentRequest; // validated by buildPaymentRequest

  let built;
  try {
    built = buildPaymentRequest(settings, password1, request, nodeHasher, {
      allowMissingInvId: true,
      ...(values['receipt-encoded'] !== undefined && { rawReceipt: values['receipt-encoded'] }),
    });
  } catch (error) {
    if (error instanceof RobokassaError) throw new UsageError(maskPassword(error.message, password1), SIGN_USAGE);
    throw error;
  }
  if (values.json) {
    io.out(JSON.stringify({ url: built.url, signature: built.signature, base: built.maskedBase, fields: built.form.fields }));
    return 0;
  }
  io.out(`URL:       ${built.url}`);
  io.out(`Signature: ${built.signature}`);
  io.out(`Base:      ${built.maskedBase}`);
  io.out(`POST ${built.form.action}`);
  for (const [name, value] of Object.entries(built.form.fields)) io.out(`  ${name}=${value}`);
  if (invId === undefined) io.out('Note: no --inv-id, so InvId is not sent and is signed as an empty field (Robokassa assigns one).');
  return 0;
}

function verify(args: string[], env: Record<string, string | undefined>, io: Io): number {
  const { values, positionals } = parse(args, VERIFY_OPTIONS, VERIFY_USAGE);
  if (values.help) {
    io.out(VERIFY_USAGE);
    return 0;
  }
  const kind = values.kind;
  if (kind !== 'result' && kind !== 'success') {
    throw new UsageError(kind === undefined ? 'missing --kind result|success' : `--kind must be "result" or "success", got ${JSON.stringify(kind)}`, VERIFY_USAGE);
  }
  const envName = kind === 'result' ? 'ROBOKASSA_PASSWORD2' : 'ROBOKASSA_PASSWORD1';
  const password = required(values.password ?? env[envName], '--password', VERIFY_USAGE, envName);
  const algorithm = hashFlag(values.hash, VERIFY_USAGE);
  if (positionals.length !== 1) {
    throw new UsageError(positionals.length === 0 ? 'missing the query string to verify' : 'give the query string as one quoted argument', VERIFY_USAGE);
  }
  const input = positionals[0] ?? '';
  // Accept a bare query, "?query" or a whole URL as copied from a log.
  const query = input.includes('?') ? input.slice(input.indexOf('?') + 1) : input;
  const params = new URLSearchParams(query.split('#')[0]);

  try {
    const parsed = kind === 'result'
      ? verifyResultUrl(params, password, algorithm, nodeHasher)
      : verifySuccessUrl(params, password, algorithm, nodeHasher);
    io.out(kind === 'result' ? resultAnswer(parsed.invId) : 'OK');
    return 0;
  } catch (error) {
    if (!(error instanceof RobokassaError)) throw error;
    io.err(`invalid: ${maskPassword(error.message, password)}`);
    if (error.code === 'signature_mismatch') {
      const parsed = parseCallback(params);
      const base = callbackSignatureBase({ outSum: parsed.outSum, invId: parsed.invId, password: PASSWORD_MASK, shp: parsed.shp });
      io.err(`signed string checked (${algorithm}): ${maskPassword(base, password)}`);
    }
    return 1;
  }
}

export function main(argv: string[], env: Record<string, string | undefined>, io: Io): number {
  const [command, ...rest] = argv;
  try {
    if (command === 'sign') return sign(rest, env, io);
    if (command === 'verify') return verify(rest, env, io);
    if (command === '--help' || command === '-h' || command === 'help') {
      io.out(USAGE);
      return 0;
    }
    if (command === 'openapi') return openapiCommand(rest, io);
    throw new UsageError(command === undefined ? 'missing command: sign, verify, check-backend or openapi' : `unknown command ${JSON.stringify(command)}: use sign, verify, check-backend or openapi`, USAGE);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`error: ${error.message}`);
      io.err(error.usage);
      return 2;
    }
    throw error;
  }
}

/** Every command, the one that talks to a network included (check-backend): what the binary runs. */
export async function run(argv: string[], env: Record<string, string | undefined>, io: Io): Promise<number> {
  if (argv[0] === 'check-backend') return checkBackendCommand(argv.slice(1), io);
  return main(argv, env, io);
}
