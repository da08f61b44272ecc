// A/B of backend trees under load: `node --import tsx test/bench/ab-server.ts <treeA> <treeB> [...]`, each tree a
// folder holding src/server/index.ts (e.g. `git archive <commit> src | tar -x -C /tmp/a`, node_modules
// linked beside it). Per round: the bare node:http ceiling and every tree, each in a fresh server-child
// process, in a rotated order; autocannon, 50 connections, warm-up then D seconds. Prints per tree the
// median req/s, the median of its per-round ratio to the round's bare server (load swings cancel out),
// p50/p99 and server CPU per request (process.cpuUsage(), the least load-sensitive figure).
// Env: R=rounds (3), D=seconds (5), W=warm-up seconds (1), E=endpoints (checkout), SEED=status/result seed (20000).
import { resolve } from 'node:path';
import { median } from './lib.js';
import { cannon, cpuOf, fakeSeed, makeSpec, spawnServer, stopServer, type Endpoint } from './throughput.js';
import type { Seeded } from './backend.js';

const trees = process.argv.slice(2).map((t) => resolve(t));
if (trees.length === 0) throw new Error('usage: node --import tsx test/bench/ab-server.ts <treeA> <treeB> …');
const rounds = Number(process.env.R ?? 3);
const durationS = Number(process.env.D ?? 5);
const warmupS = Number(process.env.W ?? 1);
const seed = Number(process.env.SEED ?? 20_000);
const endpoints = (process.env.E ?? 'checkout').split(',') as Endpoint[];

interface Fig { rps: number; p50: number; p99: number; cpu: number; bad: number }

async function runOne(endpoint: Endpoint, tree: string | null, seededBefore: Seeded | undefined): Promise<{ f: Fig; seeded?: Seeded }> {
  const child = tree === null
    ? await spawnServer('bare', 0)
    : await spawnServer('app', endpoint === 'checkout' ? 0 : seed, { RK_BENCH_SERVER: `${tree}/src/server/index.ts` });
  try {
    const seeded = child.seeded ?? seededBefore;
    const { spec } = await makeSpec(endpoint, seeded ?? fakeSeed());
    if (warmupS > 0) await cannon(child.port, spec, warmupS);
    const c0 = await cpuOf(child);
    const r = await cannon(child.port, spec, durationS);
    const c1 = await cpuOf(child);
    return { f: { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, cpu: (c1 - c0) / Math.max(1, r.requests.total), bad: r.non2xx + r.errors + r.timeouts }, ...(child.seeded && { seeded: child.seeded }) };
  } finally {
    await stopServer(child);
  }
}

for (const endpoint of endpoints) {
  const kinds: (string | null)[] = [null, ...trees];
  const figs = new Map<string | null, Fig[]>(kinds.map((k) => [k, []]));
  const ratios = new Map<string, number[]>(trees.map((t) => [t, []]));
  let seeded: Seeded | undefined;
  for (let r = 0; r < rounds; r++) {
    const order = kinds.map((_, i) => kinds[(i + r) % kinds.length]!);
    if (r % 2 === 1) order.reverse();
    const round = new Map<string | null, Fig>();
    for (const k of order) {
      const { f, seeded: s } = await runOne(endpoint, k, seeded);
      seeded ??= s;
      round.set(k, f);
      figs.get(k)!.push(f);
      console.log(`${endpoint} round ${r + 1} ${k ?? 'bare'}: ${Math.round(f.rps)} req/s, p50 ${f.p50} p99 ${f.p99} ms, ${f.cpu.toFixed(0)} µs CPU/req${f.bad ? `, ${f.bad} bad` : ''}`);
    }
    for (const t of trees) ratios.get(t)!.push(round.get(t)!.rps / round.get(null)!.rps);
  }
  const summary = (k: string | null): string => {
    const fs = figs.get(k)!;
    const m = (g: (f: Fig) => number): number => median(fs.map(g));
    const ratio = k === null ? '' : ` ratio ${median(ratios.get(k)!).toFixed(3)}× (${ratios.get(k)!.map((x) => x.toFixed(2)).join(' ')})`;
    return `${endpoint} ${k ?? 'bare'}: ${Math.round(m((f) => f.rps))} req/s${ratio}, p50 ${m((f) => f.p50)} p99 ${m((f) => f.p99)} ms, CPU ${m((f) => f.cpu).toFixed(0)} µs/req (${fs.map((f) => f.cpu.toFixed(0)).join(' ')})`;
  };
  console.log(`--- ${endpoint}, ${rounds} rounds of ${durationS} s`);
  for (const k of kinds) console.log(summary(k));
}
