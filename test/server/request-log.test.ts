// The request line on the default log (stdout, one write per event-loop turn): exactly the JSON of
// { time, method, path, status, ms } in that order, one per request; a path holding a secret is
// written redacted, as every entry is; a log of the shop's own still gets the entry as an object.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createApp } from '../../src/server/index.js';
import { openSqliteStore, parseConfig } from '../../src/server/index.js';
import { PASSWORD1, PASSWORD2, baseEnv } from './helpers.js';

/** What the app writes to stdout while `run` goes (and the turn after it, when the batch is written). */
async function stdoutDuring(run: () => Promise<void>): Promise<string> {
  const written: string[] = [];
  const original = process.stdout.write.bind(process.stdout);
  // the app writes its batch as one string; the test runner's own reports (binary) go on as before
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]): boolean => {
    if (typeof chunk === 'string' && chunk.startsWith('{"time":')) { written.push(chunk); return true; }
    return (original as (c: string | Uint8Array, ...r: unknown[]) => boolean)(chunk, ...rest);
  }) as typeof process.stdout.write;
  try {
    await run();
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
  } finally {
    process.stdout.write = original;
  }
  return written.join('');
}

test('the default log writes each request as the JSON of {time, method, path, status, ms}, secrets masked', async () => {
  const config = parseConfig(baseEnv());
  const store = openSqliteStore(':memory:');
  const app = createApp(config, { store, now: () => new Date('2026-12-02T10:00:00.000Z') });
  try {
    const out = await stdoutDuring(async () => {
      await app.request('/robokassa/healthz');
      await app.request(`/robokassa/payments/${PASSWORD1}`);
      await app.request(`/robokassa/x${PASSWORD2}y`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      await app.request('/elsewhere/"quoted"');
    });
    const lines = out.split('\n').filter((l) => l !== '');
    const entries = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.equal(entries.length, 4);
    for (const [i, e] of entries.entries()) {
      assert.deepEqual(Object.keys(e), ['time', 'method', 'path', 'status', 'ms']);
      assert.equal(e['time'], '2026-12-02T10:00:00.000Z');
      assert.equal(typeof e['ms'], 'number');
      assert.equal(lines[i], JSON.stringify(e)); // the text JSON.stringify gives for the entry
    }
    assert.deepEqual(entries.map((e) => [e['method'], e['path'], e['status']]), [
      ['GET', '/robokassa/healthz', 200],
      ['GET', '/robokassa/payments/********', 404],
      ['POST', '/robokassa/x********y', 404],
      ['GET', '/elsewhere/"quoted"', 404],
    ]);
    assert.ok(!out.includes(PASSWORD1) && !out.includes(PASSWORD2), 'a password reached stdout');
  } finally {
    store.close();
  }
});

test('a log of the shop\'s own gets the request entry as an object, redacted', async () => {
  const config = parseConfig(baseEnv());
  const store = openSqliteStore(':memory:');
  const logs: Record<string, unknown>[] = [];
  const app = createApp(config, { store, log: (e) => void logs.push(e) });
  try {
    await app.request(`/robokassa/payments/${PASSWORD1}`);
    const entry = logs.find((e) => e['path'] !== undefined)!;
    assert.deepEqual(Object.keys(entry), ['time', 'method', 'path', 'status', 'ms']);
    assert.equal(entry['path'], '/robokassa/payments/********');
  } finally {
    store.close();
  }
});
