// The all-in-one demo behind `npm start`: one process serving the demo page at /, the merchant backend
// at /robokassa/ and the local Robokassa sandbox at /sandbox/. This is the only place that composes
// the backend and the sandbox; they still talk to each other over HTTP, as a shop and Robokassa do.
// `startDemoServer` is exported so the end-to-end tests run exactly this composition.
import { mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { AddressInfo } from 'node:net';
import { Hono } from 'hono';
import { serve, type ServerType } from '@hono/node-server';
import { build } from 'vite';
import { createApp, openSqliteStore, parseConfig, type PaymentRecord } from '../src/server/index.js';
import { createSandboxApp } from '../src/sandbox/app.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const demoDir = join(root, 'demo');
const distDir = join(root, 'dist');

/** Demo credentials (DESIGN.md): public on purpose, usable only against the local sandbox. */
export const DEMO_SHOP = {
  merchantLogin: 'demo-shop',
  password1: 'demo-password-1',
  password2: 'demo-password-2',
  hashAlgorithm: 'md5',
} as const;

export interface DemoServerOptions {
  /** 0 picks a free port (tests). Default 8080. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Where the SQLite file goes. Default ./data. */
  dataDir?: string;
  /** Build with Vite before listening: the embed and the demo script ('all', default), the demo script only, or nothing. */
  build?: 'all' | 'demo' | 'none';
  /** The sandbox's ResultURL retry delays; tests use short ones. */
  retryDelaysMs?: number[];
  /** Called once per payment the backend marks paid. */
  onPaid?: (payment: PaymentRecord) => void | Promise<void>;
  /** Structured log lines of the backend and the sandbox. Default: dropped. */
  log?: (entry: Record<string, unknown>) => void;
}

export interface DemoServer {
  /** The page's address, e.g. http://127.0.0.1:8080/ */
  url: string;
  /** The page origin, e.g. http://127.0.0.1:8080 */
  origin: string;
  server: ServerType;
  close(): Promise<void>;
}

/** Builds dist/robokassa-checkout.js (+ IIFE) with the package's own Vite config, and dist/demo/demo.js. */
export async function buildDemoAssets(what: 'all' | 'demo' = 'all'): Promise<void> {
  // the same build a site owner's copy comes from: the project's vite.config.ts, default mode
  if (what === 'all') await build({ root, configFile: join(root, 'vite.config.ts'), mode: 'production', logLevel: 'warn' });
  await build({
    root,
    configFile: false,
    logLevel: 'warn',
    publicDir: false,
    build: {
      target: 'es2022',
      outDir: join(distDir, 'demo'),
      emptyOutDir: true,
      lib: { entry: join(demoDir, 'demo.ts'), formats: ['es'], fileName: () => 'demo.js' },
    },
  });
}

/**
 * The page's policy: no inline script or style anywhere, so the widget proves it works under a strict
 * CSP. Constructable stylesheets (Lit) and CSSOM property edits (the theming panel) are allowed by it.
 */
const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "object-src 'none'",
].join('; ');

const STATIC: Record<string, { file: string; type: string }> = {
  '/': { file: join(demoDir, 'index.html'), type: 'text/html; charset=utf-8' },
  '/demo.css': { file: join(demoDir, 'demo.css'), type: 'text/css; charset=utf-8' },
  '/demo.js': { file: join(distDir, 'demo', 'demo.js'), type: 'text/javascript; charset=utf-8' },
  '/favicon.svg': { file: join(demoDir, 'favicon.svg'), type: 'image/svg+xml' },
  '/product.svg': { file: join(demoDir, 'product.svg'), type: 'image/svg+xml' },
  '/robokassa-checkout.js': { file: join(distDir, 'robokassa-checkout.js'), type: 'text/javascript; charset=utf-8' },
  '/robokassa-checkout.iife.js': { file: join(distDir, 'robokassa-checkout.iife.js'), type: 'text/javascript; charset=utf-8' },
};

function pageApp(): Hono {
  const app = new Hono();
  app.get('/favicon.ico', (c) => c.redirect('/favicon.svg', 301));
  for (const [path, { file, type }] of Object.entries(STATIC)) {
    app.get(path, (c) => {
      let body: Buffer;
      try {
        // read per request: a rebuild (or an edit of the page) shows without a restart
        body = readFileSync(file);
      } catch {
        return c.text(`${path} is missing: was the build skipped?`, 404);
      }
      c.header('Content-Type', type);
      c.header('Cache-Control', 'no-cache');
      c.header('X-Content-Type-Options', 'nosniff');
      if (type.startsWith('text/html')) {
        c.header('Content-Security-Policy', CSP);
        c.header('Referrer-Policy', 'strict-origin-when-cross-origin');
      }
      return c.body(new Uint8Array(body));
    });
  }
  return app;
}

/** A fetch handler as @hono/node-server calls it: `env` carries the socket (the client's address). */
type Handler = (req: Request, env?: unknown) => Response | Promise<Response>;

function listen(port: number, hostname: string, fetch: Handler): Promise<ServerType> {
  return new Promise((resolveListen, reject) => {
    const server = serve({ fetch, port, hostname }, () => resolveListen(server));
    server.once('error', reject);
  });
}

/** Starts the composed demo: builds the assets, listens, then wires the backend and sandbox to its own address. */
export async function startDemoServer(options: DemoServerOptions = {}): Promise<DemoServer> {
  const host = options.host ?? '127.0.0.1';
  const dataDir = resolve(options.dataDir ?? join(root, 'data'));
  mkdirSync(dataDir, { recursive: true });
  const what = options.build ?? 'all';
  if (what !== 'none') await buildDemoAssets(what);

  // The backend and the sandbox need the address they are reached at, and port 0 only tells it after
  // listening: requests are answered by `handler`, which is set before this function returns.
  let handler: Handler | undefined;
  const server = await listen(options.port ?? 8080, host, (req, env) => (handler ? handler(req, env) : new Response('starting', { status: 503 })));
  const { port } = server.address() as AddressInfo;
  const publicHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  const origin = `http://${publicHost}:${port}`;
  // the same page reached as localhost is the same demo; allow both spellings of loopback
  const origins = [origin, ...(publicHost === '127.0.0.1' ? [`http://localhost:${port}`] : [])];
  let closeStore: (() => void) | undefined;

  try {
    handler = compose(origin, origins, dataDir, host, port, options, (close) => (closeStore = close));
  } catch (err) {
    // a bad catalog or config must not leave a port open behind the error
    await new Promise<void>((r) => server.close(() => r()));
    throw err;
  }

  return {
    url: `${origin}/`,
    origin,
    server,
    close: () =>
      new Promise<void>((resolveClose) => {
        // keep-alive sockets (the browser's) would hold close() open
        if ('closeAllConnections' in server) server.closeAllConnections();
        server.close(() => {
          closeStore?.();
          resolveClose();
        });
      }),
  };
}

/** The backend and the sandbox, each told the other's address on this origin, behind one Hono app. */
function compose(
  origin: string, origins: string[], dataDir: string, host: string, port: number, options: DemoServerOptions,
  onStore: (close: () => void) => void,
): Handler {
  const log = options.log ?? (() => undefined);
  const config = parseConfig({
    ROBOKASSA_MERCHANT_LOGIN: DEMO_SHOP.merchantLogin,
    ROBOKASSA_PASSWORD1: DEMO_SHOP.password1,
    ROBOKASSA_PASSWORD2: DEMO_SHOP.password2,
    ROBOKASSA_HASH: DEMO_SHOP.hashAlgorithm,
    ROBOKASSA_TEST: '1',
    ROBOKASSA_REGION: 'kz',
    ROBOKASSA_PAYMENT_URL: `${origin}/sandbox/Merchant/Index.aspx`,
    ROBOKASSA_CATALOG: join(demoDir, 'catalog.json'),
    ROBOKASSA_DATABASE: join(dataDir, 'robokassa.sqlite'),
    ROBOKASSA_ALLOWED_ORIGINS: origins.join(','),
    // the per-address limit is on, as in production, but roomy: the e2e suite checks out hundreds of
    // times a minute from 127.0.0.1
    ROBOKASSA_RATE_LIMIT: '1000',
    HOST: host,
    PORT: String(port),
  });
  const store = openSqliteStore(config.databasePath);
  onStore(() => store.close());
  const backend = createApp(config, { store, log, ...(options.onPaid ? { onPaid: options.onPaid } : {}) });
  const sandbox = createSandboxApp({
    ...DEMO_SHOP,
    resultUrl: `${origin}/robokassa/result`,
    successUrl: `${origin}/robokassa/success`,
    failUrl: `${origin}/robokassa/fail`,
    testMode: true,
    log,
    ...(options.retryDelaysMs ? { retryDelaysMs: options.retryDelaysMs } : {}),
  });

  const app = new Hono();
  // c.env is node-server's { incoming, outgoing }: the backend's rate limit reads the client address there
  app.all('/robokassa', (c) => backend.fetch(c.req.raw, c.env));
  app.all('/robokassa/*', (c) => backend.fetch(c.req.raw, c.env));
  app.all('/sandbox', (c) => sandbox.fetch(c.req.raw));
  app.all('/sandbox/*', (c) => sandbox.fetch(c.req.raw));
  app.route('/', pageApp());
  return (req, env) => app.fetch(req, env);
}

/** One short line per request or event of the backend and the sandbox (they never log secrets). */
function printLog(entry: Record<string, unknown>): void {
  const { time, method, path, status, ms, ...rest } = entry;
  const clock = typeof time === 'string' ? time.slice(11, 19) : new Date().toISOString().slice(11, 19);
  if (typeof method === 'string' && typeof path === 'string') {
    console.log(`${clock}  ${String(status ?? '')} ${method} ${path}${typeof ms === 'number' ? ` ${ms} ms` : ''}`);
  } else {
    console.log(`${clock}  ${JSON.stringify({ ...rest, ...(status !== undefined && { status }) })}`);
  }
}

async function main(): Promise<void> {
  const port = Number(process.env.PORT ?? 8080);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, got "${process.env.PORT}"`);
  const started = Date.now();
  const demo = await startDemoServer({
    port,
    host: process.env.HOST ?? '127.0.0.1',
    dataDir: join(root, 'data'),
    log: printLog,
  });
  console.log(`\nrobokassa-checkout demo (test mode, local sandbox) ready in ${Date.now() - started} ms:\n\n  ${demo.url}\n`);
  console.log(`  backend  ${demo.origin}/robokassa/   sandbox  ${demo.origin}/sandbox/Merchant/Index.aspx`);
  console.log('  test card 4111 1111 1111 1111, any future expiry, any CVC. Ctrl+C stops.\n');
  const stop = (): void => void demo.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main().catch((err: unknown) => {
    const code = (err as { code?: unknown } | null)?.code;
    if (code === 'EADDRINUSE') console.error(`Port ${process.env.PORT ?? 8080} is already in use: stop the other process or start with PORT=8081 npm start`);
    else console.error(err instanceof Error ? err.message : String(err));
    process.exit(1);
  });
}

