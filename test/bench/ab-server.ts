// A/B of backend trees under load: `node --import tsx test/bench/ab-server.ts <treeA> <treeB> [...]`, each tree a
// folder holding src/server/index.ts (e.g. `git archive <commit> src | tar -x -C /tmp/a`, node_modules
// linked beside it). Per round: the bare node:http ceiling and every tree, each in a fresh server-child
// process, in a rotated order; autocannon, 50 connections, warm-up then D seconds. Prints per tree the
// median req/s, the median of its per-round ratio to the round's bare server (load swings cancel out),
// p50/p99 and server CPU per request (process.cpuUsage(), the least load-sensitive figure), and for every tree
// after the first the median of its per-round CPU per request over the first tree's (a pair sees the same load).
// Env: R=rounds (3), D=seconds (5), W=warm-up seconds (1), E=endpoints (checkout), SEED=status/result seed (20000),
// I=1 interleaved slices of S seconds (0.5) instead of whole runs (below), KEYS=Idempotency-Key format per tree
// (v4 or v7, comma-separated in tree order, the last one repeated; default v7 as the element sends), so one
// tree given twice with KEYS=v4,v7 measures the key format alone.
import { resolve } from 'node:path';
import { median } from './lib.js';
import { cannon, cpuOf, fakeSeed, makeSpec, spawnServer, stopServer, type Endpoint, type KeyFormat } from './throughput.js';
import type { Seeded } from './backend.js';

// a tree given twice is two servers: told apart by a #n suffix
const trees = process.argv.slice(2).map((t, i, all) => (all.indexOf(t) === i ? resolve(t) : `${resolve(t)}#${i}`));
if (trees.length === 0) throw new Error('usage: node --import tsx test/bench/ab-server.ts <treeA> <treeB> …');
const dirOf = (tree: string): string => tree.replace(/#\d+$/, '');
const keyList = (process.env.KEYS ?? 'v7').split(',') as KeyFormat[];
if (keyList.some((k) => k !== 'v4' && k !== 'v7')) throw new Error('KEYS: v4 or v7');
const keysOf = (tree: string | null): KeyFormat => (tree === null ? keyList[0]! : keyList[Math.min(trees.indexOf(tree), keyList.length - 1)]!);
const rounds = Number(process.env.R ?? 3);
const durationS = Number(process.env.D ?? 5);
const warmupS = Number(process.env.W ?? 1);
const seed = Number(process.env.SEED ?? 20_000);
const endpoints = (process.env.E ?? 'checkout').split(',') as Endpoint[];

interface Fig { rps: number; p50: number; p99: number; cpu: number; bad: number }

async function runOne(endpoint: Endpoint, tree: string | null, seededBefore: Seeded | undefined): Promise<{ f: Fig; seeded?: Seeded }> {
  const child = tree === null
    ? await spawnServer('bare', 0)
    : await spawnServer('app', endpoint === 'checkout' ? 0 : seed, { RK_BENCH_SERVER: `${dirOf(tree)}/src/server/index.ts` });
  try {
    const seeded = child.seeded ?? seededBefore;
    const { spec } = await makeSpec(endpoint, seeded ?? fakeSeed(), keysOf(tree));
    if (warmupS > 0) await cannon(child.port, spec, warmupS);
    const c0 = await cpuOf(child);
    const r = await cannon(child.port, spec, durationS);
    const c1 = await cpuOf(child);
    return { f: { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, cpu: (c1 - c0) / Math.max(1, r.requests.total), bad: r.non2xx + r.errors + r.timeouts }, ...(child.seeded && { seeded: child.seeded }) };
  } finally {
    await stopServer(child);
  }
}

// Interleaved (I=1): all servers up at once, loaded in turn in short slices (S seconds each, the order rotated),
// CPU and requests summed per server over the slices; on a box whose load swings within seconds, every
// tree then sees the same load. R rounds of D seconds per server, fresh processes each round.
async function interleaved(endpoint: Endpoint): Promise<void> {
  const sliceS = Number(process.env.S ?? 0.5);
  const kinds: (string | null)[] = [null, ...trees];
  const cpus = new Map<string | null, number[]>(kinds.map((k) => [k, []]));
  const rpss = new Map<string | null, number[]>(kinds.map((k) => [k, []]));
  const paired = new Map<string, number[]>(trees.slice(1).map((t) => [t, []]));
  // per slice: CPU per request over the first tree's in the same slice
  const slicePairs = new Map<string, number[]>(trees.slice(1).map((t) => [t, []]));
  for (let r = 0; r < rounds; r++) {
    const children = new Map<string | null, Awaited<ReturnType<typeof spawnServer>>>();
    try {
      for (const k of kinds) {
        children.set(k, k === null ? await spawnServer('bare', 0) : await spawnServer('app', endpoint === 'checkout' ? 0 : seed, { RK_BENCH_SERVER: `${dirOf(k)}/src/server/index.ts` }));
      }
      const seeded = [...children.values()].find((c) => c.seeded)?.seeded;
      const specs = new Map<string | null, Awaited<ReturnType<typeof makeSpec>>['spec']>();
      for (const k of kinds) specs.set(k, (await makeSpec(endpoint, children.get(k)!.seeded ?? seeded ?? fakeSeed(), keysOf(k))).spec);
      for (const k of kinds) if (warmupS > 0) await cannon(children.get(k)!.port, specs.get(k)!, warmupS);
      const cpu = new Map<string | null, number>(kinds.map((k) => [k, 0]));
      const reqs = new Map<string | null, number>(kinds.map((k) => [k, 0]));
      const slices = Math.max(1, Math.round(durationS / sliceS));
      const slice = new Map<string | null, number>();
      for (let i = 0; i < slices; i++) {
        const order = kinds.map((_, j) => kinds[(j + i) % kinds.length]!);
        for (const k of order) {
          const child = children.get(k)!;
          const c0 = await cpuOf(child);
          const res = await cannon(child.port, specs.get(k)!, sliceS);
          const c1 = await cpuOf(child);
          cpu.set(k, cpu.get(k)! + c1 - c0);
          reqs.set(k, reqs.get(k)! + res.requests.total);
          slice.set(k, (c1 - c0) / Math.max(1, res.requests.total));
        }
        for (const t of trees.slice(1)) slicePairs.get(t)!.push(slice.get(t)! / slice.get(trees[0]!)!);
      }
      const line: string[] = [];
      for (const k of kinds) {
        const perReq = cpu.get(k)! / Math.max(1, reqs.get(k)!);
        cpus.get(k)!.push(perReq);
        rpss.get(k)!.push(reqs.get(k)! / (slices * sliceS));
        line.push(`${k ?? 'bare'} ${perReq.toFixed(0)} µs`);
      }
      for (const t of trees.slice(1)) paired.get(t)!.push(cpus.get(t)!.at(-1)! / cpus.get(trees[0]!)!.at(-1)!);
      console.log(`${endpoint} interleaved round ${r + 1}: ${line.join(', ')}`);
    } finally {
      for (const c of children.values()) await stopServer(c);
    }
  }
  console.log(`--- ${endpoint}, interleaved, ${rounds} rounds of ${durationS} s per server in ${sliceS} s slices`);
  for (const k of kinds) {
    const cs = cpus.get(k)!;
    const p = k === null ? undefined : paired.get(k);
    console.log(`${endpoint} ${k ?? 'bare'}: CPU ${median(cs).toFixed(0)} µs/req (${cs.map((x) => x.toFixed(0)).join(' ')}), ${Math.round(median(rpss.get(k)!))} req/s (loaded in turn)` +
      `${k === null ? '' : `, ceiling/CPU ${(median(cpus.get(null)!) / median(cs)).toFixed(3)}×`}${p === undefined ? '' : `, CPU ${median(p).toFixed(3)}× the first tree's (rounds ${p.map((x) => x.toFixed(2)).join(' ')}; median of ${slicePairs.get(k!)!.length} slice pairs ${median(slicePairs.get(k!)!).toFixed(3)}×)`}`);
  }
}

for (const endpoint of endpoints) {
  if (process.env.I === '1') { await interleaved(endpoint); continue; }
  const kinds: (string | null)[] = [null, ...trees];
  const figs = new Map<string | null, Fig[]>(kinds.map((k) => [k, []]));
  const ratios = new Map<string, number[]>(trees.map((t) => [t, []]));
  // CPU per request against the first tree's in the same round: the pair sees the same load
  const cpuVsFirst = new Map<string, number[]>(trees.slice(1).map((t) => [t, []]));
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
    for (const t of trees.slice(1)) cpuVsFirst.get(t)!.push(round.get(t)!.cpu / round.get(trees[0]!)!.cpu);
  }
  const summary = (k: string | null): string => {
    const fs = figs.get(k)!;
    const m = (g: (f: Fig) => number): number => median(fs.map(g));
    const ratio = k === null ? '' : ` ratio ${median(ratios.get(k)!).toFixed(3)}× (${ratios.get(k)!.map((x) => x.toFixed(2)).join(' ')})`;
    const paired = k === null ? undefined : cpuVsFirst.get(k);
    const vsFirst = paired === undefined ? '' : `, CPU ${median(paired).toFixed(3)}× the first tree's (${paired.map((x) => x.toFixed(2)).join(' ')})`;
    return `${endpoint} ${k ?? 'bare'}: ${Math.round(m((f) => f.rps))} req/s${ratio}, p50 ${m((f) => f.p50)} p99 ${m((f) => f.p99)} ms, CPU ${m((f) => f.cpu).toFixed(0)} µs/req (${fs.map((f) => f.cpu.toFixed(0)).join(' ')})${vsFirst}`;
  };
  console.log(`--- ${endpoint}, ${rounds} rounds of ${durationS} s`);
  for (const k of kinds) console.log(summary(k));
}
