// The CLI, run as a merchant runs it (`node --import tsx src/cli.ts`, not the built file), so these
// tests do not depend on the build.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { callbackSignatureBase } from '../../src/protocol/index.js';
import { nodeHasher } from '../../src/node-hasher.js';
import { main } from '../../src/cli/run.js';
import { expectedBase, vectors } from '../protocol/vectors.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

interface Run { code: number | null; stdout: string; stderr: string }

// In-process: the commands run as `main` does for the binary, without a node start-up per case.
function cli(args: string[], env: Record<string, string> = {}): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const code = main(args, env, {
    out: (line) => { stdout += `${line}\n`; },
    err: (line) => { stderr += `${line}\n`; },
  });
  return Promise.resolve({ code, stdout, stderr });
}

// The real binary, spawned: exit codes and streams as a merchant's shell sees them.
function spawnCli(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const { ROBOKASSA_PASSWORD1: _p1, ROBOKASSA_PASSWORD2: _p2, ...clean } = process.env;
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], { cwd: root, env: { ...clean, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('the spawned binary', () => {
  it('exits 0 and prints OK{InvId} for a valid ResultURL, 1 for a tampered one, 2 for a bad flag', async () => {
    const query = 'OutSum=100.000000&InvId=450009&Shp_login=Vasya&Shp_oplata=1&SignatureValue=4ADCEF23DEDED52FAEF69A96EFDF67E8';
    const ok = await spawnCli(['verify', '--kind', 'result', '--hash', 'md5', query], { ROBOKASSA_PASSWORD2: 'password_2' });
    assert.equal(ok.code, 0, ok.stderr);
    assert.equal(ok.stdout, 'OK450009\n');
    const bad = await spawnCli(['verify', '--kind', 'result', '--hash', 'md5', query.replace('100.000000', '101.000000')], { ROBOKASSA_PASSWORD2: 'password_2' });
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /signature/);
    assert.ok(!bad.stderr.includes('password_2'), 'password never printed');
    const usage = await spawnCli(['sign', '--nope']);
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /--nope/);
  });
});

interface SignJson { url: string; signature: string; base: string; fields: Record<string, string> }

function signArgs(v: (typeof vectors)[number]): string[] {
  const args = ['sign', '--login', v.merchantLogin ?? '', '--password1', v.password1 ?? '', '--out-sum', v.outSum ?? '', '--hash', v.algorithm, '--json'];
  if (v.invId !== '') args.push('--inv-id', v.invId);
  if (v.outSumCurrency) args.push('--currency', v.outSumCurrency);
  if (v.userIp) args.push('--user-ip', v.userIp);
  if (v.receiptSigned) args.push('--receipt-encoded', v.receiptSigned);
  for (const [name, value] of Object.entries(v.shp ?? {})) args.push('--shp', `${name}=${value}`);
  return args;
}

describe('sign reproduces every payment vector (--json)', { concurrency: 4 }, () => {
  for (const v of vectors.filter((x) => x.kind === 'payment')) {
    it(v.id, async () => {
      const run = await cli(signArgs(v));
      assert.equal(run.code, 0, run.stderr);
      const out = JSON.parse(run.stdout) as SignJson;
      assert.deepEqual(Object.keys(out), ['url', 'signature', 'base', 'fields']);
      assert.equal(out.signature, v.signature);
      assert.equal(out.base, expectedBase(v).replace(v.password1 ?? '', '********'));
      assert.equal(out.fields['SignatureValue'], v.signature);
      assert.equal(out.fields['InvId'], v.invId === '' ? undefined : v.invId);
      assert.equal(new URL(out.url).searchParams.get('SignatureValue'), v.signature);
      assert.ok(!run.stdout.includes(v.password1 ?? ''), 'password never printed');
    });
  }
});

describe('verify reproduces every ResultURL / SuccessURL vector', { concurrency: 4 }, () => {
  for (const v of vectors.filter((x) => x.kind === 'result' || x.kind === 'success')) {
    const query = new URLSearchParams({ OutSum: v.outSum ?? '', InvId: v.invId, SignatureValue: v.signature, ...v.shp }).toString();
    it(`${v.id}: valid -> exit 0, ${v.kind === 'result' ? v.reply : 'OK'}`, async () => {
      const run = await cli(['verify', '--kind', v.kind, '--password', v.password ?? '', '--hash', v.algorithm, query]);
      assert.equal(run.code, 0, run.stderr);
      assert.equal(run.stdout, `${v.kind === 'result' ? v.reply : 'OK'}\n`);
    });
    it(`${v.id}: one hex digit changed -> exit 1 with the reason`, async () => {
      const last = v.signature.slice(-1) === '0' ? '1' : '0';
      const bad = query.replace(v.signature, `${v.signature.slice(0, -1)}${last}`);
      const run = await cli(['verify', '--kind', v.kind, '--password', v.password ?? '', '--hash', v.algorithm, bad]);
      assert.equal(run.code, 1);
      assert.equal(run.stdout, '');
      assert.match(run.stderr, /signature mismatch: check Password #[12] and the hash algorithm/);
      assert.match(run.stderr, /100\.000000:450009:\*\*\*\*\*\*\*\*:Shp_login=Vasya:Shp_oplata=1/);
      assert.ok(!run.stderr.includes(v.password ?? ''), 'password never printed');
    });
  }
});

describe('sign and verify', { concurrency: 4 }, () => {
  it('round trip: a signed request, answered the way Robokassa signs ResultURL, verifies', async () => {
    const sign = await cli(['sign', '--login', 'demo-shop', '--out-sum', '1500', '--inv-id', '77', '--shp', 'Shp_order=abc', '--shp', 'Shp_a=1', '--description', 'Курс', '--email', 'a@b.kz', '--culture', 'ru', '--region', 'kz', '--test', '--json'], { ROBOKASSA_PASSWORD1: 'demo-password-1' });
    assert.equal(sign.code, 0, sign.stderr);
    const { fields, url } = JSON.parse(sign.stdout) as SignJson;
    assert.ok(url.startsWith('https://auth.robokassa.kz/Merchant/Index.aspx?'));
    assert.equal(fields['OutSum'], '1500.00');
    assert.equal(fields['IsTest'], '1');
    assert.equal(fields['Encoding'], 'utf-8');
    const shp = { Shp_a: fields['Shp_a'] ?? '', Shp_order: fields['Shp_order'] ?? '' };
    const outSum = `${fields['OutSum'] ?? ''}0000`;
    const signature = nodeHasher('md5', callbackSignatureBase({ outSum, invId: fields['InvId'] ?? '', password: 'demo-password-2', shp })).toUpperCase();
    const query = new URLSearchParams({ OutSum: outSum, InvId: fields['InvId'] ?? '', SignatureValue: signature, ...shp }).toString();
    const verify = await cli(['verify', '--kind', 'result', query], { ROBOKASSA_PASSWORD2: 'demo-password-2' });
    assert.equal(verify.code, 0, verify.stderr);
    assert.equal(verify.stdout, 'OK77\n');
    // a whole URL as copied from a log works too
    const fromUrl = await cli(['verify', '--kind', 'result', '--password', 'demo-password-2', `https://shop.example/robokassa/result?${query}`]);
    assert.equal(fromUrl.stdout, 'OK77\n');
    // the wrong password fails
    const wrong = await cli(['verify', '--kind', 'result', '--password', 'demo-password-1', query]);
    assert.equal(wrong.code, 1);
  });

  it('human-readable output: URL, signature, masked base, POST fields', async () => {
    const run = await cli(['sign', '--login', 'robo-demo', '--password1', 'password_1', '--out-sum', '100.00', '--inv-id', '1']);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^URL: +https:\/\/auth\.robokassa\.ru\/Merchant\/Index\.aspx\?MerchantLogin=robo-demo&OutSum=100\.00&InvId=1&SignatureValue=8ca1d1c1a6f9353bebe5b087697ba797&Encoding=utf-8$/m);
    assert.match(run.stdout, /^Signature: +8ca1d1c1a6f9353bebe5b087697ba797$/m);
    assert.match(run.stdout, /^Base: +robo-demo:100\.00:1:\*\*\*\*\*\*\*\*$/m);
    assert.match(run.stdout, /^ {2}SignatureValue=8ca1d1c1a6f9353bebe5b087697ba797$/m);
    assert.ok(!run.stdout.includes('password_1'));
  });

  it('--receipt FILE: validated, written and signed the documented way', async (t) => {
    const v6 = vectors.find((x) => x.id === 'V6');
    assert.ok(v6?.receiptJson);
    const dir = mkdtempSync(join(tmpdir(), 'rk-cli-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, 'receipt.json');
    writeFileSync(file, v6.receiptJson);
    const mismatch = await cli(['sign', '--login', 'robo-demo', '--password1', 'password_1', '--out-sum', '603.00', '--inv-id', '7', '--receipt', file, '--json']);
    assert.equal(mismatch.code, 2);
    assert.match(mismatch.stderr, /Receipt: .*301\.50.*603\.00/);
    assert.match(mismatch.stderr, /^usage: robokassa-checkout sign/m);
    const ok = await cli(['sign', '--login', 'robo-demo', '--password1', 'password_1', '--out-sum', '301.50', '--inv-id', '7', '--receipt', file, '--json']);
    assert.equal(ok.code, 0, ok.stderr);
    const out = JSON.parse(ok.stdout) as SignJson;
    assert.equal(out.fields['Receipt'], v6.receiptSigned);
    assert.equal(out.signature, nodeHasher('md5', `robo-demo:301.50:7:${v6.receiptSigned ?? ''}:password_1`));
  });

  it('--help exits 0', async () => {
    const run = await cli(['--help']);
    assert.equal(run.code, 0);
    assert.match(run.stdout, /usage: robokassa-checkout sign/);
    assert.match(run.stdout, /usage: robokassa-checkout verify/);
  });
});

describe('bad flags and values exit 2 with a usage line naming the problem', { concurrency: 4 }, () => {
  const signBase = ['sign', '--login', 'robo-demo', '--password1', 'secret-pw-1', '--out-sum', '100.00', '--inv-id', '1'];
  const cases: [string, string[], RegExp][] = [
    ['no command', [], /missing command/],
    ['unknown command', ['pay'], /unknown command "pay"/],
    ['unknown flag', [...signBase, '--bogus'], /--bogus/],
    ['missing --login', ['sign', '--password1', 'p', '--out-sum', '1.00'], /missing --login/],
    ['missing password', ['sign', '--login', 'l', '--out-sum', '1.00'], /missing --password1 \(or set ROBOKASSA_PASSWORD1\)/],
    ['missing --out-sum', ['sign', '--login', 'l', '--password1', 'p'], /missing --out-sum/],
    ['flag without value', ['sign', '--login'], /--login/],
    ['amount 1e3', [...signBase, '--out-sum', '1e3'], /OutSum: "1e3"/],
    ['amount 0.001', [...signBase, '--out-sum', '0.001'], /OutSum: "0.001" has more than two decimals/],
    ['InvId 12a', [...signBase, '--inv-id', '12a'], /InvId: "12a" must be a whole number/],
    ['InvId 2147483648', [...signBase, '--inv-id', '2147483648'], /InvId: 2147483648 must be a whole number from 1 to 2147483647/],
    ['unknown hash', [...signBase, '--hash', 'md4'], /--hash: unknown hash algorithm "md4"/],
    ['bad region', [...signBase, '--region', 'by'], /--region must be "ru" or "kz"/],
    ['bad --shp', [...signBase, '--shp', 'Shp_a'], /--shp expects Shp_name=value/],
    ['Cyrillic Shp name', [...signBase, '--shp', 'Shp_имя=1'], /Shp_имя: custom parameter name/],
    ['Description 101', [...signBase, '--description', 'd'.repeat(101)], /Description: .*at most 100 characters/],
    ['missing receipt file', [...signBase, '--receipt', '/nonexistent/receipt.json'], /--receipt: cannot read/],
    ['extra positional', [...signBase, 'extra'], /unexpected argument "extra"/],
    ['verify without --kind', ['verify', '--password', 'p', 'OutSum=1&InvId=1&SignatureValue=ab'], /missing --kind result\|success/],
    ['verify bad --kind', ['verify', '--kind', 'fail', '--password', 'p', 'OutSum=1&InvId=1'], /--kind must be "result" or "success"/],
    ['verify without password', ['verify', '--kind', 'result', 'OutSum=1&InvId=1'], /missing --password \(or set ROBOKASSA_PASSWORD2\)/],
    ['verify without query', ['verify', '--kind', 'success', '--password', 'p'], /missing the query string/],
  ];
  for (const [name, args, problem] of cases) {
    it(name, async () => {
      const run = await cli(args);
      assert.equal(run.code, 2, `${run.stdout}${run.stderr}`);
      assert.equal(run.stdout, '');
      assert.match(run.stderr, problem);
      assert.match(run.stderr, /^usage: robokassa-checkout/m);
      assert.ok(!run.stderr.includes('secret-pw-1'));
    });
  }
});

describe('verify: input problems in the query exit 1 with the reason', { concurrency: 4 }, () => {
  const cases: [string, string, RegExp][] = [
    ['no OutSum', 'InvId=1&SignatureValue=ab', /OutSum: missing/],
    ['no SignatureValue', 'OutSum=1.00&InvId=1', /SignatureValue: missing/],
    ['duplicated OutSum', 'OutSum=1.00&OutSum=2.00&InvId=1&SignatureValue=ab', /OutSum: sent more than once/],
  ];
  for (const [name, query, reason] of cases) {
    it(name, async () => {
      const run = await cli(['verify', '--kind', 'result', '--password', 'pw-2-secret', query]);
      assert.equal(run.code, 1);
      assert.match(run.stderr, reason);
      assert.ok(!run.stderr.includes('pw-2-secret'));
    });
  }
});
