// Runs SQLite's WAL checkpoints on a worker thread instead of inside a write's COMMIT.
// With the default auto-checkpoint, the commit that pushes the WAL past 1000 pages copies them all into the
// database file and fsyncs it, on the event loop: measured with batches of checkouts, one commit in ≈ 28
// took over 2 ms (4–6 ms) and every request waiting behind it did too. A second connection on its own
// thread can do the same copy while the main connection keeps committing (WAL lets a checkpoint run beside
// a writer); the main thread posts a message, at most once per `intervalMs`.
// A pass that runs beside commits can't copy the frames they add, and SQLite starts the WAL over only once
// every frame is copied: under steady writes it would grow until SQLite's own checkpoint stepped in, at
// 10,000 pages and for 15–23 ms. So after a pass that found the WAL at CATCH_UP_PAGES or more, the
// writer's own connection copies what was added during the pass (a few hundred pages; ≈ 4.5 ms, nearly all
// of it the fsyncs a checkpoint owes), and the next write starts the WAL over: one such pause per pass
// under heavy writes, none when the pass alone caught up.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** SQLite's own auto-checkpoint size: the WAL is let grow past it only for the frames of one pass. */
const CATCH_UP_PAGES = 1000;

export interface WalCheckpointerOptions {
  /** Runs once if the worker cannot start or dies, so the caller can turn SQLite's own auto-checkpoint back on. */
  onFail(error: Error): void;
  /** Checkpoints on the writer's connection (between its transactions); asked for after a pass over a large WAL. */
  catchUp(): void;
  /** The least time between two passes. */
  intervalMs?: number;
}

export interface WalCheckpointer {
  /** Called after a write commits: asks for a checkpoint now or, if one was asked for lately, at the end of the interval. */
  wrote(): void;
  /** Closes the worker's connection (the last connection to close checkpoints and removes the WAL). */
  close(): void;
}

// CommonJS, evaluated in the worker: the file holds no TypeScript and no import of ours, so it runs the
// same from src under tsx and from the bundled dist/node
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
// better-sqlite3's SqliteError reaches the main thread as a bare { code }: a plain Error keeps the message
const plain = (error) => new Error(error.code ? error.code + ': ' + error.message : error.message);
let db;
try {
  db = new Database(workerData.path, { fileMustExist: true });
  db.pragma('busy_timeout = 5000');
} catch (error) {
  throw plain(error);
}
parentPort.on('message', (message) => {
  if (message === 'close') {
    db.close();
    parentPort.close();
    return;
  }
  try {
    // PASSIVE: copies what no reader still needs and never waits for or blocks the writer
    const [pass] = db.pragma('wal_checkpoint(PASSIVE)');
    parentPort.postMessage(pass.log); // the WAL's length in pages, as the pass found it
  } catch (error) {
    // another connection (a second process on the file) is checkpointing right now: its copy serves too
    if (error.code !== 'SQLITE_BUSY' && error.code !== 'SQLITE_LOCKED') throw plain(error);
  }
});
`;

/** Starts the worker for the database at `path` (a file, already in WAL mode). */
export function startWalCheckpointer(path: string, options: WalCheckpointerOptions): WalCheckpointer {
  const { onFail, catchUp, intervalMs = 100 } = options;
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { driver, path } });
  let closing = false;
  let failed = false;
  const fail = (error: unknown): void => {
    if (failed || closing) return;
    failed = true;
    onFail(error instanceof Error ? error : new Error(`the WAL checkpointer failed: ${String(error)}`));
  };
  worker.on('error', fail);
  worker.on('message', (walPages: number) => {
    if (!failed && !closing && walPages >= CATCH_UP_PAGES) catchUp();
  });
  worker.on('exit', (code) => fail(new Error(`the WAL checkpointer stopped (exit code ${code})`)));
  // after the listeners: adding a 'message' one refs the worker again
  worker.unref(); // an idle checkpointer never keeps the process alive

  let lastAsked = -Infinity;
  let timer: NodeJS.Timeout | null = null;
  const ask = (): void => {
    timer = null;
    lastAsked = Date.now();
    if (!failed && !closing) worker.postMessage('checkpoint');
  };
  return {
    wrote() {
      if (timer !== null || failed || closing) return;
      const wait = lastAsked + intervalMs - Date.now();
      if (wait <= 0) ask();
      // the trailing ask: the last writes of a burst are checkpointed (and fsynced) within one interval too
      else timer = setTimeout(ask, wait).unref();
    },
    close() {
      if (closing) return;
      closing = true;
      if (timer !== null) clearTimeout(timer);
      if (!failed) worker.postMessage('close');
    },
  };
}
