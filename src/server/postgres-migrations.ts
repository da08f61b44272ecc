// The PostgreSQL schema, step by step: the same numbered steps as the SQLite store's MIGRATIONS (step 1
// here creates what SQLite's step 1 creates), recorded in schema_migrations. Never edit a shipped step.
// Text columns hold exactly what SQLite holds (money and times as the strings the routes made, JSON as
// written), so both engines return the same values; times compare as bytes (COLLATE "C") whatever the
// database's default collation.
export const PG_MIGRATIONS: readonly string[] = [
  `
  -- an identity never hands out a number twice, even after deletes or rolled-back transactions, so an
  -- InvId that once reached Robokassa can't come back; int32 is Robokassa's InvId range
  CREATE TABLE invoice_ids (
    invoice_id integer GENERATED ALWAYS AS IDENTITY (MINVALUE 1 MAXVALUE 2147483647 NO CYCLE) PRIMARY KEY,
    created_at text COLLATE "C" NOT NULL
  );
  CREATE TABLE orders (
    order_id text PRIMARY KEY,
    description text NOT NULL,
    amount text NOT NULL,
    currency text NOT NULL,
    items_json text NOT NULL,
    receipt_json text,
    email text,
    status text NOT NULL CHECK (status IN ('open', 'paid')),
    created_at text COLLATE "C" NOT NULL,
    paid_at text COLLATE "C"
  );
  CREATE TABLE payments (
    id text PRIMARY KEY,
    invoice_id integer NOT NULL UNIQUE REFERENCES invoice_ids (invoice_id),
    status text NOT NULL CHECK (status IN ('pending', 'paid', 'failed', 'cancelled')),
    amount text NOT NULL,
    currency text NOT NULL,
    description text NOT NULL,
    items_json text NOT NULL,
    order_id text REFERENCES orders (order_id),
    email text,
    culture text,
    lang text,
    origin text,
    return_url text,
    test boolean NOT NULL,
    url text NOT NULL,
    form_json text NOT NULL,
    created_at text COLLATE "C" NOT NULL,
    paid_at text COLLATE "C",
    failed_at text COLLATE "C"
  );
  CREATE INDEX payments_order ON payments (order_id);
  CREATE TABLE idempotency_keys (
    key text PRIMARY KEY,
    request_hash text NOT NULL,
    payment_id text NOT NULL REFERENCES payments (id),
    created_at text COLLATE "C" NOT NULL
  );
  CREATE TABLE notifications (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind text NOT NULL,
    received_at text COLLATE "C" NOT NULL,
    -- bigint: a refused notification may carry any number the sender put in InvId
    invoice_id bigint,
    params_json text NOT NULL,
    verdict text NOT NULL,
    reason text
  );
  CREATE INDEX notifications_invoice ON notifications (invoice_id);
  `,
  `
  -- the onPaid hook is owed from the paid COMMIT until it has run (NULL): a crash in between leaves a
  -- trace that reconcilePayments delivers; payments paid before this step count as delivered
  ALTER TABLE payments ADD COLUMN hook_done_at text COLLATE "C";
  UPDATE payments SET hook_done_at = paid_at WHERE status = 'paid';
  CREATE INDEX payments_hook_owed ON payments (paid_at) WHERE status = 'paid' AND hook_done_at IS NULL;
  `,
];
