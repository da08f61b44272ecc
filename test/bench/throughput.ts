// 4. Backend throughput on loopback with autocannon: POST /checkout (fresh Idempotency-Keys),
// GET /payments/{id}, POST /result (valid notifications for distinct, pre-seeded invoices) — each beside
// a bare node:http server answering a fixed JSON body (the ceiling on this machine), alternating runs,
// every run in a fresh server process, medians and ratios.
import { fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import autocannon, { type Result, type RequestSpec } from 'autocannon';
import { CHECKOUT_BODY, loadServer, resultSigner, type Seeded } from './backend.js';
import { alternate, log, median, ratio, round, uuidv7, type Row, type SectionResult } from './lib.js';

const CHILD = fileURLToPath(new URL('./server-child.ts', import.meta.url));

export const GOALS = { checkout: 0.4, status: 0.6, result: 0.3 } as const;
export type Endpoint = keyof typeof GOALS;
type Kind = 'bare' | 'app';

export interface Child { proc: ChildProcess; port: number; seeded?: Seeded }

/** `env`: extra environment for the child (ab-server.ts points RK_BENCH_SERVER at another tree). */
export function spawnServer(kind: Kind, seed: number, env?: Record<string, string>): Promise<Child> {
  return new Promise((resolve, reject) => {
    const proc = fork(CHILD, kind === 'bare' ? ['bare'] : ['app', String(seed)], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
      ...(env !== undefined && { env: { ...process.env, ...env } }),
    });
    const timer = setTimeout(() => { proc.kill(); reject(new Error(`${kind} server did not start`)); }, 120_000);
    proc.once('message', (m: { port?: number; seeded?: Seeded; error?: string }) => {
      clearTimeout(timer);
      if (m.error || !m.port) { proc.kill(); reject(new Error(m.error ?? 'no port')); return; }
      resolve({ proc, port: m.port, ...(m.seeded ? { seeded: m.seeded } : {}) });
    });
    proc.once('exit', (code) => { clearTimeout(timer); reject(new Error(`${kind} server exited (${code})`)); });
  });
}

export function cpuOf(c: Child): Promise<number> {
  return new Promise((resolve) => {
    const on = (m: { cpu?: number }): void => {
      if (m.cpu === undefined) return;
      c.proc.off('message', on);
      resolve(m.cpu);
    };
    c.proc.on('message', on);
    c.proc.send({ cmd: 'cpu' });
  });
}

export function stopServer(c: Child): Promise<void> {
  return new Promise((resolve) => {
    if (c.proc.exitCode !== null) { resolve(); return; }
    c.proc.once('exit', () => resolve());
    c.proc.kill('SIGTERM');
  });
}

interface RunFigures { rps: number; p50: number; p99: number; total: number; cpuUsPerReq: number; non2xx: number; errors: number; distinct?: boolean }

export async function cannon(port: number, spec: RequestSpec, durationS: number): Promise<Result> {
  return autocannon({ url: `http://127.0.0.1:${port}`, connections: 50, duration: durationS, requests: [spec] });
}

/** Idempotency-Key format: 'v7' as the element sends (time-ordered), 'v4' random (the element before). */
export type KeyFormat = 'v4' | 'v7';
export const newKey = (format: KeyFormat): string => (format === 'v7' ? uuidv7() : randomUUID());

/** The request an endpoint sends; the bare server gets the very same requests. */
export async function makeSpec(endpoint: Endpoint, seeded: Seeded | undefined, keys: KeyFormat = 'v7'): Promise<{ spec: RequestSpec; exhausted: () => boolean }> {
  if (endpoint === 'checkout') {
    return {
      spec: {
        method: 'POST', path: '/robokassa/checkout', body: CHECKOUT_BODY,
        headers: { 'content-type': 'application/json' },
        setupRequest: (req) => ({ ...req, headers: { ...req.headers, 'idempotency-key': newKey(keys) } }),
      },
      exhausted: () => false,
    };
  }
  if (!seeded) throw new Error('status/result need seeded payments');
  if (endpoint === 'status') {
    let i = 0;
    const ids = seeded.sampleIds;
    return {
      spec: { method: 'GET', path: `/robokassa/payments/${ids[0]}`, setupRequest: (req) => ({ ...req, path: `/robokassa/payments/${ids[i++ % ids.length]}` }) },
      exhausted: () => false,
    };
  }
  const sign = await resultSigner();
  let next = 0;
  const bodies: string[] = [];
  // signed ahead of time, so the load generator spends its CPU on sending
  for (let i = 0; i < seeded.count; i++) bodies.push(sign(seeded.amount, seeded.firstInvId + i));
  return {
    spec: {
      method: 'POST', path: '/robokassa/result', body: bodies[0],
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      setupRequest: (req) => ({ ...req, body: bodies[next++ % bodies.length] }),
    },
    exhausted: () => next > bodies.length,
  };
}

export interface ThroughputOptions { durationS: number; rounds: number; warmupS: number; resultSeed: number; statusSeed: number }

export async function throughput(opts: ThroughputOptions): Promise<SectionResult> {
  const haveServer = (await loadServer()) !== undefined;
  const endpoints: Endpoint[] = ['checkout', 'status', 'result'];
  const rows: Row[] = [];
  const raw: Record<string, unknown> = { connections: 50, durationS: opts.durationS, rounds: opts.rounds };
  for (const endpoint of endpoints) {
    const runs: Record<Kind, RunFigures[]> = { bare: [], app: [] };
    let lastSeeded: Seeded | undefined;
    const kinds: Kind[] = haveServer ? ['bare', 'app'] : ['bare'];
    for (let i = 0; i < opts.rounds; i++) {
      const order = haveServer ? alternate<Kind>(i, 'bare', 'app') : (['bare'] as Kind[]);
      for (const kind of order) {
        if (!kinds.includes(kind)) continue;
        const seed = endpoint === 'result' ? opts.resultSeed : endpoint === 'status' ? opts.statusSeed : 0;
        const child = await spawnServer(kind, kind === 'app' ? seed : 0);
        try {
          // the bare server gets requests of the same shape (from the last seeded app, else synthetic ones)
          if (child.seeded) lastSeeded = child.seeded;
          const { spec, exhausted } = await makeSpec(endpoint, child.seeded ?? lastSeeded ?? fakeSeed());
          if (opts.warmupS > 0) await cannon(child.port, spec, opts.warmupS);
          const cpu0 = await cpuOf(child);
          const r = await cannon(child.port, spec, opts.durationS);
          const cpu1 = await cpuOf(child);
          const f: RunFigures = { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, total: r.requests.total,
            cpuUsPerReq: (cpu1 - cpu0) / Math.max(1, r.requests.total), non2xx: r.non2xx, errors: r.errors + r.timeouts };
          if (endpoint === 'result') f.distinct = !exhausted();
          runs[kind].push(f);
          log(`throughput ${endpoint} ${kind} run ${i + 1}/${opts.rounds}: ${Math.round(f.rps)} req/s, p50 ${f.p50} ms, p99 ${f.p99} ms, ${Math.round(f.cpuUsPerReq)} µs CPU/req${f.non2xx ? `, ${f.non2xx} non-2xx (${Object.entries(r.statusCodeStats ?? {}).map(([k, v]) => `${k}×${v.count}`).join(' ')})` : ''}${f.errors ? `, ${f.errors} errors` : ''}`);
        } finally {
          await stopServer(child);
        }
      }
    }
    raw[endpoint] = runs;
    const med = (k: Kind, f: (r: RunFigures) => number): number | null => (runs[k].length ? median(runs[k].map(f)) : null);
    const appRps = med('app', (r) => r.rps);
    const bareRps = med('bare', (r) => r.rps);
    const bad = runs.app.reduce((n, x) => n + x.non2xx + x.errors, 0);
    const total = runs.app.reduce((n, x) => n + x.total, 0);
    // answers that are not the route's success path measure something else (an error path, a limiter)
    const valid = bad <= total * 0.01;
    const r = valid ? ratio(appRps, bareRps) : null;
    const notDistinct = runs.app.some((x) => x.distinct === false);
    const path = { checkout: 'POST /checkout', status: 'GET /payments/{id}', result: 'POST /result' }[endpoint];
    rows.push({ section: 'throughput', metric: `${path} req/s`, unit: 'req/s', value: appRps, baseline: bareRps, baselineLabel: '(node:http)', ratio: r,
      goal: `≥ ${GOALS[endpoint]}×`, pass: r === null ? null : r >= GOALS[endpoint],
      ...(bad || notDistinct ? { note: [bad ? `${bad} of ${total} non-2xx/errors${valid ? '' : ': not a measure of the route'}` : '', notDistinct ? 'invoice pool exhausted: some duplicates' : ''].filter(Boolean).join('; ') } : {}) });
    rows.push({ section: 'throughput', metric: `${path} p50`, unit: 'ms', value: med('app', (x) => x.p50), baseline: med('bare', (x) => x.p50), baselineLabel: '(node:http)', ratio: ratio(med('app', (x) => x.p50), med('bare', (x) => x.p50)) });
    rows.push({ section: 'throughput', metric: `${path} p99`, unit: 'ms', value: med('app', (x) => x.p99), baseline: med('bare', (x) => x.p99), baselineLabel: '(node:http)', ratio: ratio(med('app', (x) => x.p99), med('bare', (x) => x.p99)) });
    const appCpu = med('app', (x) => x.cpuUsPerReq);
    const bareCpu = med('bare', (x) => x.cpuUsPerReq);
    const cpuRatio = ratio(bareCpu, appCpu);
    rows.push({ section: 'throughput', metric: `${path} server CPU per request`, unit: 'µs', value: appCpu, baseline: bareCpu, baselineLabel: '(node:http)', ratio: ratio(appCpu, bareCpu),
      note: `ceiling share by CPU ${cpuRatio === null ? '–' : cpuRatio.toFixed(2)}; less sensitive than req/s to other load on the machine` });
    raw[`${endpoint}Summary`] = { appRps: round(appRps), bareRps: round(bareRps), ratio: round(r, 3) };
  }
  return { rows, raw, ...(haveServer ? {} : { skipped: 'src/server not there yet: ceiling only' }) };
}

/** Requests for the bare server when there is no app to seed (harness development only). */
export function fakeSeed(): Seeded {
  return { firstInvId: 1000001, count: 100_000, amount: '1500.00', sampleIds: ['Xq3k9Vt0bLmN2pR7sW4yZa'], tables: [], ms: 0 };
}
