import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ConfigError, parseConfig } from '../../src/server/index.js';
import { CATALOG, PASSWORD1, PASSWORD2, baseEnv, writeCatalog } from './helpers.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

function configError(env: Record<string, string | undefined>): ConfigError {
  try {
    parseConfig(env);
  } catch (err) {
    assert.ok(err instanceof ConfigError, String(err));
    assert.ok(!err.message.includes(PASSWORD1) && !err.message.includes(PASSWORD2), err.message);
    return err;
  }
  assert.fail('expected a ConfigError');
}

test('parseConfig reads DESIGN.md\'s variables with their defaults', () => {
  const config = parseConfig(baseEnv({ ROBOKASSA_TEST: undefined, ROBOKASSA_DATABASE: undefined, HOST: undefined, PORT: undefined }));
  assert.deepEqual(config.merchant, { merchantLogin: 'test-shop', hashAlgorithm: 'md5', region: 'kz', test: false });
  assert.equal(config.databasePath, './data/robokassa.sqlite');
  assert.equal(config.host, '127.0.0.1');
  assert.equal(config.port, 8080);
  assert.deepEqual(config.allowedOrigins, ['https://shop.example', 'http://localhost:3000']);
  assert.equal(config.catalog.products.get('course-pro')?.price, '24900.50');
  const full = parseConfig(baseEnv({
    ROBOKASSA_HASH: 'sha512', ROBOKASSA_REGION: 'ru', ROBOKASSA_TEST: '1', ROBOKASSA_PAYMENT_URL: 'http://127.0.0.1:9/sandbox/Merchant/Index.aspx',
    ROBOKASSA_CATALOG: writeCatalog({ products: [{ sku: 'r', name: 'R', price: '10', currency: 'RUB', tax: 'vat20' }] }), PORT: '0', HOST: '0.0.0.0',
  }));
  assert.deepEqual(full.merchant, { merchantLogin: 'test-shop', hashAlgorithm: 'sha512', region: 'ru', test: true, paymentUrl: 'http://127.0.0.1:9/sandbox/Merchant/Index.aspx' });
  assert.equal(full.port, 0);
});

test('a missing or bad variable is named in the error, and no password is quoted', () => {
  const cases: [Record<string, string | undefined>, string][] = [
    [{ ROBOKASSA_MERCHANT_LOGIN: undefined }, 'ROBOKASSA_MERCHANT_LOGIN'],
    [{ ROBOKASSA_PASSWORD1: '' }, 'ROBOKASSA_PASSWORD1'],
    [{ ROBOKASSA_PASSWORD2: undefined }, 'ROBOKASSA_PASSWORD2'],
    [{ ROBOKASSA_PASSWORD2: PASSWORD1 }, 'ROBOKASSA_PASSWORD2'],
    [{ ROBOKASSA_HASH: 'crc32' }, 'ROBOKASSA_HASH'],
    [{ ROBOKASSA_TEST: 'yes' }, 'ROBOKASSA_TEST'],
    [{ ROBOKASSA_REGION: 'us' }, 'ROBOKASSA_REGION'],
    [{ ROBOKASSA_PAYMENT_URL: 'ftp://x' }, 'ROBOKASSA_PAYMENT_URL'],
    [{ ROBOKASSA_ALLOWED_ORIGINS: 'https://shop.example/path' }, 'ROBOKASSA_ALLOWED_ORIGINS'],
    [{ ROBOKASSA_ALLOWED_ORIGINS: 'shop.example' }, 'ROBOKASSA_ALLOWED_ORIGINS'],
    [{ ROBOKASSA_API_KEY: 'short' }, 'ROBOKASSA_API_KEY'],
    [{ PORT: '99999' }, 'PORT'],
    [{ PORT: 'http' }, 'PORT'],
    [{ ROBOKASSA_CATALOG: undefined, ROBOKASSA_API_KEY: undefined }, 'ROBOKASSA_CATALOG'],
    [{ ROBOKASSA_CATALOG: '/no/such/catalog.json' }, 'ROBOKASSA_CATALOG'],
  ];
  for (const [env, variable] of cases) {
    const err = configError(baseEnv(env));
    assert.equal(err.variable, variable, err.message);
    assert.ok(err.message.startsWith(`${variable}: `), err.message);
  }
  // a password put in the wrong variable is not echoed back
  const misplaced = configError(baseEnv({ ROBOKASSA_HASH: PASSWORD2 }));
  assert.equal(misplaced.variable, 'ROBOKASSA_HASH');
});

test('catalog problems name the variable and the JSON path', () => {
  const bad: [unknown, RegExp][] = [
    [{ products: [{ ...CATALOG.products[0], price: 1500 }] }, /products\.0\.price/],
    [{ products: [{ ...CATALOG.products[0], price: '15.001' }] }, /products\.0\.price/],
    [{ products: [{ ...CATALOG.products[0], price: '0.00' }] }, /products\.0\.price/],
    [{ products: [{ ...CATALOG.products[0], currency: 'RUB' }] }, /products\.0\.currency/],
    [{ products: [{ ...CATALOG.products[0], tax: 'vat20' }] }, /products\.0\.tax/],
    [{ products: [{ ...CATALOG.products[0], paymentObject: 'gadget' }] }, /products\.0\.paymentObject/],
    [{ products: [CATALOG.products[0], CATALOG.products[0]] }, /products\.1\.sku.*twice/],
    [{ products: [{ ...CATALOG.products[0], sku: 'has space' }] }, /products\.0\.sku/],
    [{ products: [{ ...CATALOG.products[0], name: 'x'.repeat(129) }] }, /products\.0\.name/],
    [{ receipt: { sno: 'nonsense' }, products: [] }, /receipt\.sno/],
    [{ products: [], extra: true }, /extra|Unrecognized/],
  ];
  for (const [catalog, pattern] of bad) {
    const err = configError(baseEnv({ ROBOKASSA_CATALOG: writeCatalog(catalog) }));
    assert.equal(err.variable, 'ROBOKASSA_CATALOG');
    assert.match(err.message, pattern);
  }
  const notJson = writeCatalog('x');
  assert.match(configError(baseEnv({ ROBOKASSA_CATALOG: notJson.replace(/catalog\.json$/, 'missing.json') })).message, /cannot read/);
});

test('the demo catalog is valid: tenge, a receipt without sno, course-basic at 1500.00', () => {
  const config = parseConfig(baseEnv({ ROBOKASSA_CATALOG: `${root}demo/catalog.json` }));
  assert.deepEqual(config.catalog.receipt, {});
  assert.equal(config.catalog.products.get('course-basic')?.price, '1500.00');
  assert.ok(config.catalog.products.has('course-pro'));
  assert.ok([...config.catalog.products.values()].every((p) => p.currency === 'KZT'));
  assert.ok([...config.catalog.products.values()].some((p) => p.name.length > 100));
});

function runMain(env: Record<string, string | undefined>, untilOutput?: RegExp): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const clean: Record<string, string> = { PATH: process.env['PATH'] ?? '' };
    for (const [k, v] of Object.entries(env)) if (v !== undefined) clean[k] = v;
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts'], { cwd: root, env: clean, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const onData = (d: Buffer): void => {
      out += d.toString();
      if (untilOutput?.test(out)) child.kill('SIGTERM');
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('close', (code) => resolve({ code, out }));
  });
}

test('main.ts with a bad environment exits 1 naming the variable, without printing a password', async () => {
  const missing = await runMain(baseEnv({ ROBOKASSA_PASSWORD2: undefined }));
  assert.equal(missing.code, 1);
  assert.match(missing.out, /ROBOKASSA_PASSWORD2/);
  assert.ok(!missing.out.includes(PASSWORD1));
  const bad = await runMain(baseEnv({ ROBOKASSA_REGION: 'mars' }));
  assert.equal(bad.code, 1);
  assert.match(bad.out, /ROBOKASSA_REGION/);
  assert.ok(!bad.out.includes(PASSWORD1) && !bad.out.includes(PASSWORD2));
  assert.doesNotMatch(bad.out, /\n\s+at /); // no stack trace
});

test('main.ts with a good environment listens and logs one JSON line without secrets', async () => {
  const run = await runMain(baseEnv({ PORT: '0', ROBOKASSA_DATABASE: `${writeCatalog().replace(/catalog\.json$/, '')}data/rk.sqlite` }), /"event":"listening"/);
  const line = run.out.split('\n').find((l) => l.includes('"listening"'));
  assert.ok(line, run.out);
  const entry = JSON.parse(line) as Record<string, unknown>;
  assert.match(String(entry['url']), /^http:\/\/127\.0\.0\.1:\d+\/robokassa\/$/);
  assert.ok(!run.out.includes(PASSWORD1) && !run.out.includes(PASSWORD2));
  assert.equal(run.code, 0);
});
