// The Store in PostgreSQL (DATABASE_URL), for shops running several backend processes or hosts on one
// database. Same behaviour and guarantees as the SQLite store: every method that writes is one
// transaction; InvIds come from an identity (never reused); one Idempotency-Key is one payment across
// processes (an advisory lock per key, the primary key behind it); a payment becomes paid once
// (UPDATE … WHERE status <> 'paid': a concurrent second UPDATE waits for the first and then matches
// nothing). The password in the URL never reaches an error message.
import postgres from 'postgres';
import { INT32_MAX } from '../protocol/index.js';
import { PG_MIGRATIONS } from './postgres-migrations.js';
import type {
  CreatePaymentResult, MarkPaidResult, NewPayment, NotificationInput, NotificationRecord,
  NotificationVerdict, Store,
} from './store.js';
import { toOrder, toPayment, toPaymentStatus, type OrderRow, type PaymentRow, type StatusRow } from './store-rows.js';

/** close() resolves once every connection is ended. */
export interface PostgresStore extends Store {
  close(): Promise<void>;
}

export interface PostgresStoreOptions {
  /** connections in this process's pool; default: the URL's ?max=, else 10 */
  maxConnections?: number;
}

// advisory lock keys: one bigint for migrations; (class, hashtext(key)) pairs for idempotency keys
const MIGRATION_LOCK = 7_310_452_019_001;
const IDEMPOTENCY_LOCK_CLASS = 731_045;

type Sql = postgres.Sql;
type Tx = postgres.TransactionSql;

interface NotificationRow {
  /** bigint: the client library returns it as a string */
  id: string; kind: string; received_at: string; invoice_id: string | null; params_json: string; verdict: string; reason: string | null;
}

/** An InvId column holds int32: anything else can't name a payment (and must not reach the query as an error). */
const isInvoiceId = (n: number): boolean => Number.isInteger(n) && n >= 1 && n <= INT32_MAX;

/** The password of a postgres:// URL, decoded, or '' when there is none. */
function passwordOf(url: string): string {
  try {
    return decodeURIComponent(new URL(url).password);
  } catch {
    return '';
  }
}

/** The unix socket directory when the URL's host is a percent-encoded absolute path. */
function socketDirOf(url: string): string | undefined {
  try {
    const host = decodeURIComponent(new URL(url).hostname);
    return host.startsWith('/') ? host : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Connects, migrates (one transaction under an advisory lock, so processes starting together don't
 * race) and returns the store. Errors never contain the URL's password.
 */
export async function openPostgresStore(url: string, options: PostgresStoreOptions = {}): Promise<PostgresStore> {
  // the URL's password as written and decoded, and PGPASSWORD, which the client uses when the URL has none
  const secrets = [passwordOf(url), (() => { try { return new URL(url).password; } catch { return ''; } })(), process.env['PGPASSWORD'] ?? ''];
  const scrub = (err: unknown): Error => {
    const e = err instanceof Error ? err : new Error(String(err));
    for (const secret of secrets) {
      if (secret.length === 0 || !`${e.message}${e.stack ?? ''}`.includes(secret)) continue;
      e.message = e.message.split(secret).join('********');
      e.stack = `${e.name}: ${e.message}`;
    }
    return e;
  };
  const guard = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (err) {
      throw scrub(err);
    }
  };

  const sql: Sql = postgres(url, {
    // unset, the client's own defaults apply, and the URL may set them (?max=20&connect_timeout=10)
    ...(options.maxConnections !== undefined && { max: options.maxConnections }),
    // libpq's way to name a unix socket directory, postgres://user@%2Fvar%2Frun%2Fpostgresql/db: the
    // client takes a host with a "/" as one, but doesn't decode it from the URL itself
    ...(socketDirOf(url) !== undefined && { host: socketDirOf(url) }),
    // "relation already exists, skipping" and the like would otherwise go to stdout, among the JSON log lines
    onnotice: () => undefined,
  });
  try {
    await migrate(sql);
  } catch (err) {
    await sql.end({ timeout: 1 }).catch(() => undefined);
    throw scrub(err);
  }

  const insertNotification = async (tx: Sql | Tx, n: NotificationInput): Promise<void> => {
    await tx`INSERT INTO notifications (kind, received_at, invoice_id, params_json, verdict, reason)
      VALUES (${n.kind}, ${n.receivedAt}, ${n.invoiceId}, ${JSON.stringify(n.params)}, ${n.verdict}, ${n.reason ?? null})`;
  };
  const paymentByInvoice = async (tx: Sql | Tx, invoiceId: number): Promise<PaymentRow | undefined> =>
    (await tx<PaymentRow[]>`SELECT * FROM payments WHERE invoice_id = ${invoiceId}`)[0];

  /**
   * One transaction that moves the payment with `update` (which returns the row it changed, if any),
   * then records the notification with the verdict for "changed" or "unchanged".
   */
  const transition = (
    invoiceId: number, n: Omit<NotificationInput, 'verdict'>, verdicts: [NotificationVerdict, NotificationVerdict],
    update: (tx: Tx) => Promise<PaymentRow | undefined>, after?: (tx: Tx, row: PaymentRow) => Promise<void>,
  ): Promise<{ changed: boolean; row: PaymentRow } | null> => guard(async () => {
    if (!isInvoiceId(invoiceId)) return null;
    return sql.begin(async (tx) => {
      const updated = await update(tx);
      const row = updated ?? (await paymentByInvoice(tx, invoiceId));
      if (row === undefined) return null;
      if (updated !== undefined && after) await after(tx, updated);
      await insertNotification(tx, { ...n, verdict: updated !== undefined ? verdicts[0] : verdicts[1] });
      return { changed: updated !== undefined, row };
    });
  });

  return {
    createPayment: (build, idem) => guard(() => sql.begin(async (tx): Promise<CreatePaymentResult> => {
      if (idem) {
        // the same key from several processes at once waits here: the first creates, the others replay
        await tx`SELECT pg_advisory_xact_lock(${IDEMPOTENCY_LOCK_CLASS}, hashtext(${idem.key}))`;
        const [seen] = await tx<{ request_hash: string; payment_id: string }[]>`SELECT request_hash, payment_id FROM idempotency_keys WHERE key = ${idem.key}`;
        if (seen) {
          if (seen.request_hash !== idem.requestHash) return { kind: 'conflict' };
          const [row] = await tx<PaymentRow[]>`SELECT * FROM payments WHERE id = ${seen.payment_id}`;
          return { kind: 'replayed', payment: toPayment(row!) };
        }
      }
      let invoiceId: number;
      try {
        const [allocated] = await tx<{ invoice_id: number }[]>`INSERT INTO invoice_ids (created_at) VALUES (${new Date().toISOString()}) RETURNING invoice_id`;
        invoiceId = allocated!.invoice_id;
      } catch (err) {
        // 2200H: the identity reached its MAXVALUE
        if ((err as { code?: string }).code === '2200H') throw new Error('InvId space exhausted (int32); a new database or merchant account is needed');
        throw err;
      }
      const p: NewPayment = build(invoiceId);
      const [row] = await tx<PaymentRow[]>`INSERT INTO payments (id, invoice_id, status, amount, currency, description, items_json, order_id, email,
        culture, lang, origin, return_url, test, url, form_json, created_at)
        VALUES (${p.id}, ${invoiceId}, 'pending', ${p.amount}, ${p.currency}, ${p.description}, ${JSON.stringify(p.items)}, ${p.orderId}, ${p.email},
        ${p.culture}, ${p.lang}, ${p.origin}, ${p.returnUrl}, ${p.test}, ${p.url}, ${JSON.stringify(p.form)}, ${p.createdAt})
        RETURNING *`;
      if (idem) await tx`INSERT INTO idempotency_keys (key, request_hash, payment_id, created_at) VALUES (${idem.key}, ${idem.requestHash}, ${p.id}, ${p.createdAt})`;
      return { kind: 'created', payment: toPayment(row!) };
    })),

    getPayment: (id) => guard(async () => {
      const [row] = await sql<PaymentRow[]>`SELECT * FROM payments WHERE id = ${id}`;
      return row ? toPayment(row) : null;
    }),

    getPaymentStatus: (id) => guard(async () => {
      const [row] = await sql<StatusRow[]>`SELECT id, invoice_id, status, amount, currency, paid_at FROM payments WHERE id = ${id}`;
      return row ? toPaymentStatus(row) : null;
    }),

    getPaymentByInvoiceId: (invoiceId) => guard(async () => {
      if (!isInvoiceId(invoiceId)) return null;
      const row = await paymentByInvoice(sql, invoiceId);
      return row ? toPayment(row) : null;
    }),

    async markPaid(invoiceId, paidAt, n, options): Promise<MarkPaidResult | null> {
      const hookDoneAt = options?.hookOwed === false ? paidAt : null;
      const r = await transition(invoiceId, n, ['paid', 'duplicate'],
        async (tx) => (await tx<PaymentRow[]>`UPDATE payments SET status = 'paid', paid_at = ${paidAt}, hook_done_at = ${hookDoneAt}
          WHERE invoice_id = ${invoiceId} AND status <> 'paid' RETURNING *`)[0],
        async (tx, row) => {
          if (row.order_id !== null) await tx`UPDATE orders SET status = 'paid', paid_at = ${paidAt} WHERE order_id = ${row.order_id} AND status <> 'paid'`;
        });
      return r === null ? null : { transitioned: r.changed, payment: toPayment(r.row) };
    },

    async markFailed(invoiceId, failedAt, n) {
      const r = await transition(invoiceId, n, ['failed', 'ignored'],
        async (tx) => (await tx<PaymentRow[]>`UPDATE payments SET status = 'failed', failed_at = ${failedAt} WHERE invoice_id = ${invoiceId} AND status = 'pending' RETURNING *`)[0]);
      return r === null ? null : toPayment(r.row);
    },

    async markCancelled(invoiceId, n) {
      const r = await transition(invoiceId, n, ['cancelled', 'ignored'],
        async (tx) => (await tx<PaymentRow[]>`UPDATE payments SET status = 'cancelled' WHERE invoice_id = ${invoiceId} AND status IN ('pending', 'failed') RETURNING *`)[0]);
      return r === null ? null : toPayment(r.row);
    },

    listOwedHooks: (paidBefore, limit) => guard(async () => {
      const rows = await sql<PaymentRow[]>`SELECT * FROM payments WHERE status = 'paid' AND hook_done_at IS NULL AND paid_at < ${paidBefore}
        ORDER BY paid_at, invoice_id LIMIT ${limit}`;
      return rows.map(toPayment);
    }),

    markHookDone: (id, at) => guard(async () => {
      const done = await sql`UPDATE payments SET hook_done_at = ${at} WHERE id = ${id} AND status = 'paid' AND hook_done_at IS NULL RETURNING id`;
      return done.length === 1;
    }),

    listUnsettled: (createdAfter, createdBefore, limit) => guard(async () => {
      const rows = await sql<PaymentRow[]>`SELECT * FROM payments WHERE status IN ('pending', 'failed') AND created_at >= ${createdAfter} AND created_at < ${createdBefore}
        ORDER BY invoice_id LIMIT ${limit}`;
      return rows.map(toPayment);
    }),

    recordNotification: (n) => guard(() => insertNotification(sql, n)),

    listNotifications: (invoiceId) => guard(async () => {
      const rows = invoiceId === undefined
        ? await sql<NotificationRow[]>`SELECT * FROM notifications ORDER BY id`
        : await sql<NotificationRow[]>`SELECT * FROM notifications WHERE invoice_id = ${invoiceId} ORDER BY id`;
      return rows.map((r): NotificationRecord => ({
        id: Number(r.id), kind: r.kind as NotificationRecord['kind'], receivedAt: r.received_at, invoiceId: r.invoice_id === null ? null : Number(r.invoice_id),
        params: JSON.parse(r.params_json) as Record<string, string>, verdict: r.verdict as NotificationVerdict,
        ...(r.reason !== null && { reason: r.reason }),
      }));
    }),

    createOrder: (o) => guard(async () => {
      const inserted = await sql`INSERT INTO orders (order_id, description, amount, currency, items_json, receipt_json, email, status, created_at, paid_at)
        VALUES (${o.orderId}, ${o.description}, ${o.amount}, ${o.currency}, ${JSON.stringify(o.items)}, ${o.receipt === null ? null : JSON.stringify(o.receipt)},
        ${o.email}, ${o.status}, ${o.createdAt}, ${o.paidAt})
        ON CONFLICT (order_id) DO NOTHING RETURNING order_id`;
      return inserted.length === 1;
    }),

    getOrder: (orderId) => guard(async () => {
      const [row] = await sql<OrderRow[]>`SELECT * FROM orders WHERE order_id = ${orderId}`;
      return row ? toOrder(row) : null;
    }),

    close: () => sql.end({ timeout: 5 }),
  };
}

async function migrate(sql: Sql): Promise<void> {
  await sql.begin(async (tx) => {
    // taken before anything is read: processes starting together on a fresh database would otherwise
    // all see version 0 and the second would fail on "relation already exists"
    await tx`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK})`;
    await tx`CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`;
    const [row] = await tx<{ current: number }[]>`SELECT COALESCE(MAX(version), 0)::integer AS current FROM schema_migrations`;
    const current = row?.current ?? 0;
    if (current > PG_MIGRATIONS.length) {
      throw new Error(`the database schema (version ${current}) is newer than this backend knows (${PG_MIGRATIONS.length}); upgrade the backend`);
    }
    for (let v = current; v < PG_MIGRATIONS.length; v++) {
      await tx.unsafe(PG_MIGRATIONS[v]!);
      await tx`INSERT INTO schema_migrations (version) VALUES (${v + 1})`;
    }
  });
}
