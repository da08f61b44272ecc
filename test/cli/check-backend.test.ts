// check-backend against real HTTP servers: our backend passes every check; backends broken on purpose
// (amounts as numbers, Idempotency-Key ignored, a leaked header, OK to a forged notification) fail
// with reasons that name the check and say what was wrong.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serve, type ServerType } from '@hono/node-server';
import { checkBackendCommand } from '../../src/cli/check-backend.js';
import { run } from '../../src/cli/run.js';
import { PAGE_ORIGIN, PASSWORD1, makeApp } from '../server/helpers.js';

type Handler = (req: Request, env: unknown) => Response | Promise<Response>;

async function listen(handler: Handler): Promise<{ base: string; close: () => Promise<void> }> {
  const server = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch: handler, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  const address = server.address();
  assert.ok(address !== null && typeof address === 'object');
  return {
    base: `http://127.0.0.1:${address.port}/robokassa`,
    close: () => new Promise((r) => {
      if ('closeAllConnections' in server) server.closeAllConnections();
      server.close(() => r());
    }),
  };
}

async function check(handler: Handler, extra: string[] = []): Promise<{ code: number; out: string[]; err: string[] }> {
  const server = await listen(handler);
  const out: string[] = [];
  const err: string[] = [];
  try {
    const code = await checkBackendCommand([server.base, '--origin', PAGE_ORIGIN, ...extra], { out: (l) => void out.push(l), err: (l) => void err.push(l) });
    return { code, out, err };
  } finally {
    await server.close();
  }
}

/** Our backend, with a change to what goes in or comes out. */
function ours(change: { request?: (req: Request) => Request; response?: (res: Response, req: Request) => Response | Promise<Response> } = {}): Handler {
  const { app } = makeApp();
  return async (req, env) => {
    const r = change.request ? change.request(req) : req;
    const res = await app.fetch(r, env);
    return change.response ? change.response(res, r) : res;
  };
}

const failed = (out: string[]): string[] => out.filter((l) => l.startsWith('✗'));

test('our backend passes every check: one ✓ line per check and a summary, exit 0', async () => {
  const { code, out } = await check(ours());
  assert.deepEqual(failed(out), []);
  assert.equal(code, 0, out.join('\n'));
  assert.ok(out.filter((l) => l.startsWith('✓')).length >= 15, out.join('\n'));
  assert.match(out.at(-1) ?? '', /^all \d+ checks passed$/);
  assert.match(out.join('\n'), /✓ checkout creates a pending payment with a signed URL — 201: InvId \d+, 3000\.00 KZT/);
});

test('amounts as numbers: the product, checkout and status checks fail, naming the field and the value', async () => {
  const numbers = ours({
    response: async (res) => {
      if (!(res.headers.get('content-type') ?? '').includes('json')) return res;
      const text = (await res.text()).replace(/"(amount|price)":"(\d+\.\d+)"/g, '"$1":$2');
      return new Response(text, { status: res.status, headers: res.headers });
    },
  });
  const { code, out } = await check(numbers);
  assert.equal(code, 1);
  const lines = failed(out).join('\n');
  assert.match(lines, /✗ product lookup — GET \/products\/course-basic does not match the contract — price: .*expected string, received number \(got 1500\)/);
  assert.match(lines, /✗ checkout creates a pending payment with a signed URL — POST \/checkout 201 body does not match the contract — amount: .*received number \(got 3000\)/);
  assert.match(lines, /✗ status of a fresh payment is pending — not run/);
  assert.match(out.at(-1) ?? '', /^\d+ of \d+ checks failed$/);
});

test('Idempotency-Key ignored: the same-key checks fail and say so', async () => {
  const ignoring = ours({
    request: (req) => {
      const headers = new Headers(req.headers);
      headers.delete('idempotency-key');
      return new Request(req, { headers });
    },
  });
  const { code, out } = await check(ignoring);
  assert.equal(code, 1);
  const lines = failed(out);
  assert.equal(lines.length, 2, lines.join('\n'));
  assert.match(lines[0]!, /✗ idempotency: same key, same body → same payment — the repeat made another payment \(InvId 2, first 1\): Idempotency-Key is ignored/);
  assert.match(lines[1]!, /✗ idempotency: same key, other body → 409 — POST \/checkout answered 201, expected 409/);
});

test('a leaked header and a password in an error: the secrets check fails, naming both', async () => {
  const leaking = ours({
    response: async (res, req) => {
      const headers = new Headers(res.headers);
      headers.set('X-Robokassa-Password1', PASSWORD1);
      if (new URL(req.url).pathname.endsWith('/healthz')) return new Response(`{"status":"ok","debug":"ROBOKASSA_PASSWORD1=${PASSWORD1}"}`, { status: 200, headers });
      return new Response(res.body, { status: res.status, headers });
    },
  });
  const { code, out } = await check(leaking);
  assert.equal(code, 1);
  const lines = failed(out);
  assert.equal(lines.length, 1, lines.join('\n'));
  assert.match(lines[0]!, /✗ no secret-looking values in any answer — GET \/healthz: header "x-robokassa-password1"/);
  assert.match(lines[0]!, /a configuration secret assignment/);
  assert.ok(!out.join('\n').includes(PASSWORD1), 'the report repeats the leaked password');
});

test('OK to a forged notification: the /result check fails, quoting the answer', async () => {
  const trusting = ours({
    response: (res, req) => {
      const url = new URL(req.url);
      if (!url.pathname.endsWith('/result')) return res;
      return new Response(`OK${url.searchParams.get('InvId') ?? ''}`, { status: 200, headers: { 'content-type': 'text/plain' } });
    },
  });
  const { code, out } = await check(trusting);
  assert.equal(code, 1);
  const lines = failed(out);
  assert.equal(lines.length, 1, lines.join('\n'));
  assert.match(lines[0]!, /✗ \/result refuses a bad signature — POST \/result with a forged signature answered 200 "OK", expected 400/);
});

test('an origin outside the allow-list, a wrong sku, nothing listening: failures that say what to fix', async () => {
  const foreign = await check(ours(), ['--origin', 'https://elsewhere.example']);
  assert.equal(foreign.code, 1);
  assert.match(failed(foreign.out).join('\n'), /✗ CORS on the answer — Access-Control-Allow-Origin is missing for the allowed origin https:\/\/elsewhere\.example \(is --origin in the backend's allow-list\?\)/);
  const sku = await check(ours(), ['--sku', 'no-such']);
  assert.match(failed(sku.out)[0] ?? '', /✗ product lookup — GET \/products\/no-such answered 404, expected 200/);
  const out: string[] = [];
  const code = await checkBackendCommand(['http://127.0.0.1:9/robokassa', '--timeout', '2000'], { out: (l) => void out.push(l), err: () => undefined });
  assert.equal(code, 1);
  assert.match(out[1] ?? '', /^✗ healthz — GET \/healthz: no answer \(.+\)$/);
  assert.deepEqual(out.slice(2, -1).filter((l) => !l.endsWith('not run: the backend did not answer')), [], 'one reason, then not run');
});

test('bad flags exit 2 with the usage line; the binary\'s dispatcher knows the command', async () => {
  const err: string[] = [];
  const io = { out: () => undefined, err: (l: string) => void err.push(l) };
  assert.equal(await checkBackendCommand([], io), 2);
  assert.match(err.join('\n'), /missing the backend URL[\s\S]*usage: robokassa-checkout check-backend URL/);
  assert.equal(await checkBackendCommand(['ftp://x/robokassa'], io), 2);
  assert.equal(await checkBackendCommand(['http://x/robokassa', '--origin', 'https://a.example/path'], io), 2);
  assert.equal(await checkBackendCommand(['http://x/robokassa', '--nope'], io), 2);
  const out: string[] = [];
  assert.equal(await run(['check-backend', '--help'], {}, { out: (l) => void out.push(l), err: () => undefined }), 0);
  assert.match(out.join('\n'), /check-backend URL \[--sku course-basic\]/);
});
