// The WAL checkpointer: writes reach the database file from the worker soon after they commit (not at the
// 1000-page mark inside some later commit), the WAL keeps starting over under writes that never pause,
// a worker that cannot run hands checkpoints back to SQLite, closing the store leaves no WAL behind,
// and an idle worker never keeps the process alive.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { closeSync, existsSync, openSync, readSync, statSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { openSqliteStore } from '../../src/server/index.js';
import { startWalCheckpointer } from '../../src/server/wal-checkpointer.js';
import { tempDir } from './helpers.js';
import { until } from '../support/until.js';
import { payment } from './store.suite.js';

test('payments written in a burst far below 1000 WAL pages reach the database file from the worker', async () => {
  const path = join(tempDir(), 'store.sqlite');
  const store = openSqliteStore(path);
  try {
    const before = statSync(path).size; // the migrated schema: a few pages
    await Promise.all(Array.from({ length: 300 }, (_, i) => store.createPayment((inv) => payment(inv, { id: `pay-${i}` }))));
    // SQLite alone would leave all of this in the WAL (under 1000 pages) until some later commit
    await until(() => statSync(path).size > before + 64 * 1024, 3000, 'the payments checkpointed into the database file');
    assert.equal((await store.getPayment('pay-299'))?.status, 'pending');
  } finally {
    store.close();
  }
});

/** The WAL header's checkpoint sequence number: SQLite adds one each time it starts the WAL over. */
function walRestarts(walPath: string): number {
  const header = Buffer.alloc(16);
  const fd = openSync(walPath, 'r');
  try {
    readSync(fd, header, 0, 16, 0);
  } finally {
    closeSync(fd);
  }
  return header.readUInt32BE(12);
}

test('under writes that never pause, the WAL still starts over, long before the 10,000-page backstop', async () => {
  const path = join(tempDir(), 'store.sqlite');
  const store = openSqliteStore(path);
  try {
    await store.createPayment((inv) => payment(inv, { id: 'pay-first' }));
    const first = walRestarts(`${path}-wal`);
    let biggest = 0;
    let n = 0;
    // batch after batch for 1.5 s: each worker pass runs beside commits, so it alone never copies every frame
    const end = Date.now() + 1500;
    while (Date.now() < end) {
      await Promise.all(Array.from({ length: 24 }, () => store.createPayment((inv) => payment(inv, { id: `pay-${n++}` }))));
      biggest = Math.max(biggest, statSync(`${path}-wal`).size);
    }
    assert.ok(walRestarts(`${path}-wal`) - first >= 2, `the WAL started over ${walRestarts(`${path}-wal`) - first} times in 1.5 s of writes`);
    // SQLite's own backstop checkpoint would first have let it reach 10,000 pages of 4 KB
    assert.ok(biggest < 10_000 * 4096 * 0.8, `the WAL reached ${(biggest / 2 ** 20).toFixed(1)} MB`);
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
  await until(() => !existsSync(`${path}-wal`), 3000, 'the -wal file removed');
  const again = openSqliteStore(path);
  try {
    assert.equal((await again.getPayment('pay-1'))?.invoiceId, 1);
  } finally {
    again.close();
  }
});

test('a store written to and never closed does not keep its process alive (an idle worker is unref\'d)', () => {
  const LIMIT_MS = 30_000;
  const dir = tempDir();
  const script = `
    const { openSqliteStore } = await import(${JSON.stringify(fileURLToPath(new URL('../../src/server/index.ts', import.meta.url)))});
    const { payment } = await import(${JSON.stringify(fileURLToPath(new URL('./store.suite.ts', import.meta.url)))});
    const store = openSqliteStore(${JSON.stringify(join(dir, 'store.sqlite'))});
    for (let i = 0; i < 20; i++) await Promise.all(Array.from({ length: 24 }, (_, j) => store.createPayment((inv) => payment(inv, { id: 'pay-' + i + '-' + j }))));
  `;
  // a file, not --eval: an evaluated module's process ends when its code does, handles or not
  const file = join(dir, 'left-open.mts');
  writeFileSync(file, script);
  const run = spawnSync(process.execPath, ['--import', 'tsx', file], {
    cwd: fileURLToPath(new URL('../..', import.meta.url)), timeout: LIMIT_MS, encoding: 'utf8',
  });
  assert.equal(run.signal, null, `the process was still running after ${LIMIT_MS} ms (${run.signal})`);
  assert.equal(run.status, 0, run.stderr);
});

test('a worker that cannot open the database reports it once, with the reason from SQLite (the store then turns the inline checkpoint back on)', async () => {
  const failures: Error[] = [];
  const checkpointer = startWalCheckpointer(join(tempDir(), 'missing.sqlite'), {
    onFail: (error) => failures.push(error),
    catchUp: () => assert.fail('no pass ran, so nothing to catch up'),
    intervalMs: 10,
  });
  checkpointer.wrote();
  await until(() => failures.length > 0, 3000, 'the failure reported');
  await sleep(100);
  checkpointer.wrote(); // after a failure: a no-op, not a post to a dead worker
  assert.equal(failures.length, 1);
  assert.match(failures[0]!.message, /SQLITE_CANTOPEN/);
  checkpointer.close();
});
