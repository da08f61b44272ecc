// npm run bench [-- --quick] [-- --only=weight,start,click,throughput,growth]
// Measures what buyers and shops feel, each figure beside a baseline measured in the same run on this
// machine; prints one table and writes dist/bench/results.json. Benchmarks, not tests: it never fails on
// a missed goal (only the size budget in vite.config.ts fails CI).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cpus, totalmem, platform, release } from 'node:os';
import { spawnSync } from 'node:child_process';
import { findChromium } from '../support/chromium.js';
import { root } from './bundles.js';
import { log, renderTable, type Row, type SectionResult } from './lib.js';
import { weight } from './weight.js';
import { start } from './start.js';
import { click } from './click.js';
import { throughput } from './throughput.js';
import { growth } from './growth.js';
import { load } from './load.js';

const SECTIONS = ['weight', 'start', 'click', 'throughput', 'growth', 'load'] as const;
type Section = (typeof SECTIONS)[number];

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const onlyArg = args.find((a) => a.startsWith('--only='));
const only = onlyArg ? onlyArg.slice('--only='.length).split(',').filter((s): s is Section => (SECTIONS as readonly string[]).includes(s)) : [...SECTIONS];

// full: ≈ 8–10 min on 2 cores (1M-payment seeding alone 35–95 s); quick: ≈ 1.5 min, for iteration (figures noisier)
const plan = quick
  ? { start: { rounds: 4 }, click: { rounds: 3 }, throughput: { durationS: 3, rounds: 1, warmupS: 1, resultSeed: 60_000, statusSeed: 5_000 },
      growth: { sizes: [10_000, 100_000], rounds: 3, batch: 100 }, load: { seconds: 20 } }
  : { start: { rounds: 10 }, click: { rounds: 7 }, throughput: { durationS: 10, rounds: 3, warmupS: 1, resultSeed: 160_000, statusSeed: 10_000 },
      growth: { sizes: [10_000, 100_000, 1_000_000], rounds: 6, batch: 150 }, load: { seconds: 120 } };

function chromiumVersion(): string | null {
  const exe = findChromium();
  if (!exe) return null;
  const r = spawnSync(exe, ['--version'], { encoding: 'utf8' });
  return r.stdout.trim() || null;
}

async function main(): Promise<void> {
  const t0 = Date.now();
  const machine = {
    cpus: cpus().length, cpu: cpus()[0]?.model ?? 'unknown', memGB: Math.round(totalmem() / 2 ** 30),
    os: `${platform()} ${release()}`, node: process.version, chromium: chromiumVersion(),
  };
  log(`${quick ? 'quick' : 'full'} run: ${only.join(', ')} on ${machine.cpus} × ${machine.cpu}, Node ${machine.node}, ${machine.chromium ?? 'no Chromium'}`);
  const results: Partial<Record<Section, SectionResult & { seconds: number }>> = {};
  for (const section of only) {
    const s0 = Date.now();
    log(`${section}…`);
    let r: SectionResult;
    try {
      r = section === 'weight' ? await weight()
        : section === 'start' ? await start(plan.start)
        : section === 'click' ? await click(plan.click)
        : section === 'throughput' ? await throughput(plan.throughput)
        : section === 'load' ? await load(plan.load)
        : await growth(plan.growth);
    } catch (err) {
      log(`${section} failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
      r = { rows: [], skipped: `failed: ${err instanceof Error ? err.message : String(err)}` };
    }
    results[section] = { ...r, seconds: Math.round((Date.now() - s0) / 1000) };
    log(`${section} done in ${Math.round((Date.now() - s0) / 1000)} s${r.skipped ? ` (${r.skipped})` : ''}`);
  }
  const rows: Row[] = only.flatMap((s) => results[s]?.rows ?? []);
  const date = new Date().toISOString();
  const header = `robokassa-checkout benchmarks, ${date.slice(0, 16).replace('T', ' ')} UTC, ${quick ? 'quick' : 'full'} run — ` +
    `${machine.cpus} × ${machine.cpu}, ${machine.memGB} GB, Node ${machine.node}, ${machine.chromium ?? 'no Chromium'}`;
  const notes = only.filter((s) => results[s]?.skipped).map((s) => `- ${s}: ${results[s]!.skipped}`);
  process.stdout.write(`\n${header}\n\n${renderTable(rows)}\n${notes.length ? `\n${notes.join('\n')}\n` : ''}`);
  const out = join(root, 'dist', 'bench');
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'results.json'), `${JSON.stringify({ date, quick, machine, plan, seconds: Math.round((Date.now() - t0) / 1000), rows, sections: results }, bigintSafe, 2)}\n`);
  // the same table as Markdown, for the README's Performance section
  writeFileSync(join(out, 'results.md'), `${header}\n\n${renderTable(rows)}\n${notes.length ? `\n${notes.join('\n')}\n` : ''}`);
  process.stdout.write(`\nbench: ${rows.length} figures in ${Math.round((Date.now() - t0) / 1000)} s, written to dist/bench/results.json (and results.md)\n`);
}

function bigintSafe(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? Number(value) : value;
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
