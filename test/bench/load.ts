// Load: 2 minutes of mixed traffic against the backend as main.ts runs it (in its own process, its
// JSON request log on, SQLite on disk, the same server timeouts) — checkouts, status polls and ResultURL
// notifications for the payments those checkouts created, three autocannon loads at once, as fast as
// the machine goes. Passes when there is no error, every notified invoice is paid exactly once, and the
// server's memory is flat (RSS every 2 s; RSS and heap after a full GC every 10 s, the last third of
// the run against the middle third).
//   node --import tsx test/bench/load.ts [--seconds=120]     (also a section of `npm run bench`)
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import autocannon, { type Result } from 'autocannon';
import Database from 'better-sqlite3';
import { callbackSignatureBase } from '../../src/protocol/index.js';
import { nodeHasher } from '../../src/node-hasher.js';
import { log, median, round, uuidv7, type Row, type SectionResult } from './lib.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const PASSWORD2 = 'load-password-2';
const CATALOG = { receipt: { sno: 'usn_income' }, products: [{ sku: 'course-basic', name: 'Basic course', price: '1500.00', currency: 'KZT', tax: 'none', paymentMethod: 'full_payment', paymentObject: 'service' }] };

export interface LoadOptions { seconds: number; connections?: { checkout: number; status: number; result: number } }

function rssKb(pid: number): number | null {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

/**
 * The server process: what src/server/main.ts runs (createApp over the SQLite file, the JSON request
 * log on stdout, the same server timeouts), plus one IPC message, 'mem', answered after a full GC with
 * the heap and RSS — so a leak can be told from a heap V8 merely hasn't collected yet.
 */
async function serveForLoad(): Promise<void> {
  const [{ serve }, server] = await Promise.all([import('@hono/node-server'), import('../../src/server/index.js')]);
  const { serverTimeoutOptions } = await import('../../src/server/timeouts.js');
  const config = server.parseConfig(process.env);
  const store = server.openSqliteStore(config.databasePath);
  const app = server.createApp(config, { store });
  const http = serve({ fetch: app.fetch, hostname: config.host, port: config.port, serverOptions: serverTimeoutOptions() }, (info) => {
    process.send?.({ port: info.port });
  });
  void http;
  const gc = (globalThis as { gc?: () => void }).gc;
  process.on('message', () => {
    gc?.();
    const m = process.memoryUsage();
    process.send?.({ heapUsed: m.heapUsed, rss: m.rss });
  });
  process.on('disconnect', () => process.exit(0));
}

interface LoadServer { proc: ChildProcess; port: number; db: string; mem(): Promise<{ heapUsed: number; rss: number }> }

function startServer(dir: string): Promise<LoadServer> {
  const db = join(dir, 'robokassa.sqlite');
  const catalog = join(dir, 'catalog.json');
  writeFileSync(catalog, JSON.stringify(CATALOG));
  const env = {
    ...process.env,
    ROBOKASSA_MERCHANT_LOGIN: 'load-shop', ROBOKASSA_PASSWORD1: 'load-password-1', ROBOKASSA_PASSWORD2: PASSWORD2, ROBOKASSA_TEST: '1',
    ROBOKASSA_CATALOG: catalog, ROBOKASSA_DATABASE: db, ROBOKASSA_ALLOWED_ORIGINS: 'http://127.0.0.1',
    // all the load comes from one address
    ROBOKASSA_RATE_LIMIT: '0', HOST: '127.0.0.1', PORT: '0',
  };
  return new Promise((resolvePromise, reject) => {
    const proc = fork(fileURLToPath(import.meta.url), ['--serve'], { cwd: ROOT, env, execArgv: ['--import', 'tsx', '--expose-gc'], stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
    proc.stdout!.resume(); // the per-request log lines: read and dropped, as a log shipper would
    const timer = setTimeout(() => reject(new Error('the load server did not start')), 60_000);
    const mem = (): Promise<{ heapUsed: number; rss: number }> => new Promise((r) => {
      const on = (m: { heapUsed?: number; rss?: number }): void => {
        if (m.heapUsed === undefined || m.rss === undefined) return;
        proc.off('message', on);
        r({ heapUsed: m.heapUsed, rss: m.rss });
      };
      proc.on('message', on);
      proc.send('mem');
    });
    proc.once('message', (m: { port?: number }) => {
      clearTimeout(timer);
      if (m.port) resolvePromise({ proc, port: m.port, db, mem });
    });
    proc.once('exit', (code) => { clearTimeout(timer); reject(new Error(`the load server exited ${code}`)); });
  });
}

function sign(invId: number): string {
  const sig = nodeHasher('md5', callbackSignatureBase({ outSum: '1500.000000', invId: String(invId), password: PASSWORD2 })).toUpperCase();
  return new URLSearchParams({ OutSum: '1500.000000', InvId: String(invId), SignatureValue: sig, IsTest: '1' }).toString();
}

export async function load(opts: LoadOptions): Promise<SectionResult> {
  const conns = opts.connections ?? { checkout: 8, status: 16, result: 8 };
  const dir = mkdtempSync(join(tmpdir(), 'rk-load-'));
  const server = await startServer(dir);
  const base = `http://127.0.0.1:${server.port}/robokassa`;
  try {
    // payments for the first polls and notifications
    const created: { id: string; invoiceId: number }[] = [];
    for (let i = 0; i < 200; i++) {
      const res = await fetch(`${base}/checkout`, { method: 'POST', headers: { 'content-type': 'application/json', 'idempotency-key': uuidv7() }, body: JSON.stringify({ items: [{ sku: 'course-basic', quantity: 1 }] }) });
      if (res.status !== 201) throw new Error(`warm-up checkout answered ${res.status}`);
      created.push((await res.json()) as { id: string; invoiceId: number });
    }
    const unnotified = created.map((p) => p.invoiceId);
    const notified = new Set<number>();
    let duplicates = 0;

    const rss: { t: number; kb: number }[] = [];
    const afterGc: { t: number; heapMb: number; rssMb: number }[] = [];
    const t0 = Date.now();
    const sampler = setInterval(() => {
      const kb = rssKb(server.proc.pid!);
      if (kb !== null) rss.push({ t: (Date.now() - t0) / 1000, kb });
    }, 2_000);
    const gcSampler = setInterval(() => {
      const t = (Date.now() - t0) / 1000;
      void server.mem().then((m) => afterGc.push({ t, heapMb: m.heapUsed / 2 ** 20, rssMb: m.rss / 2 ** 20 }));
    }, 10_000);

    const url = `http://127.0.0.1:${server.port}`;
    const runs = await Promise.all([
      autocannon({
        url, connections: conns.checkout, duration: opts.seconds, timeout: 10,
        requests: [{
          method: 'POST', path: '/robokassa/checkout', headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ items: [{ sku: 'course-basic', quantity: 1 }] }),
          setupRequest: (req) => ({ ...req, headers: { ...req.headers, 'idempotency-key': uuidv7() } }),
          onResponse: (status, body) => {
            if (status !== 201) return;
            const p = JSON.parse(body) as { id: string; invoiceId: number };
            created.push(p);
            unnotified.push(p.invoiceId);
          },
        }],
      }),
      autocannon({
        url, connections: conns.status, duration: opts.seconds, timeout: 10,
        requests: [{
          method: 'GET', path: '/robokassa/healthz',
          setupRequest: (req) => ({ ...req, path: `/robokassa/payments/${created[Math.floor(Math.random() * created.length)]!.id}` }),
        }],
      }),
      autocannon({
        url, connections: conns.result, duration: opts.seconds, timeout: 10,
        requests: [{
          method: 'POST', path: '/robokassa/result', headers: { 'content-type': 'application/x-www-form-urlencoded' },
          setupRequest: (req) => {
            // the next payment not yet notified; when the checkouts lag behind, a repeat (Robokassa retries)
            let invId = unnotified.shift();
            if (invId === undefined) {
              duplicates++;
              invId = created[Math.floor(Math.random() * created.length)]!.invoiceId;
            }
            return { ...req, body: sign(invId) };
          },
          onResponse: (status, body) => {
            if (status === 200 && body.startsWith('OK')) notified.add(Number(body.slice(2)));
          },
        }],
      }),
    ]) as [Result, Result, Result];
    clearInterval(sampler);
    clearInterval(gcSampler);
    const final = await server.mem();
    afterGc.push({ t: (Date.now() - t0) / 1000, heapMb: final.heapUsed / 2 ** 20, rssMb: final.rss / 2 ** 20 });
    const elapsed = (Date.now() - t0) / 1000;

    // what the store says
    const db = new Database(server.db, { readonly: true });
    let paidRows: number;
    let paidVerdicts: Map<number, number>;
    let otherVerdicts: number;
    try {
      paidRows = (db.prepare("SELECT COUNT(*) AS n FROM payments WHERE status = 'paid'").get() as { n: number }).n;
      paidVerdicts = new Map((db.prepare("SELECT invoice_id, COUNT(*) AS n FROM notifications WHERE verdict = 'paid' GROUP BY invoice_id").all() as { invoice_id: number; n: number }[]).map((r) => [r.invoice_id, r.n]));
      otherVerdicts = (db.prepare("SELECT COUNT(*) AS n FROM notifications WHERE verdict NOT IN ('paid', 'duplicate')").get() as { n: number }).n;
    } finally {
      db.close();
    }
    const lost = [...notified].filter((id) => paidVerdicts.get(id) !== 1).length;

    const names = ['POST /checkout', 'GET /payments/{id}', 'POST /result'] as const;
    const bad = runs.map((r) => r.errors + r.timeouts + r.non2xx);
    const totalBad = bad.reduce((a, b) => a + b, 0);
    // Flat memory: after a full GC (what the process really keeps), the last third of the run against
    // the middle third, past the first 20 s of warm-up (SQLite cache, JIT). RSS without GC is printed
    // too, but it follows V8's lazy heap growth under load more than what is retained.
    const steady = afterGc.filter((s) => s.t >= Math.min(20, elapsed / 4));
    const third = Math.max(1, Math.floor(steady.length / 3));
    const middle = median(steady.slice(third, 2 * third).map((s) => s.rssMb));
    const last = median(steady.slice(2 * third).map((s) => s.rssMb));
    const heapMiddle = median(steady.slice(third, 2 * third).map((s) => s.heapMb));
    const heapLast = median(steady.slice(2 * third).map((s) => s.heapMb));
    const growth = middle > 0 ? (last - middle) / middle : NaN;
    // 10 % or 8 MB, whichever is larger: allocator noise on a loaded 2-core box
    const flat = Number.isFinite(growth) && (growth < 0.1 || last - middle < 8) && heapLast - heapMiddle < 8;
    const ok = totalBad === 0 && lost === 0 && paidRows === paidVerdicts.size && otherVerdicts === 0 && flat;

    const rows: Row[] = [];
    runs.forEach((r, i) => {
      rows.push({ section: 'load', metric: `${names[i]} req/s (mixed, ${opts.seconds} s)`, unit: 'req/s', value: round(r.requests.average, 0), ...(bad[i] ? { note: `${bad[i]} errors/non-2xx` } : {}) });
      rows.push({ section: 'load', metric: `${names[i]} p50 / p99`, unit: 'ms', value: r.latency.p50, note: `p99 ${r.latency.p99} ms` });
    });
    const total = runs.reduce((a, r) => a + r.requests.total, 0);
    rows.push({ section: 'load', metric: 'requests in total', unit: '', value: total, goal: '0 errors', pass: totalBad === 0, note: `${totalBad} errors/timeouts/non-2xx` });
    rows.push({ section: 'load', metric: 'invoices notified → paid exactly once', unit: '', value: notified.size, goal: 'none lost', pass: lost === 0 && otherVerdicts === 0, note: `${lost} lost, ${duplicates} repeats, ${paidRows} paid rows` });
    rows.push({ section: 'load', metric: 'server RSS after GC, middle → last third', unit: 'MB', value: round(last, 1), baseline: round(middle, 1), ratio: round(1 + growth, 3), goal: 'flat (< 1.10× or < 8 MB)', pass: flat, note: `heap ${heapMiddle.toFixed(1)} → ${heapLast.toFixed(1)} MB` });
    const peak = Math.max(...rss.map((r) => r.kb)) / 1024;
    rows.push({ section: 'load', metric: 'server RSS without GC, first → peak → end', unit: 'MB', value: round(rss.at(-1) ? rss.at(-1)!.kb / 1024 : null, 0), note: `first ${round(rss[0] ? rss[0].kb / 1024 : null, 0)} MB, peak ${round(peak, 0)} MB` });

    const summary = `load: ${Math.round(elapsed)} s, ${total} requests (${Math.round(total / elapsed)} req/s): ` +
      runs.map((r, i) => `${names[i]} ${Math.round(r.requests.average)} req/s p50 ${r.latency.p50} ms p99 ${r.latency.p99} ms`).join('; ') +
      `; errors ${totalBad}; ${notified.size} invoices notified, ${lost} lost; RSS ${rss.length ? `${Math.round(rss[0]!.kb / 1024)} → ${Math.round(rss.at(-1)!.kb / 1024)} MB` : 'not sampled'}` +
      `; after GC: RSS ${middle.toFixed(1)} → ${last.toFixed(1)} MB, heap ${heapMiddle.toFixed(1)} → ${heapLast.toFixed(1)} MB (middle → last third)` +
      ` — ${ok ? 'PASS' : 'FAIL'}`;
    log(summary);
    return { rows, raw: { summary, ok, rssKb: rss, afterGc, runs: runs.map((r, i) => ({ name: names[i], requests: r.requests, latency: r.latency, errors: r.errors, timeouts: r.timeouts, non2xx: r.non2xx })) } };
  } finally {
    server.proc.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv.includes('--serve')) {
  serveForLoad().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
} else if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const seconds = Number(process.argv.find((a) => a.startsWith('--seconds='))?.slice('--seconds='.length) ?? 120);
  load({ seconds }).then((r) => {
    for (const row of r.rows) console.log(`${row.metric}: ${row.value ?? '–'} ${row.unit}${row.note ? ` (${row.note})` : ''}${row.pass === false ? '  FAIL' : ''}`);
    process.exitCode = r.raw?.['ok'] === true ? 0 : 1;
  }, (err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}
