// Opens the store the configuration names: PostgreSQL when DATABASE_URL is set, else the SQLite file.
// The PostgreSQL client is loaded only then, so a SQLite shop never loads it.
import type { ServerConfig } from './config.js';
import { openSqliteStore } from './sqlite-store.js';
import type { Store } from './store.js';

export async function openStore(config: Pick<ServerConfig, 'databasePath' | 'postgresUrl'>): Promise<Store> {
  if (config.postgresUrl !== undefined) {
    const { openPostgresStore } = await import('./postgres-store.js');
    return openPostgresStore(config.postgresUrl);
  }
  return openSqliteStore(config.databasePath);
}
