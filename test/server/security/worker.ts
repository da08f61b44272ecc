// A shop worker process for the multi-process tests: its own createApp over the SQLite file named in
// argv[2] (several workers share one file, as a shop running several Node processes does), listening on
// 127.0.0.1:0. It reports {port}, then {paid: id} for every onPaid, and on request fires concurrent
// HTTP requests at the given servers and reports what came back. Exits when the parent disconnects.
import { serve } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { createApp, openSqliteStore, parseConfig } from '../../../src/server/index.js';
import { baseEnv } from '../helpers.js';

export interface FireRequest { fire: { urls: string[]; init: { method: string; headers: Record<string, string>; body?: string }[] } }
export interface Fired { fired: { status: number; text: string }[] }

const file = process.argv[2]!;
const send = (m: unknown): void => void process.send?.(m);
process.on('disconnect', () => process.exit(0));

try {
  const store = openSqliteStore(file);
  const config = parseConfig(baseEnv({ ROBOKASSA_DATABASE: file }));
  const app = createApp(config, { store, log: (e) => { if (e['event'] === 'unhandled_error') process.stderr.write(`${JSON.stringify(e)}\n`); }, onPaid: (p) => send({ paid: p.id, pid: process.pid }) });
  const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => send({ port: (server.address() as AddressInfo).port }));
  process.on('message', (m: FireRequest) => {
    if (!m.fire) return;
    // all at once: the requests are started before any answer is awaited
    void Promise.all(m.fire.init.map(async (init, i) => {
      try {
        const res = await fetch(m.fire.urls[i % m.fire.urls.length]!, init);
        return { status: res.status, text: await res.text() };
      } catch (err) {
        return { status: 0, text: String(err) };
      }
    })).then((fired) => send({ fired } satisfies Fired));
  });
} catch (err) {
  send({ error: err instanceof Error ? `${err.name}: ${err.message}` : String(err) });
  process.exit(1);
}
