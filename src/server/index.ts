// The backend's public pieces (package entry "robokassa-checkout/server"). Importing it starts nothing.
export { createApp, redactingLog, ROUTE_PREFIX, MAX_BODY_BYTES, type AppOptions } from './app.js';
export { parseConfig, parseOrigins, describeDatabase, ConfigError, DEFAULT_DATABASE, type ServerConfig } from './config.js';
export { parseCatalog, regionCurrency, CatalogError, EMPTY_CATALOG, type Catalog, type Product } from './catalog.js';
export { openSqliteStore } from './sqlite-store.js';
export { openStore } from './open-store.js';
export type { PostgresStore } from './postgres-store.js';
export type {
  Store, PaymentRecord, NewPayment, OrderRecord, OrderItem, LineItem, Lang, NotificationInput, NotificationRecord,
  NotificationKind, NotificationVerdict, CreatePaymentResult, IdempotencyInput, MarkPaidResult, MarkPaidOptions, PaymentStatusRecord,
} from './store.js';
export type { FiscalFields, ReceiptSettings } from './receipt.js';
export type { LogFn } from './deps.js';
export { reconcilePayments, type ReconcileOptions, type ReconcileReport } from './reconcile.js';
export { deliverOwedHooks, OWED_HOOK_GRACE_MS, type DeliverOwedOptions, type OnPaid } from './paid-hook.js';
