// The demo forwards /robokassa/* to the backend inside one Hono app: the backend must still see the
// buyer's address there, or its per-address checkout limit quietly steps aside.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDemoServer } from '../../demo/server.js';

test('the demo backend sees the client address: the checkout rate limit applies, not skipped', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'rk-demo-'));
  const events: Record<string, unknown>[] = [];
  const demo = await startDemoServer({ port: 0, dataDir, build: 'none', log: (e) => void events.push(e) });
  try {
    const res = await fetch(`${demo.origin}/robokassa/checkout`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: demo.origin },
      body: JSON.stringify({ items: [{ sku: 'course-basic', quantity: 1 }] }),
    });
    assert.equal(res.status, 201, await res.clone().text());
    const skipped = events.filter((e) => e.event === 'rate_limit_skipped');
    assert.deepEqual(skipped, [], 'the backend was called without the client address');
  } finally {
    await demo.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
