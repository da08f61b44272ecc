// `npm run serve`: the backend alone, configured from the environment. The only file that listens.
import { serve } from '@hono/node-server';
import { createApp } from './app.js';
import { ConfigError, describeDatabase, parseConfig } from './config.js';
import { openStore } from './open-store.js';
import type { Store } from './store.js';
import { serverTimeoutOptions } from './timeouts.js';

function fail(message: string): never {
  process.stderr.write(`robokassa backend: ${message}\n`);
  process.exit(1);
}

let config;
try {
  config = parseConfig(process.env);
} catch (err) {
  // ConfigError messages name the variable and never quote a password
  fail(err instanceof ConfigError ? err.message : 'could not read the configuration');
}

let store: Store;
try {
  store = await openStore(config);
} catch (err) {
  // describeDatabase leaves the password out; the PostgreSQL store's errors never carry it
  const variable = config.postgresUrl !== undefined ? 'DATABASE_URL' : 'ROBOKASSA_DATABASE';
  fail(`${variable}: cannot open ${describeDatabase(config)} (${err instanceof Error ? err.message : 'unknown error'})`);
}

const app = createApp(config, { store });
// slow headers, a request that never ends and idle keep-alive sockets are cut (Node answers 408)
const server = serve({ fetch: app.fetch, hostname: config.host, port: config.port, serverOptions: serverTimeoutOptions() }, (info) => {
  process.stdout.write(`${JSON.stringify({
    time: new Date().toISOString(), event: 'listening', url: `http://${info.address.includes(':') ? `[${info.address}]` : info.address}:${info.port}/robokassa/`,
    merchantLogin: config.merchant.merchantLogin, region: config.merchant.region, test: config.merchant.test,
    products: config.catalog.products.size, database: describeDatabase(config),
  })}\n`);
});
server.once('error', (err: NodeJS.ErrnoException) => fail(`cannot listen on ${config.host}:${config.port} (${err.code ?? err.message})`));

const stop = (): void => {
  server.close(() => {
    // PostgreSQL's close ends the pool's connections (a promise); SQLite's is immediate
    void Promise.resolve(store.close()).finally(() => process.exit(0));
  });
  // keep-alive connections would hold close() open
  if ('closeAllConnections' in server) server.closeAllConnections();
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
