// A server for the throughput runs, in its own process so autocannon never shares its event loop.
//   bare            node:http answering a fixed JSON body (after draining the request): the ceiling
//   app <seed>      the real createApp over a fresh temp SQLite, with <seed> pending payments cloned in
// Listens on 127.0.0.1:0 and reports { port, seeded } over IPC; exits when the parent disconnects.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { checkout, createBackend, loadServer, seedPayments, type Seeded } from './backend.js';

export const BARE_BODY = JSON.stringify({ id: 'pay_3f9c0a1b2c3d4e5f', invoiceId: 1000001, status: 'pending', amount: '1500.00', currency: 'KZT', paidAt: null });

const [mode, seedArg] = process.argv.slice(2);
const send = (msg: unknown): void => { process.send?.(msg); };

async function main(): Promise<void> {
  if (mode === 'bare') {
    const server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(BARE_BODY) });
        res.end(BARE_BODY);
      });
    });
    server.listen(0, '127.0.0.1', () => send({ port: (server.address() as AddressInfo).port }));
    return;
  }
  const mod = await loadServer();
  if (!mod) throw new Error('src/server is not there yet');
  // the app's default log: one JSON line per request on stdout (here /dev/null), as a shop runs it
  const backend = await createBackend(mod, { log: 'default' });
  process.on('exit', () => backend.close());
  let seeded: Seeded | undefined;
  const seed = Number(seedArg ?? 0);
  if (seed > 0) {
    const first = await checkout(backend.app);
    if (first.status !== 201) throw new Error(`checkout answered ${first.status}: ${JSON.stringify(first.body)}`);
    backend.reopen(() => { seeded = seedPayments(backend.dbPath, first.body, seed, { exclusive: true }); });
  }
  const server = serve({ fetch: backend.app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => send({ port: info.port, seeded }));
  void server;
}

// exit through process.exit so the 'exit' handler removes the temp database (SIGTERM alone would skip it)
process.on('disconnect', () => process.exit(0));
process.on('SIGTERM', () => process.exit(0));
// CPU time is what the server spent; other processes stretch wall time far more than they inflate it
process.on('message', (m: { cmd?: string }) => {
  if (m.cmd === 'cpu') { const u = process.cpuUsage(); send({ cpu: u.user + u.system }); }
});
main().catch((err: unknown) => {
  send({ error: err instanceof Error ? err.message : String(err) });
  process.exit(1);
});
