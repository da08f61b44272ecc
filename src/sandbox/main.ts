// Runs the sandbox alone: `node --import tsx src/sandbox/main.ts [--flag=value …]`.
// Configured like a shop's cabinet, from flags or the environment (flags win); without any, it uses
// the demo shop (demo-shop, md5, test mode) pointing at a backend on http://127.0.0.1:8080/robokassa.
import { parseArgs } from 'node:util';
import { serve } from '@hono/node-server';
import { parseHashAlgorithm } from '../protocol/index.js';
import { createSandboxApp, type SandboxOptions } from './app.js';

const FLAGS = {
  'merchant-login': 'SANDBOX_MERCHANT_LOGIN',
  password1: 'SANDBOX_PASSWORD1',
  password2: 'SANDBOX_PASSWORD2',
  hash: 'SANDBOX_HASH',
  'result-url': 'SANDBOX_RESULT_URL',
  'result-method': 'SANDBOX_RESULT_METHOD',
  'success-url': 'SANDBOX_SUCCESS_URL',
  'success-method': 'SANDBOX_SUCCESS_METHOD',
  'fail-url': 'SANDBOX_FAIL_URL',
  'fail-method': 'SANDBOX_FAIL_METHOD',
  test: 'SANDBOX_TEST',
  currency: 'SANDBOX_CURRENCY',
  host: 'HOST',
  port: 'PORT',
} as const;
type Flag = keyof typeof FLAGS;

const USAGE = `Robokassa sandbox — a local stand-in for the payment page (no real money).
Flags (or environment variables):
${Object.entries(FLAGS).map(([flag, env]) => `  --${flag.padEnd(15)} ${env}`).join('\n')}
Defaults: demo-shop / demo-password-1 / demo-password-2, md5, test mode, KZT,
ResultURL POST http://127.0.0.1:8080/robokassa/result, SuccessURL/FailURL GET …/success, …/fail,
listening on 127.0.0.1:8090.`;

function fail(message: string): never {
  process.stderr.write(`sandbox: ${message}\n\n${USAGE}\n`);
  process.exit(2);
}

function main(): void {
  const parsed = parseArgs({
    options: { ...Object.fromEntries(Object.keys(FLAGS).map((f) => [f, { type: 'string' as const }])), help: { type: 'boolean' } },
    strict: true,
  });
  const values = parsed.values as Record<string, string | boolean | undefined>;
  if (values['help'] === true) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const get = (flag: Flag, fallback: string): string => {
    const v = values[flag];
    return (typeof v === 'string' ? v : undefined) ?? process.env[FLAGS[flag]] ?? fallback;
  };
  const method = (flag: Flag, fallback: 'GET' | 'POST'): 'GET' | 'POST' => {
    const v = get(flag, fallback).toUpperCase();
    if (v !== 'GET' && v !== 'POST') fail(`--${flag} (${FLAGS[flag]}) must be GET or POST`);
    return v;
  };
  const backend = 'http://127.0.0.1:8080/robokassa';
  const url = (flag: Flag, fallback: string): string => {
    const v = get(flag, fallback);
    if (!URL.canParse(v) || !/^https?:$/.test(new URL(v).protocol)) fail(`--${flag} (${FLAGS[flag]}) must be an http(s) URL`);
    return v;
  };
  let hashAlgorithm;
  try {
    hashAlgorithm = parseHashAlgorithm(get('hash', 'md5'), FLAGS.hash);
  } catch (e) {
    fail(e instanceof Error ? e.message : String(e));
  }
  const currency = get('currency', 'KZT').toUpperCase();
  if (currency !== 'KZT' && currency !== 'RUB') fail('--currency (SANDBOX_CURRENCY) must be KZT or RUB');
  const port = Number(get('port', '8090'));
  if (!Number.isInteger(port) || port < 0 || port > 65535) fail('--port (PORT) must be a port number');
  const host = get('host', '127.0.0.1');

  const options: SandboxOptions = {
    merchantLogin: get('merchant-login', 'demo-shop'),
    password1: get('password1', 'demo-password-1'),
    password2: get('password2', 'demo-password-2'),
    hashAlgorithm,
    resultUrl: url('result-url', `${backend}/result`),
    resultMethod: method('result-method', 'POST'),
    successUrl: url('success-url', `${backend}/success`),
    successMethod: method('success-method', 'GET'),
    failUrl: url('fail-url', `${backend}/fail`),
    failMethod: method('fail-method', 'GET'),
    testMode: !['0', 'false', 'no'].includes(get('test', '1').toLowerCase()),
    currency,
    log: (entry) => process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), ...entry })}\n`),
  };
  let app;
  try {
    app = createSandboxApp(options);
  } catch (e) {
    fail(e instanceof Error ? e.message : String(e));
  }
  serve({ fetch: app.fetch, hostname: host, port }, (info) => {
    // Passwords are never printed.
    process.stdout.write(`Robokassa sandbox (no real money) for "${options.merchantLogin}" (${hashAlgorithm}, ${options.testMode ? 'test mode' : 'live mode'}): `
      + `http://${host}:${info.port}/sandbox/Merchant/Index.aspx\n`);
  });
}

main();
