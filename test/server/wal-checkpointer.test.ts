// The WAL checkpointer: writes reach the database file from the worker soon after they commit (not at the
// 1000-page mark inside some later commit), a worker that cannot run hands checkpoints back to SQLite,
// and closing the store leaves no WAL behind.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { openSqliteStore } from '../../src/server/index.js';
import { startWalCheckpointer } from '../../src/server/wal-checkpointer.js';
import { tempDir } from './helpers.js';
import { payment } from './store.suite.js';

async function until(what: string, ok: () => boolean, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) assert.fail(`not within ${ms} ms: ${what}`);
    await sleep(20);
  }
}

test('payments written in a burst far below 1000 WAL pages reach the database file from the worker', async () => {
  const path = join(tempDir(), 'store.sqlite');
  const store = openSqliteStore(path);
  try {
    const before = statSync(path).size; // the migrated schema: a few pages
    await Promise.all(Array.from({ length: 300 }, (_, i) => store.createPayment((inv) => payment(inv, { id: `pay-${i}` }))));
    // SQLite alone would leave all of this in the WAL (under 1000 pages) until some later commit
    await until('the payments checkpointed into the database file', () => statSync(path).size > before + 64 * 1024);
    assert.equal((await store.getPayment('pay-299'))?.status, 'pending');
  } finally {
    store.close();
  }
});

test('closing the store closes the worker too: the last connection removes the WAL', async () => {
  const path = join(tempDir(), 'store.sqlite');
  const store = openSqliteStore(path);
  await store.createPayment((inv) => payment(inv, { id: 'pay-1' }));
  assert.ok(existsSync(`${path}-wal`));
  store.close();
  await until('the -wal file removed', () => !existsSync(`${path}-wal`));
  const again = openSqliteStore(path);
  try {
    assert.equal((await again.getPayment('pay-1'))?.invoiceId, 1);
  } finally {
    again.close();
  }
});

test('a worker that cannot open the database reports it once, with the reason from SQLite (the store then turns the inline checkpoint back on)', async () => {
  const failures: Error[] = [];
  const checkpointer = startWalCheckpointer(join(tempDir(), 'missing.sqlite'), (error) => failures.push(error), 10);
  checkpointer.wrote();
  await until('the failure reported', () => failures.length > 0);
  await sleep(100);
  checkpointer.wrote(); // after a failure: a no-op, not a post to a dead worker
  assert.equal(failures.length, 1);
  assert.match(failures[0]!.message, /SQLITE_CANTOPEN/);
  checkpointer.close();
});
