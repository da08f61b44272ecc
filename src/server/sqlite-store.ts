// The default Store: one SQLite file through better-sqlite3 (synchronous, so each method is one
// transaction with no interleaving), WAL mode, migrations at open, statements prepared once.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { INT32_MAX } from '../protocol/index.js';
import type {
  CreatePaymentResult, IdempotencyInput, MarkPaidOptions, MarkPaidResult, NewPayment, NotificationInput, NotificationRecord,
  NotificationVerdict, PaymentRecord, Store,
} from './store.js';
import { paymentLink, toOrder, toPayment, toPaymentStatus, type OrderRow, type PaymentRow, type StatusRow } from './store-rows.js';
import { startWalCheckpointer, type WalCheckpointer } from './wal-checkpointer.js';

// SQLite's default: the commit that takes the WAL past this many pages checkpoints it inline
const AUTOCHECKPOINT_PAGES = 1000;
// with the worker checkpointing, the inline one stays on only as a bound should the worker fall behind
const BACKSTOP_PAGES = 10_000;

/** Each entry moves the schema one version up (PRAGMA user_version); never edit a shipped one. */
const MIGRATIONS: readonly string[] = [
  `
  -- AUTOINCREMENT: SQLite never hands out a number twice, even after deletes, so an InvId that once
  -- reached Robokassa can't come back
  CREATE TABLE invoice_ids (
    invoice_id INTEGER PRIMARY KEY AUTOINCREMENT,
    created_at TEXT NOT NULL
  );
  CREATE TABLE orders (
    order_id TEXT PRIMARY KEY,
    description TEXT NOT NULL,
    amount TEXT NOT NULL,
    currency TEXT NOT NULL,
    items_json TEXT NOT NULL,
    receipt_json TEXT,
    email TEXT,
    status TEXT NOT NULL CHECK (status IN ('open', 'paid')),
    created_at TEXT NOT NULL,
    paid_at TEXT
  );
  CREATE TABLE payments (
    id TEXT PRIMARY KEY,
    invoice_id INTEGER NOT NULL UNIQUE REFERENCES invoice_ids (invoice_id),
    status TEXT NOT NULL CHECK (status IN ('pending', 'paid', 'failed', 'cancelled')),
    amount TEXT NOT NULL,
    currency TEXT NOT NULL,
    description TEXT NOT NULL,
    items_json TEXT NOT NULL,
    order_id TEXT REFERENCES orders (order_id),
    email TEXT,
    culture TEXT,
    lang TEXT,
    origin TEXT,
    return_url TEXT,
    test INTEGER NOT NULL,
    url TEXT NOT NULL,
    form_json TEXT NOT NULL,
    created_at TEXT NOT NULL,
    paid_at TEXT,
    failed_at TEXT
  );
  CREATE INDEX payments_order ON payments (order_id);
  CREATE TABLE idempotency_keys (
    key TEXT PRIMARY KEY,
    request_hash TEXT NOT NULL,
    payment_id TEXT NOT NULL REFERENCES payments (id),
    created_at TEXT NOT NULL
  );
  CREATE TABLE notifications (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    received_at TEXT NOT NULL,
    invoice_id INTEGER,
    params_json TEXT NOT NULL,
    verdict TEXT NOT NULL,
    reason TEXT
  );
  CREATE INDEX notifications_invoice ON notifications (invoice_id);
  `,
  `
  -- the onPaid hook is owed from the paid COMMIT until it has run (NULL): a crash in between leaves a
  -- trace that reconcilePayments delivers; payments paid before this step count as delivered
  ALTER TABLE payments ADD COLUMN hook_done_at TEXT;
  UPDATE payments SET hook_done_at = paid_at WHERE status = 'paid';
  CREATE INDEX payments_hook_owed ON payments (paid_at) WHERE status = 'paid' AND hook_done_at IS NULL;
  `,
];

// the allocation time of an InvId, as text: the same for every allocation within one millisecond (a
// batch of checkouts is usually within one), so the Date and its ISO text are made once per millisecond
let isoAt = 0;
let isoText = '';
function isoNow(): string {
  const t = Date.now();
  if (t !== isoAt) {
    isoText = new Date(t).toISOString();
    isoAt = t;
  }
  return isoText;
}

/** insertPayment's parameters, in its column order (typed, so a column added or moved fails to compile). */
type PaymentInsert = [
  id: string, invoiceId: number, amount: string, currency: string, description: string, itemsJson: string, orderId: string | null,
  email: string | null, culture: string | null, lang: string | null, origin: string | null, returnUrl: string | null, test: 0 | 1,
  url: string, formJson: string, createdAt: string,
];

interface NotificationRow {
  id: number; kind: string; received_at: string; invoice_id: number | null; params_json: string; verdict: string; reason: string | null;
}

/** Opens (creating the folder and the file if needed) and migrates. `':memory:'` for tests. */
export function openSqliteStore(path: string): Store {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  // first: switching a fresh file to WAL takes a lock that another worker opening it too may hold
  db.pragma('busy_timeout = 5000'); // a second process on the same file waits instead of failing
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL'); // safe with WAL: a crash loses at most the last commits, never corrupts
  db.pragma('foreign_keys = ON');
  migrate(db);

  const st = {
    // the number AUTOINCREMENT would hand out next (the highest ever given, deleted or not, plus one)
    nextInvoiceId: db.prepare<[], number>(
      "SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'invoice_ids'), 0), coalesce((SELECT max(invoice_id) FROM invoice_ids), 0)) + 1",
    ).pluck(),
    allocate: db.prepare<[number, string]>('INSERT INTO invoice_ids (invoice_id, created_at) VALUES (?, ?)'),
    unallocate: db.prepare<[number]>('DELETE FROM invoice_ids WHERE invoice_id = ?'),
    deletePaymentOf: db.prepare<[number]>('DELETE FROM payments WHERE invoice_id = ?'),
    insertPayment: db.prepare<PaymentInsert>(`INSERT INTO payments (id, invoice_id, status, amount, currency, description, items_json, order_id, email,
      culture, lang, origin, return_url, test, url, form_json, created_at)
      VALUES (?, ?, 'pending', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
    paymentById: db.prepare<[string], PaymentRow>('SELECT * FROM payments WHERE id = ?'),
    paymentStatus: db.prepare<[string], StatusRow>('SELECT id, invoice_id, status, amount, currency, paid_at FROM payments WHERE id = ?'),
    paymentByInvoice: db.prepare<[number], PaymentRow>('SELECT * FROM payments WHERE invoice_id = ?'),
    idempotency: db.prepare<[string], { request_hash: string; payment_id: string }>('SELECT request_hash, payment_id FROM idempotency_keys WHERE key = ?'),
    insertIdempotency: db.prepare<[string, string, string, string]>('INSERT INTO idempotency_keys (key, request_hash, payment_id, created_at) VALUES (?, ?, ?, ?)'),
    setPaid: db.prepare<[string, string | null, number], PaymentRow>("UPDATE payments SET status = 'paid', paid_at = ?, hook_done_at = ? WHERE invoice_id = ? AND status != 'paid' RETURNING *"),
    owedHooks: db.prepare<[string, number], PaymentRow>(
      "SELECT * FROM payments WHERE status = 'paid' AND hook_done_at IS NULL AND paid_at < ? ORDER BY paid_at, invoice_id LIMIT ?",
    ),
    setHookDone: db.prepare<[string, string]>("UPDATE payments SET hook_done_at = ? WHERE id = ? AND status = 'paid' AND hook_done_at IS NULL"),
    setOrderPaid: db.prepare<[string, string]>("UPDATE orders SET status = 'paid', paid_at = ? WHERE order_id = ? AND status != 'paid'"),
    setFailed: db.prepare<[string, number]>("UPDATE payments SET status = 'failed', failed_at = ? WHERE invoice_id = ? AND status = 'pending'"),
    setCancelled: db.prepare<[number]>("UPDATE payments SET status = 'cancelled' WHERE invoice_id = ? AND status IN ('pending', 'failed')"),
    unsettled: db.prepare<[string, string, number], PaymentRow>(
      "SELECT * FROM payments WHERE status IN ('pending', 'failed') AND created_at >= ? AND created_at < ? ORDER BY invoice_id LIMIT ?",
    ),
    insertNotification: db.prepare('INSERT INTO notifications (kind, received_at, invoice_id, params_json, verdict, reason) VALUES (@kind, @received_at, @invoice_id, @params_json, @verdict, @reason)'),
    notifications: db.prepare<[], NotificationRow>('SELECT * FROM notifications ORDER BY id'),
    notificationsFor: db.prepare<[number], NotificationRow>('SELECT * FROM notifications WHERE invoice_id = ? ORDER BY id'),
    insertOrder: db.prepare(`INSERT OR IGNORE INTO orders (order_id, description, amount, currency, items_json, receipt_json, email, status, created_at, paid_at)
      VALUES (@order_id, @description, @amount, @currency, @items_json, @receipt_json, @email, @status, @created_at, @paid_at)`),
    orderById: db.prepare<[string], OrderRow>('SELECT * FROM orders WHERE order_id = ?'),
  };

  const record = (n: NotificationInput): void => {
    st.insertNotification.run({
      kind: n.kind, received_at: n.receivedAt, invoice_id: n.invoiceId, params_json: JSON.stringify(n.params), verdict: n.verdict, reason: n.reason ?? null,
    });
  };

  // Runs inside the group commit's transaction without a savepoint of its own (one cost ≈ 8 µs, a seventh
  // of the store's share of a checkout): the InvId is read, not inserted, before build() runs, so a
  // throwing build (an unsignable order) has written nothing; a failing insert after the first is undone
  // by deleting the rows this call inserted, so nothing half-written is kept either way.
  const createPayment = (build: (invoiceId: number) => NewPayment, idem?: IdempotencyInput): CreatePaymentResult => {
    if (idem) {
      const seen = st.idempotency.get(idem.key);
      if (seen) {
        if (seen.request_hash !== idem.requestHash) return { kind: 'conflict' };
        return { kind: 'replayed', payment: toPayment(st.paymentById.get(seen.payment_id)!) };
      }
    }
    // the batch holds the write lock (IMMEDIATE) from before this read to its COMMIT: no other writer can take the number
    const invoiceId = st.nextInvoiceId.get()!;
    if (invoiceId > INT32_MAX) throw new Error('InvId space exhausted (int32); a new database or merchant account is needed');
    const p = build(invoiceId);
    st.allocate.run(invoiceId, isoNow());
    try {
      // positional, in the column order above: binding 16 named parameters from an object cost more than
      // building the row (test/bench FINDINGS, session 6)
      st.insertPayment.run(
        p.id, invoiceId, p.amount, p.currency, p.description, JSON.stringify(p.items), p.orderId, p.email, p.culture, p.lang,
        p.origin, p.returnUrl, p.test ? 1 : 0,
        // '' when the link is the form's own (always, from the checkout route): stored once, in form_json
        p.url === paymentLink(p.form) ? '' : p.url, JSON.stringify(p.form), p.createdAt,
      );
      if (idem) st.insertIdempotency.run(idem.key, idem.requestHash, p.id, p.createdAt);
    } catch (error) {
      // SQLite ended the whole transaction (disk full, I/O error): nothing of the batch stands anyway
      if (!db.inTransaction) throw error;
      st.deletePaymentOf.run(invoiceId);
      st.unallocate.run(invoiceId);
      throw error;
    }
    // what was just inserted, not read back
    return { kind: 'created', payment: { ...p, invoiceId, status: 'pending', paidAt: null, failedAt: null } };
  };

  // thrown out of markPaid's savepoint to undo the UPDATE when `accept` says no (markPaidIf)
  const REFUSED = Symbol('refused');
  const markPaid = db.transaction((
    invoiceId: number, paidAt: string, n: Omit<NotificationInput, 'verdict'>, options?: MarkPaidOptions,
    accept?: (payment: PaymentRecord) => boolean,
  ): MarkPaidResult | null => {
    // RETURNING: the row as updated, without a second lookup; none when already paid (or unknown)
    const updated = st.setPaid.get(paidAt, options?.hookOwed === false ? paidAt : null, invoiceId);
    const transitioned = updated !== undefined;
    const row = updated ?? st.paymentByInvoice.get(invoiceId);
    if (!row) return null;
    const payment = toPayment(row);
    // asked after the UPDATE (a refusal is rare; the usual path then needs no SELECT first)
    if (accept !== undefined && !accept(payment)) throw REFUSED;
    if (transitioned && row.order_id !== null) st.setOrderPaid.run(paidAt, row.order_id);
    const verdict: NotificationVerdict = transitioned ? 'paid' : 'duplicate';
    record({ ...n, verdict });
    return { transitioned, payment };
  });

  const markFailed = db.transaction((invoiceId: number, failedAt: string, n: Omit<NotificationInput, 'verdict'>): PaymentRecord | null => {
    const changed = st.setFailed.run(failedAt, invoiceId).changes === 1;
    const row = st.paymentByInvoice.get(invoiceId);
    if (!row) return null;
    record({ ...n, verdict: changed ? 'failed' : 'ignored' });
    return toPayment(row);
  });

  const markCancelled = db.transaction((invoiceId: number, n: Omit<NotificationInput, 'verdict'>): PaymentRecord | null => {
    const changed = st.setCancelled.run(invoiceId).changes === 1;
    const row = st.paymentByInvoice.get(invoiceId);
    if (!row) return null;
    record({ ...n, verdict: changed ? 'cancelled' : 'ignored' });
    return toPayment(row);
  });

  // Group commit: the writes asked for within one event-loop turn share one transaction (one WAL append
  // and one set of lock system calls) instead of one each. A failing write undoes only itself (its own savepoint, or
  // for createPayment its own rows), and every caller hears back only after the COMMIT that made its write durable.
  // The hot reads (a payment by id or InvId) join the same turn's transaction: in WAL mode each
  // transaction of its own takes and drops a read lock on the -shm file (system calls), which cost more
  // than the lookup itself. A turn with only reads opens a plain (deferred) transaction, no write lock.
  // IMMEDIATE: the write lock is taken (waiting busy_timeout) before anything is read. A deferred
  // transaction that read first failed with "database is locked" when another process on the same
  // file wrote in between (SQLite can't upgrade a stale WAL snapshot), a 500 for the buyer.
  interface Queued { run: () => unknown; writes: boolean; resolve: (value: unknown) => void; reject: (error: unknown) => void }
  let queue: Queued[] = [];
  let queueWrites = false;
  type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };
  const runBatch = db.transaction((batch: readonly Queued[]): Outcome[] => {
    const outcomes: Outcome[] = [];
    for (const item of batch) {
      try {
        outcomes.push({ ok: true, value: item.run() }); // a db.transaction inside one is a savepoint
      } catch (error) {
        // SQLite itself ended the whole transaction (disk full, I/O error): nothing of the batch stands
        if (!db.inTransaction) throw error;
        outcomes.push({ ok: false, error });
      }
    }
    return outcomes;
  });
  // file stores checkpoint on a worker thread (wal-checkpointer.ts), started with the first write so a
  // store that only reads (or a test that opens and closes) costs no thread
  let checkpointer: WalCheckpointer | null = null;
  const committed = (): void => {
    if (db.memory) return;
    if (checkpointer === null) {
      const inline = (): void => {
        if (db.open) db.pragma(`wal_autocheckpoint = ${AUTOCHECKPOINT_PAGES}`);
      };
      const catchUp = (): void => {
        if (!db.open) return;
        try {
          db.pragma('wal_checkpoint(PASSIVE)');
        } catch {
          // as with SQLite's own auto-checkpoint, a checkpoint that fails fails no write (a write's own
          // I/O error reaches its caller); the next pass asks again
        }
      };
      db.pragma(`wal_autocheckpoint = ${BACKSTOP_PAGES}`);
      try {
        // should the worker die, SQLite checkpoints inline again
        checkpointer = startWalCheckpointer(path, { onFail: inline, catchUp });
      } catch {
        inline();
        checkpointer = { wrote() {}, close() {} };
      }
    }
    checkpointer.wrote();
  };
  const flush = (): void => {
    const batch = queue;
    const writes = queueWrites;
    queue = [];
    queueWrites = false;
    if (batch.length === 0) return; // close() flushed it already
    let outcomes: Outcome[];
    try {
      if (!db.open) throw new Error('the store is closed');
      outcomes = writes ? runBatch.immediate(batch) : runBatch.deferred(batch);
    } catch (error) {
      for (const item of batch) item.reject(error);
      return;
    }
    if (writes) committed();
    batch.forEach((item, i) => {
      const o = outcomes[i]!;
      if (o.ok) item.resolve(o.value);
      else item.reject(o.error);
    });
  };
  const enqueue = <T>(run: () => T, writes: boolean): Promise<T> => new Promise<T>((resolve, reject) => {
    if (queue.length === 0) setImmediate(flush);
    queue.push({ run, writes, resolve: resolve as (value: unknown) => void, reject });
    queueWrites ||= writes;
  });
  const write = <T>(run: () => T): Promise<T> => enqueue(run, true);
  const read = <T>(run: () => T): Promise<T> => enqueue(run, false);

  // the hot methods hand back the batch's own promise (no async wrapper around it: one promise and
  // one microtask less per call)
  return {
    createPayment(build, idempotency) {
      return write(() => createPayment(build, idempotency));
    },
    getPayment(id) {
      return read(() => {
        const row = st.paymentById.get(id);
        return row ? toPayment(row) : null;
      });
    },
    getPaymentStatus(id) {
      return read(() => {
        const row = st.paymentStatus.get(id);
        return row ? toPaymentStatus(row) : null;
      });
    },
    getPaymentByInvoiceId(invoiceId) {
      return read(() => {
        const row = st.paymentByInvoice.get(invoiceId);
        return row ? toPayment(row) : null;
      });
    },
    markPaid(invoiceId, paidAt, notification, options) {
      return write(() => markPaid(invoiceId, paidAt, notification, options));
    },
    markPaidIf(invoiceId, paidAt, notification, accept, options) {
      return write(() => {
        try {
          return markPaid(invoiceId, paidAt, notification, options, accept);
        } catch (error) {
          if (error === REFUSED) return 'refused' as const; // the savepoint is rolled back: nothing changed
          throw error;
        }
      });
    },
    async listOwedHooks(paidBefore, limit) {
      return read(() => st.owedHooks.all(paidBefore, limit).map(toPayment));
    },
    async markHookDone(id, at) {
      // one statement: atomic by itself, and a failure undoes only it within the turn's transaction
      return write(() => st.setHookDone.run(at, id).changes === 1);
    },
    async markFailed(invoiceId, failedAt, notification) {
      return write(() => markFailed(invoiceId, failedAt, notification));
    },
    async markCancelled(invoiceId, notification) {
      return write(() => markCancelled(invoiceId, notification));
    },
    async listUnsettled(createdAfter, createdBefore, limit) {
      return st.unsettled.all(createdAfter, createdBefore, limit).map(toPayment);
    },
    async recordNotification(notification) {
      return write(() => record(notification));
    },
    async listNotifications(invoiceId) {
      const rows = invoiceId === undefined ? st.notifications.all() : st.notificationsFor.all(invoiceId);
      return rows.map((r): NotificationRecord => ({
        id: r.id, kind: r.kind as NotificationRecord['kind'], receivedAt: r.received_at, invoiceId: r.invoice_id,
        params: JSON.parse(r.params_json) as Record<string, string>, verdict: r.verdict as NotificationVerdict,
        ...(r.reason !== null && { reason: r.reason }),
      }));
    },
    async createOrder(o) {
      return write(() => st.insertOrder.run({
        order_id: o.orderId, description: o.description, amount: o.amount, currency: o.currency, items_json: JSON.stringify(o.items),
        receipt_json: o.receipt === null ? null : JSON.stringify(o.receipt), email: o.email, status: o.status, created_at: o.createdAt, paid_at: o.paidAt,
      }).changes === 1);
    },
    async getOrder(orderId) {
      const row = st.orderById.get(orderId);
      return row ? toOrder(row) : null;
    },
    close() {
      if (queue.length > 0 && db.open) flush(); // writes already asked for are not dropped
      checkpointer?.close();
      if (db.open) db.close();
    },
  };
}

function migrate(db: Database.Database): void {
  db.transaction(() => {
    // read under the write lock: workers opening a fresh file together would otherwise all see
    // version 0 and the second would fail on "table already exists"
    const current = db.pragma('user_version', { simple: true }) as number;
    if (current > MIGRATIONS.length) {
      throw new Error(`the database schema (version ${current}) is newer than this backend knows (${MIGRATIONS.length}); upgrade the backend`);
    }
    for (let v = current; v < MIGRATIONS.length; v++) {
      db.exec(MIGRATIONS[v]!);
      db.pragma(`user_version = ${v + 1}`);
    }
  }).immediate();
}
