// Abuse: POST /checkout is rate-limited per client address (429 + Retry-After, configurable, generous
// by default, the limiter's memory capped); a flood of distinct Idempotency-Keys keeps the process's
// memory flat; slow or stuck requests end (408 for a body that doesn't arrive, 503 for a stuck handler,
// Node's own 408 for headers that never end on main.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { Agent, request as httpRequest } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { join } from 'node:path';
import { Hono } from 'hono';
import { serve, type ServerType } from '@hono/node-server';
import { createApp, openSqliteStore, parseConfig } from '../../../src/server/index.js';
import { rateLimit } from '../../../src/server/rate-limit.js';
import { addressMatcher } from '../../../src/server/addresses.js';
import { PAGE_ORIGIN, baseEnv, form, json, peer, signed, tempDir } from '../helpers.js';
import { assertErrorShape, fileApp, snapshot } from './support.js';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const BODY = { items: [{ sku: 'course-basic', quantity: 1 }] };

function listen(app: Hono): Promise<{ server: ServerType; base: string }> {
  return new Promise((resolve) => {
    const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => resolve({ server, base: `http://127.0.0.1:${info.port}` }));
  });
}
const close = (server: ServerType): Promise<void> => new Promise((r) => {
  if ('closeAllConnections' in server) server.closeAllConnections();
  server.close(() => r());
});

test('rate limit: 5 a minute behind one trusted proxy — the 6th checkout from an address is 429 with Retry-After, writes nothing; other addresses go on', async () => {
  const t = fileApp({ ROBOKASSA_RATE_LIMIT: '5', ROBOKASSA_TRUST_PROXY: '127.0.0.1' });
  // the proxy on loopback: its X-Forwarded-For is believed
  const proxy = peer('127.0.0.1');
  try {
    const from = (addr: string, forged = ''): RequestInit => json(BODY, { origin: PAGE_ORIGIN, 'x-forwarded-for': `${forged}${addr}` });
    for (let i = 0; i < 5; i++) assert.equal((await t.app.request('/robokassa/checkout', from('203.0.113.7'), proxy)).status, 201);
    const before = snapshot(t.db);
    // forging entries to the left of what the proxy saw does not make a new address
    const res = await t.app.request('/robokassa/checkout', from('203.0.113.7', '198.51.100.1, '), proxy);
    assert.equal(res.status, 429);
    assert.equal(res.headers.get('retry-after'), '12');
    assert.equal(res.headers.get('access-control-allow-origin'), PAGE_ORIGIN, 'the element can read the refusal');
    const body = assertErrorShape(429, res.headers.get('content-type'), await res.text(), '429');
    assert.equal(body.error.code, 'rate_limited');
    assert.deepEqual(snapshot(t.db), before, 'a refused checkout wrote something');
    assert.equal((await t.app.request('/robokassa/checkout', from('203.0.113.8'), proxy)).status, 201);
    // status polls and notifications are not limited
    for (let i = 0; i < 20; i++) assert.notEqual((await t.app.request('/robokassa/healthz')).status, 429);
  } finally {
    t.close();
  }
});

test('rate limit over a real socket: X-Forwarded-For is ignored unless a proxy is trusted; the default (60 a minute) lets 60 through', async () => {
  const config = parseConfig(baseEnv());
  const app = createApp(config, { store: openSqliteStore(':memory:'), log: () => undefined });
  const { server, base } = await listen(app);
  try {
    // all at once (the bucket refills one a second, so a slow sequence would earn extra ones)
    const started = Date.now();
    const statuses = await Promise.all(Array.from({ length: 80 }, async (_, i) => {
      const res = await fetch(`${base}/robokassa/checkout`, json(BODY, { 'x-forwarded-for': `10.0.0.${i}` }));
      await res.arrayBuffer();
      return res.status;
    }));
    const seconds = Math.ceil((Date.now() - started) / 1000);
    const created = statuses.filter((s) => s === 201).length;
    assert.ok(created >= 60 && created <= 60 + seconds, `${created} created in ${seconds} s`);
    assert.equal(statuses.filter((s) => s === 429).length, 80 - created);
  } finally {
    await close(server);
  }
  assert.throws(() => parseConfig(baseEnv({ ROBOKASSA_RATE_LIMIT: 'lots' })), /ROBOKASSA_RATE_LIMIT/);
  assert.throws(() => parseConfig(baseEnv({ ROBOKASSA_TRUST_PROXY: '-1' })), /ROBOKASSA_TRUST_PROXY/);
  const off = fileApp({ ROBOKASSA_RATE_LIMIT: '0' });
  try {
    for (let i = 0; i < 70; i++) assert.equal((await off.app.request('/robokassa/checkout', json(BODY))).status, 201);
  } finally {
    off.close();
  }
});

test('rate limit without a client address (the backend mounted with backend.fetch(req)): skipped with one warning, not one bucket shared by every buyer', async () => {
  const t = fileApp({ ROBOKASSA_RATE_LIMIT: '2' });
  try {
    for (let i = 0; i < 5; i++) assert.equal((await t.app.request('/robokassa/checkout', json(BODY))).status, 201);
    assert.equal(t.logs.filter((l) => l['event'] === 'rate_limit_skipped').length, 1);
  } finally {
    t.close();
  }
});

test('rate limit: the bucket refills over time, and a flood of addresses cannot grow its memory past the cap', async () => {
  let now = 0;
  const app = new Hono();
  app.use('*', rateLimit({ perMinute: 2, trustedProxy: addressMatcher(['127.0.0.1']), maxClients: 100, now: () => now }));
  app.post('*', (c) => c.text('ok'));
  const post = (addr: string): Promise<number> => Promise.resolve(app.request('/', { method: 'POST', headers: { 'x-forwarded-for': addr } }, peer('127.0.0.1'))).then((r) => r.status);
  assert.deepEqual([await post('a'), await post('a'), await post('a')], [200, 200, 429]);
  now += 29_000;
  assert.equal(await post('a'), 429);
  now += 1_000; // 30 s: one token back
  assert.deepEqual([await post('a'), await post('a')], [200, 429]);
  // 'a' is empty; 100 other addresses push it out of the capped map, so memory stays bounded
  for (let i = 0; i < 100; i++) await post(`flood-${i}`);
  assert.equal(await post('a'), 200, 'the map kept more than maxClients addresses');
  // and GET is never counted
  for (let i = 0; i < 10; i++) assert.equal((await app.request('/', { headers: { 'x-forwarded-for': 'a' } })).status, 404);
});

/** heapUsed after a full GC. */
function heapAfterGc(): number {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

test('a flood of distinct Idempotency-Keys: keys live in SQLite, one row each, the heap stays flat; one key replayed stays one row', async () => {
  const t = fileApp({ ROBOKASSA_RATE_LIMIT: '0' });
  try {
    const flood = async (n: number, offset: number): Promise<void> => {
      for (let i = 0; i < n; i += 50) {
        await Promise.all(Array.from({ length: 50 }, async (_, j) => {
          const res = await t.app.request('/robokassa/checkout', json(BODY, { 'idempotency-key': `flood-${offset + i + j}-${'k'.repeat(150)}` }));
          assert.equal(res.status, 201);
          await res.arrayBuffer();
        }));
      }
    };
    await flood(300, 0); // warm-up: statement caches, JIT
    t.logs.length = 0;
    const h0 = heapAfterGc();
    await flood(1500, 300);
    t.logs.length = 0; // the test's own log capture is not the app's memory
    const h1 = heapAfterGc();
    const growth = (h1 - h0) / 1500;
    console.log(`idempotency flood: heap ${(h0 / 2 ** 20).toFixed(1)} MB -> ${(h1 / 2 ** 20).toFixed(1)} MB after 1,500 more keys (${Math.round(growth)} B/key)`);
    assert.ok(growth < 1000, `heap grew ${Math.round(growth)} B per key: something keeps keys in memory`);
    const s = snapshot(t.db);
    assert.equal(s.idempotencyKeys, 1800);
    assert.equal(s.payments, 1800);
    for (let i = 0; i < 100; i++) assert.equal((await t.app.request('/robokassa/checkout', json(BODY, { 'idempotency-key': 'same' }))).status, 201);
    assert.equal(snapshot(t.db).idempotencyKeys, 1801);
  } finally {
    t.close();
  }
});

test('2,000 chunked POST bodies over a real socket: the heap stays flat (no Request kept per body)', async () => {
  const t = fileApp();
  const { server } = await listen(t.app);
  const agent = new Agent({ keepAlive: true, maxSockets: 10 });
  const port = (server.address() as AddressInfo).port;
  const post = (body: string): Promise<number> => new Promise((resolve, reject) => {
    // no Content-Length: node:http sends the body chunked
    const req = httpRequest({ host: '127.0.0.1', port, method: 'POST', path: '/robokassa/result', agent, headers: { 'content-type': 'application/x-www-form-urlencoded' } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.write(body.slice(0, 10));
    req.end(body.slice(10));
  });
  const burst = async (n: number): Promise<void> => {
    for (let i = 0; i < n; i += 10) {
      const statuses = await Promise.all(Array.from({ length: 10 }, (_, j) => post(signed({ outSum: '1.000000', invId: 900000 + i + j }).toString())));
      assert.ok(statuses.every((s) => s === 400));
    }
  };
  try {
    await burst(300);
    t.logs.length = 0;
    const h0 = heapAfterGc();
    await burst(2000);
    t.logs.length = 0;
    const h1 = heapAfterGc();
    const perRequest = (h1 - h0) / 2000;
    console.log(`chunked bodies: heap ${(h0 / 2 ** 20).toFixed(1)} MB -> ${(h1 / 2 ** 20).toFixed(1)} MB after 2,000 (${Math.round(perRequest)} B/request)`);
    assert.ok(perRequest < 800, `the heap grew ${Math.round(perRequest)} B per chunked request`);
  } finally {
    agent.destroy();
    await close(server);
    t.close();
  }
});

test('a request body that stops arriving: 408 in the JSON error shape after the body deadline, nothing written', async () => {
  const t = fileApp();
  const app = createApp(t.config, { store: t.store, log: () => undefined, timeouts: { bodyMs: 300 } });
  try {
    const before = snapshot(t.db);
    let pulls = 0;
    const stalled = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (pulls++ === 0) controller.enqueue(new TextEncoder().encode('{"items":[{"sku":"course-'));
        return new Promise(() => undefined); // and nothing more, ever
      },
    });
    const started = Date.now();
    const res = await app.request('/robokassa/checkout', { method: 'POST', headers: { 'content-type': 'application/json' }, body: stalled, duplex: 'half' } as RequestInit);
    assert.equal(res.status, 408);
    assert.ok(Date.now() - started < 3_000);
    assert.equal(assertErrorShape(408, res.headers.get('content-type'), await res.text(), '408').error.code, 'request_timeout');
    assert.deepEqual(snapshot(t.db), before);
    // a body that does arrive in time still works, chunked or not
    assert.equal((await app.request('/robokassa/checkout', json(BODY))).status, 201);
  } finally {
    t.close();
  }
});

test('over a real socket: a trickling chunked body gets 408 and the connection is closed; the server keeps serving', async () => {
  const t = fileApp();
  const app = createApp(t.config, { store: t.store, log: () => undefined, timeouts: { bodyMs: 400 } });
  const { server, base } = await listen(app);
  try {
    const port = (server.address() as AddressInfo).port;
    const answer = await new Promise<string>((resolve) => {
      const s = connect(port, '127.0.0.1');
      let out = '';
      // the answer stops the drip: writing on after the server closed draws a reset (ECONNRESET), which can
      // also drop the answer still unread; the reset itself is expected, not an error of the test
      let drip: NodeJS.Timeout | undefined;
      s.on('data', (d) => { out += d; clearInterval(drip); });
      s.on('error', () => undefined);
      s.on('close', () => { clearInterval(drip); resolve(out); });
      s.write('POST /robokassa/result HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nOut\r\n');
      drip = setInterval(() => s.write('1\r\nS\r\n'), 100);
      setTimeout(() => s.destroy(), 5_000);
    });
    assert.match(answer, /^HTTP\/1\.1 408/);
    assert.match(answer, /request_timeout/);
    const health = await fetch(`${base}/robokassa/healthz`);
    assert.equal(health.status, 200);
  } finally {
    await close(server);
    t.close();
  }
});

test('a stuck handler (an onPaid hook that never returns): 503 with Retry-After; the payment is already paid, and the retry is a duplicate OK', async () => {
  const t = fileApp();
  const app = createApp(t.config, { store: t.store, log: () => undefined, onPaid: () => new Promise(() => undefined), timeouts: { handlerMs: 300 } });
  try {
    const res = await app.request('/robokassa/checkout', json(BODY));
    const pay = (await res.json()) as { invoiceId: number; id: string };
    const first = await app.request('/robokassa/result', form(signed({ outSum: '1500.000000', invId: pay.invoiceId })));
    assert.equal(first.status, 503);
    assert.equal(first.headers.get('retry-after'), '5');
    assert.equal(assertErrorShape(503, first.headers.get('content-type'), await first.text(), '503').error.code, 'timeout');
    const row = t.db.prepare('SELECT status FROM payments WHERE id = ?').get(pay.id) as { status: string };
    assert.equal(row.status, 'paid');
    const retry = await app.request('/robokassa/result', form(signed({ outSum: '1500.000000', invId: pay.invoiceId })));
    assert.equal(await retry.text(), `OK${pay.invoiceId}`);
  } finally {
    t.close();
  }
});

test('main.ts: headers that never finish are cut by the server itself (408, connection closed)', { timeout: 60_000 }, async () => {
  const env = Object.fromEntries(Object.entries(baseEnv({ ROBOKASSA_DATABASE: join(tempDir(), 'db.sqlite'), PORT: '0' })).filter((e): e is [string, string] => e[1] !== undefined));
  const proc = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts'], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const port = await new Promise<number>((resolve, reject) => {
      const lines = createInterface({ input: proc.stdout! });
      lines.on('line', (l) => { if (l.includes('"listening"')) resolve(Number(new URL((JSON.parse(l) as { url: string }).url).port)); });
      proc.once('exit', (code) => reject(new Error(`main.ts exited ${code}`)));
    });
    const started = Date.now();
    const answer = await new Promise<string>((resolve) => {
      const s = connect(port, '127.0.0.1');
      let out = '';
      // as above: the answer stops the drip, and a reset from writing into a closed connection is expected
      let drip: NodeJS.Timeout | undefined;
      s.on('data', (d) => { out += d; clearInterval(drip); });
      s.on('error', () => undefined);
      s.on('close', () => { clearInterval(drip); resolve(out); });
      s.write('GET /robokassa/healthz HTTP/1.1\r\nHost: x\r\n');
      drip = setInterval(() => s.write('X-Slow: 1\r\n'), 500);
      setTimeout(() => s.destroy(), 40_000);
    });
    const took = Date.now() - started;
    assert.match(answer, /^HTTP\/1\.1 408/, `answer after ${took} ms: ${answer.slice(0, 100)}`);
    assert.ok(took < 20_000, `took ${took} ms`);
  } finally {
    proc.kill('SIGKILL');
  }
});
