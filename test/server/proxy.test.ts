// Behind a reverse proxy: X-Forwarded-For is believed only from a configured proxy address
// (ROBOKASSA_TRUST_PROXY), and ResultURL can be limited to Robokassa's published source addresses
// (ROBOKASSA_RESULT_ALLOW, off by default).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import { ConfigError, parseConfig } from '../../src/server/config.js';
import { ROBOKASSA_NOTIFICATION_ADDRESSES, addressMatcher } from '../../src/server/addresses.js';
import { clientAddress } from '../../src/server/rate-limit.js';
import { baseEnv, checkout, form, peer, signed } from './helpers.js';
import { fileApp, snapshot } from './security/support.js';

const configError = (env: Record<string, string>): ConfigError => {
  try {
    parseConfig(baseEnv(env));
  } catch (err) {
    assert.ok(err instanceof ConfigError, String(err));
    return err;
  }
  assert.fail(`no error for ${JSON.stringify(env)}`);
};

test('ROBOKASSA_TRUST_PROXY is a list of proxy addresses: a count (the old form) is refused with the way forward, bad entries named by place, never quoted', () => {
  assert.deepEqual(parseConfig(baseEnv({ ROBOKASSA_TRUST_PROXY: 'loopback, 10.0.0.0/8, 2001:DB8::/32' })).trustProxy, ['127.0.0.0/8', '::1', '10.0.0.0/8', '2001:db8::/32']);
  assert.equal(parseConfig(baseEnv()).trustProxy, undefined);
  const count = configError({ ROBOKASSA_TRUST_PROXY: '1' });
  assert.equal(count.variable, 'ROBOKASSA_TRUST_PROXY');
  assert.match(count.message, /not a count: e\.g\. 127\.0\.0\.1 \(or loopback\)/);
  const secretish = configError({ ROBOKASSA_TRUST_PROXY: '127.0.0.1, hunter2-password' });
  assert.equal(secretish.message, 'ROBOKASSA_TRUST_PROXY: entry 2 of 2 is not an IP address or a CIDR range like 10.0.0.0/8 (or loopback)');
  assert.match(configError({ ROBOKASSA_TRUST_PROXY: '10.0.0.0/33' }).message, /the value: a CIDR prefix must be 0–32 for IPv4/);
  assert.match(configError({ ROBOKASSA_TRUST_PROXY: '::1/200' }).message, /0–128 for IPv6/);
});

test('ROBOKASSA_RESULT_ALLOW: "robokassa" is the published pair, addresses and ranges may join it; off when unset', () => {
  assert.deepEqual(parseConfig(baseEnv({ ROBOKASSA_RESULT_ALLOW: 'robokassa' })).resultAllow, ['185.59.216.65', '185.59.217.65']);
  assert.deepEqual(parseConfig(baseEnv({ ROBOKASSA_RESULT_ALLOW: 'Robokassa, 192.0.2.0/24' })).resultAllow, [...ROBOKASSA_NOTIFICATION_ADDRESSES, '192.0.2.0/24']);
  assert.equal(parseConfig(baseEnv()).resultAllow, undefined);
  const bad = configError({ ROBOKASSA_RESULT_ALLOW: 'robokasa' });
  assert.equal(bad.message, 'ROBOKASSA_RESULT_ALLOW: the value is not an IP address or a CIDR range like 10.0.0.0/8 (or robokassa)');
});

test('clientAddress believes X-Forwarded-For only when the socket peer is a trusted proxy, hop by hop from the right', async () => {
  const trusted = addressMatcher(['127.0.0.0/8', '::1', '10.0.0.0/8']);
  const app = new Hono();
  app.get('/', (c) => c.text(clientAddress(c, trusted) ?? 'none'));
  app.get('/untrusting', (c) => c.text(clientAddress(c) ?? 'none'));
  const ask = async (from: string | null, xff?: string, path = '/'): Promise<string> =>
    (await app.request(path, { headers: xff === undefined ? {} : { 'x-forwarded-for': xff } }, from === null ? undefined : peer(from))).text();

  assert.equal(await ask('127.0.0.1', '198.51.100.7'), '198.51.100.7', 'one proxy on loopback');
  assert.equal(await ask('127.0.0.1', '198.51.100.7, 10.1.1.1'), '198.51.100.7', 'two proxies: loopback, then a private one');
  assert.equal(await ask('127.0.0.1', '185.59.216.65, 198.51.100.7, 10.1.1.1'), '198.51.100.7', 'the client forged entries to the left');
  assert.equal(await ask('::ffff:127.0.0.1', '198.51.100.7'), '198.51.100.7', 'IPv4-mapped peer');
  assert.equal(await ask('::1', '2001:db8::7'), '2001:db8::7');
  assert.equal(await ask('203.0.113.9', '185.59.216.65'), '203.0.113.9', 'a peer that is not a proxy: its header is ignored');
  assert.equal(await ask('127.0.0.1'), '127.0.0.1', 'no header: the proxy itself');
  assert.equal(await ask('127.0.0.1', '10.0.0.2, 10.0.0.1'), '10.0.0.2', 'every hop a proxy: the leftmost');
  assert.equal(await ask('127.0.0.1', 'junk'), 'junk', 'a non-address is the client, never trusted');
  assert.equal(await ask('127.0.0.1', '198.51.100.7', '/untrusting'), '127.0.0.1', 'no proxy configured: the socket');
  assert.equal(await ask(null, '198.51.100.7'), 'none', 'no socket (app.request): nobody to judge the header by');
});

function listen(fetch: (req: Request, env: unknown) => Response | Promise<Response>): Promise<{ server: ServerType; base: string }> {
  return new Promise((resolve) => {
    const server = serve({ fetch, port: 0, hostname: '127.0.0.1' }, (info) => resolve({ server, base: `http://127.0.0.1:${info.port}` }));
  });
}

test('over a real socket: X-Forwarded-For from a peer that is not the configured proxy is ignored; from the proxy it is the client', async () => {
  for (const [trust, expected] of [[undefined, '127.0.0.1'], ['10.9.9.9', '127.0.0.1'], ['loopback', '198.51.100.7']] as const) {
    const t = fileApp({ ROBOKASSA_RESULT_ALLOW: '192.0.2.1', ...(trust !== undefined && { ROBOKASSA_TRUST_PROXY: trust }) });
    const { server, base } = await listen(t.app.fetch);
    try {
      const res = await fetch(`${base}/robokassa/result`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': '198.51.100.7' }, body: 'InvId=1' });
      assert.equal(res.status, 403);
      const refused = t.logs.find((l) => l['event'] === 'result_source_refused');
      assert.equal(refused?.['address'], expected, `ROBOKASSA_TRUST_PROXY=${trust ?? '(unset)'}`);
    } finally {
      server.close();
      t.close();
    }
  }
});

test('ROBOKASSA_RESULT_ALLOW=robokassa: a genuine notification from elsewhere is 403, logged without its parameters, and changes nothing; from Robokassa (through the proxy) it pays', async () => {
  const t = fileApp({ ROBOKASSA_RESULT_ALLOW: 'robokassa', ROBOKASSA_TRUST_PROXY: '127.0.0.1' });
  try {
    const pay = await checkout(t);
    const genuine = signed({ outSum: '1500.000000', invId: pay.invoiceId, extra: { EMail: 'buyer@example.com' } });
    const via = (xff: string): RequestInit => ({ ...form(genuine), headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': xff } });
    const before = snapshot(t.db);

    for (const [init, from, why] of [
      [via('203.0.113.5'), peer('127.0.0.1'), 'another address behind the proxy'],
      [via('185.59.216.65'), peer('192.0.2.50'), 'a forged header from a peer that is not the proxy'],
      [via('185.59.216.65'), undefined, 'no socket address at all (fails closed)'],
    ] as const) {
      const res = await t.app.request('/robokassa/result', init, from);
      assert.equal(res.status, 403, why);
      assert.equal(await res.text(), 'source address not allowed');
    }
    const get = await t.app.request(`/robokassa/result?${genuine.toString()}`, {}, peer('203.0.113.5'));
    assert.equal(get.status, 403, 'GET too');
    assert.deepEqual(snapshot(t.db), before, 'a refused source changed or recorded something');
    assert.equal(t.paid.length, 0);

    const refusals = t.logs.filter((l) => l['event'] === 'result_source_refused');
    assert.deepEqual(refusals.map((l) => l['address']), ['203.0.113.5', '192.0.2.50', null, '203.0.113.5']);
    const logText = JSON.stringify(t.logs);
    assert.ok(!logText.includes(genuine.get('SignatureValue')!) && !logText.includes('buyer@example.com'), 'the log carries the parameters');

    const ok = await t.app.request('/robokassa/result', via('185.59.217.65'), peer('127.0.0.1'));
    assert.equal(await ok.text(), `OK${pay.invoiceId}`);
    assert.equal(t.paid.length, 1);
  } finally {
    t.close();
  }
});

test('off by default: any source is heard (the signature is the proof); other routes never look at the allow-list', async () => {
  const open = fileApp();
  const closed = fileApp({ ROBOKASSA_RESULT_ALLOW: 'robokassa' });
  try {
    const pay = await checkout(open);
    const res = await open.app.request('/robokassa/result', form(signed({ outSum: '1500.000000', invId: pay.invoiceId })), peer('203.0.113.5'));
    assert.equal(await res.text(), `OK${pay.invoiceId}`);
    assert.equal((await closed.app.request('/robokassa/healthz', {}, peer('203.0.113.5'))).status, 200);
    await checkout(closed);
  } finally {
    open.close();
    closed.close();
  }
});
