// src/sandbox/main.ts runs the sandbox alone: flags or environment, a clear message on a bad value,
// and never a password on the console.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const args = ['--import', 'tsx', 'src/sandbox/main.ts'];

test('listens (port 0 here), serves the page and its stylesheet, prints no password', async () => {
  const child = spawn(process.execPath, [...args, '--port=0', '--password1=secret-one-xyz'], {
    cwd: root, env: { ...process.env, SANDBOX_PASSWORD2: 'secret-two-xyz' }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  try {
    let out = '';
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no start line: ${out}`)), 15_000);
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /(http:\/\/127\.0\.0\.1:\d+)\/sandbox\/Merchant\/Index\.aspx/.exec(out);
        if (m?.[1]) { clearTimeout(timer); resolve(m[1]); }
      });
      child.on('exit', (code) => reject(new Error(`exited ${code}: ${out}`)));
    });
    const css = await fetch(`${url}/sandbox/assets/sandbox.css`);
    assert.equal(css.status, 200);
    const page = await fetch(`${url}/sandbox/Merchant/Index.aspx?MerchantLogin=demo-shop&OutSum=1.00&InvId=1&SignatureValue=00`);
    assert.equal(page.headers.get('x-sandbox-error'), '29');
    await new Promise((r) => setTimeout(r, 50));
    assert.doesNotMatch(out, /secret-(one|two)-xyz/);
    assert.match(out, /"event":"payment.rejected","code":29/);
  } finally {
    child.kill();
  }
});

test('a bad value stops it with a message naming the flag and its variable', () => {
  const r = spawnSync(process.execPath, [...args, '--hash=crc32'], { cwd: root, encoding: 'utf8' });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /SANDBOX_HASH/);
  const m = spawnSync(process.execPath, [...args, '--success-method=PUT'], { cwd: root, encoding: 'utf8' });
  assert.equal(m.status, 2);
  assert.match(m.stderr, /--success-method \(SANDBOX_SUCCESS_METHOD\) must be GET or POST/);
  const u = spawnSync(process.execPath, [...args, '--result-url=ftp://x'], { cwd: root, encoding: 'utf8' });
  assert.equal(u.status, 2);
  assert.match(u.stderr, /--result-url \(SANDBOX_RESULT_URL\) must be an http\(s\) URL/);
});
