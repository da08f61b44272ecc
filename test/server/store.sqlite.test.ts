// The shared store suite on SQLite: a fresh file per test in a temporary folder.
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openSqliteStore } from '../../src/server/index.js';
import { tempDir } from './helpers.js';
import { storeSuite } from './store.suite.js';

storeSuite({
  name: 'sqlite',
  async fresh() {
    const file = join(tempDir(), 'nested', 'shop.sqlite');
    return {
      open: async () => openSqliteStore(file),
      async deleteInvoice(invoiceId) {
        const db = new Database(file);
        try {
          db.prepare('DELETE FROM payments WHERE invoice_id = ?').run(invoiceId);
          db.prepare('DELETE FROM invoice_ids WHERE invoice_id = ?').run(invoiceId);
        } finally {
          db.close();
        }
      },
      async rollBackToStep1() {
        const db = new Database(file);
        try {
          db.exec('DROP INDEX payments_hook_owed; ALTER TABLE payments DROP COLUMN hook_done_at; PRAGMA user_version = 1;');
        } finally {
          db.close();
        }
      },
    };
  },
});
