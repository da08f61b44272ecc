// handlerTimeout: the handler answers, or after the deadline a 503 in the JSON error shape does; a thrown
// error still reaches app.onError; and a request that finished leaves no timer behind.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Hono } from 'hono';
import { handlerTimeout } from '../../src/server/timeouts.js';

function app(ms: number): Hono {
  const a = new Hono();
  a.use('*', handlerTimeout(ms));
  a.get('/fast', (c) => c.text('fast'));
  a.get('/stuck', () => new Promise<Response>(() => undefined));
  a.get('/throws', async () => { await Promise.resolve(); throw new Error('boom'); });
  a.get('/late', async (c) => { await new Promise((r) => setTimeout(r, 80)); return c.text('late'); });
  a.get('/late-throws', async () => { await new Promise((r) => setTimeout(r, 80)); throw new Error('late boom'); });
  a.onError((err, c) => c.json({ error: { code: 'internal_error', message: err.message } }, 500));
  return a;
}

const timers = (): number => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;

test('a handler that answers in time: its answer, and its deadline timer is cleared', async () => {
  const a = app(60_000);
  const before = timers();
  const res = await a.request('/fast');
  assert.equal(await res.text(), 'fast');
  assert.equal(timers(), before);
});

test('a stuck handler: 503 timeout with Retry-After after the deadline', async () => {
  const started = performance.now();
  const res = await app(50).request('/stuck');
  assert.ok(performance.now() - started >= 45);
  assert.equal(res.status, 503);
  assert.equal(res.headers.get('retry-after'), '5');
  assert.deepEqual(await res.json(), { error: { code: 'timeout', message: 'the server did not answer within 0.05 s; try again' } });
});

test('a throwing handler reaches app.onError (not a 503), and its timer is cleared', async () => {
  const a = app(60_000);
  const before = timers();
  const res = await a.request('/throws');
  assert.equal(res.status, 500);
  assert.deepEqual(await res.json(), { error: { code: 'internal_error', message: 'boom' } });
  assert.equal(timers(), before);
});

test('a handler that finishes or throws after the deadline changes nothing: the 503 stands, nothing unhandled', async () => {
  const unhandled: unknown[] = [];
  const onUnhandled = (e: unknown): void => { unhandled.push(e); };
  process.on('unhandledRejection', onUnhandled);
  try {
    for (const path of ['/late', '/late-throws']) {
      const res = await app(20).request(path);
      assert.equal(res.status, 503);
    }
    await new Promise((r) => setTimeout(r, 150));
    assert.deepEqual(unhandled, []);
  } finally {
    process.off('unhandledRejection', onUnhandled);
  }
});
