// Reading a POST body over a real socket. A body that came whole with its headers is taken from the
// stream's buffer at once (timeouts.ts bufferedBody); the rest is read chunk by chunk under the deadline.
// Either way: the same decoding, the 400 that names the field, 408 for a body that stops, 413 over 16 KiB.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { createApp } from '../../src/server/index.js';
import { makeApp } from './helpers.js';

const t = makeApp();
const app = createApp(t.config, { store: t.store, log: () => undefined, timeouts: { bodyMs: 300 } });
let server: ServerType;
let port: number;
/** requests whose body was read through the stream's async iterator (the slow path) */
let iterated = 0;
const seen: IncomingMessage[] = [];

before(async () => {
  server = await new Promise<ServerType>((resolve) => {
    const s = serve({
      fetch: (req, env) => {
        const incoming = env.incoming as IncomingMessage; // HTTP/1 here
        seen.push(incoming);
        const iterate = incoming[Symbol.asyncIterator].bind(incoming);
        incoming[Symbol.asyncIterator] = () => { iterated++; return iterate(); };
        return app.fetch(req, env);
      },
      port: 0, hostname: '127.0.0.1',
    }, () => resolve(s));
  });
  port = (server.address() as AddressInfo).port;
});

after(async () => {
  if ('closeAllConnections' in server) server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  t.store.close();
});

const CART = JSON.stringify({ items: [{ sku: 'course-basic', quantity: 1 }] });

function head(body: string | Buffer, headers = ''): string {
  return `POST /robokassa/checkout HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n${headers}\r\n`;
}

/** Writes `parts` (a number waits that many ms) on one connection; resolves with what came back once the answer is in or it closes. */
function exchange(parts: (string | Buffer | number)[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = connect(port, '127.0.0.1');
    let out = '';
    const done = (): void => { s.destroy(); resolve(out); };
    s.on('data', (d) => {
      out += d;
      if (/\r\n\r\n[\s\S]*\}$/.test(out)) done();
    });
    s.on('error', reject);
    s.on('close', () => resolve(out));
    void (async () => {
      for (const part of parts) {
        if (typeof part === 'number') await new Promise((r) => setTimeout(r, part));
        else s.write(part);
      }
    })();
    setTimeout(done, 5_000);
  });
}

const status = (answer: string): number => Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1]);
const errorOf = (answer: string): { code: string; message: string; issues?: { path: string }[] } =>
  (JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4)) as { error: { code: string; message: string; issues?: { path: string }[] } }).error;

test('a body that came with its headers is taken whole (no reader), and the request stream still ends', async () => {
  const before = iterated;
  const answer = await exchange([head(CART) + CART]);
  assert.equal(status(answer), 201, answer);
  assert.equal(iterated, before, 'the body went through the chunk reader');
  await new Promise((r) => setImmediate(r));
  assert.equal(seen.at(-1)!.readableEnded, true, 'the request stream never ended (left for @hono/node-server to drain)');
});

test('through the whole-body path: bad JSON is 400 invalid_json, an amount in the body is 400 naming the field, a BOM is dropped', async () => {
  const before = iterated;
  const bad = '{"items":[{"sku":"course-basic","quantity":1}';
  assert.equal(errorOf(await exchange([head(bad) + bad])).code, 'invalid_json');
  const priced = JSON.stringify({ items: [{ sku: 'course-basic', quantity: 1 }], amount: '1.00' });
  const refused = errorOf(await exchange([head(priced) + priced]));
  assert.equal(refused.code, 'invalid_request');
  assert.deepEqual(refused.issues?.map((i) => i.path), ['amount']);
  const wrongQuantity = JSON.stringify({ items: [{ sku: 'course-basic', quantity: 0 }] });
  assert.deepEqual(errorOf(await exchange([head(wrongQuantity) + wrongQuantity])).issues?.map((i) => i.path), ['items.0.quantity']);
  const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(CART)]);
  assert.equal(status(await exchange([Buffer.concat([Buffer.from(head(bom)), bom])])), 201);
  assert.equal(iterated, before);
});

test('a body that arrives after its headers is read chunk by chunk, and still works', async () => {
  const before = iterated;
  const answer = await exchange([head(CART), 50, CART.slice(0, 10), 50, CART.slice(10)]);
  assert.equal(status(answer), 201, answer);
  assert.ok(iterated > before, 'a late body should take the chunk reader');
});

test('a body that stops short of its Content-Length: 408 after the body deadline, connection closed', async () => {
  const started = Date.now();
  const answer = await exchange([head(CART) + CART.slice(0, 20)]);
  assert.equal(status(answer), 408, answer);
  assert.equal(errorOf(answer).code, 'request_timeout');
  assert.ok(Date.now() - started < 3_000);
  assert.match(answer, /connection: close/i);
});

test('over 16 KiB: a declared length is refused unread, a chunked body that came whole is cut off (413)', async () => {
  const big = JSON.stringify({ items: [{ sku: 'course-basic', quantity: 1 }], pad: 'x'.repeat(17_000) });
  assert.equal(errorOf(await exchange([head(big) + big])).code, 'payload_too_large');
  const chunked = `POST /robokassa/checkout HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n${big.length.toString(16)}\r\n${big}\r\n0\r\n\r\n`;
  assert.equal(errorOf(await exchange([chunked])).code, 'payload_too_large');
});
