// A/B of element builds on the start page: `node --import tsx test/bench/ab.ts a.js b.js [c.js …]`
// (embeds built by `vite build --outDir …`). Each round loads the bare Lit button and every build, in a
// rotated order, each in a fresh browser context; prints per build the median of its per-round ratio to
// the bare button (the round's own baseline, so a shared machine's load swings cancel out), its longest
// task and when the backend amount shows; and the fastest run of each (the least disturbed by other
// processes: min build / min bare), and the renderer main thread's CPU time per page (load through amounts
// shown; CPU time, so the least sensitive to other processes). R=rounds (8), NS=element counts (1,100).
import { readFileSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { findChromium, CHROMIUM_ARGS } from '../support/chromium.js';
import { buildBaselines } from './bundles.js';
import { median } from './lib.js';
import { runOnce, startStub } from './start.js';

const builds = process.argv.slice(2);
if (builds.length === 0) throw new Error('usage: node --import tsx test/bench/ab.ts a.js b.js …');
const rounds = Number(process.env.R ?? 8);
const counts = (process.env.NS ?? '1,100').split(',').map(Number);
const executablePath = findChromium();
if (!executablePath) throw new Error('Chromium not found (set CHROME_PATH)');

const base = await buildBaselines();
const code = builds.map((b) => readFileSync(b, 'utf8'));
// the start page loads ours from /widget.js: it is swapped before each run
const files: Record<string, string> = { '/bare.js': base.bareElement, '/widget.js': code[0]! };
const stub = await startStub(files);
const browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
const kinds = [-1, ...builds.map((_, i) => i)]; // -1: the bare button
const run = (k: number, n: number) => {
  if (k >= 0) files['/widget.js'] = code[k]!;
  return runOnce(browser, stub, k < 0 ? 'bare' : 'ours', n, true);
};
try {
  for (const n of counts) {
    const ratios = builds.map((): number[] => []);
    const longest = builds.map((): number[] => []);
    const amounts = builds.map((): number[] => []);
    const times = builds.map((): number[] => []);
    const cpu = builds.map((): number[] => []);
    const bareCpu: number[] = [];
    const bare: number[] = [];
    const bareCpuOf = new Map<number, number>();
    for (const k of kinds) await run(k, n); // warm-up
    for (let r = 0; r < rounds; r++) {
      const all = new Map<number, number>();
      for (let i = 0; i < kinds.length; i++) {
        const k = kinds[(i + r) % kinds.length]!;
        const s = await run(k, n);
        all.set(k, s.allButtonsMs);
        if (k < 0) bareCpuOf.set(r, s.cpuMs!);
        if (k >= 0) {
          times[k]!.push(s.allButtonsMs);
          cpu[k]!.push(s.cpuMs!);
          longest[k]!.push(s.longestTaskMs);
          if (s.allAmountsMs !== null) amounts[k]!.push(s.allAmountsMs);
        }
      }
      bare.push(all.get(-1)!);
      bareCpu.push(bareCpuOf.get(r)!);
      builds.forEach((_, k) => ratios[k]!.push(all.get(k)! / all.get(-1)!));
    }
    console.log(`${n} element(s), ${rounds} rounds; bare Lit button: eval → all buttons ${median(bare).toFixed(1)} ms (fastest ${Math.min(...bare).toFixed(1)}); main-thread CPU per page ${median(bareCpu).toFixed(1)} ms`);
    builds.forEach((b, k) => console.log(`  ${b}: ${median(ratios[k]!).toFixed(2)}× bare (fastest runs: ${Math.min(...times[k]!).toFixed(1)} ms, ${(Math.min(...times[k]!) / Math.min(...bare)).toFixed(2)}×), longest task ${median(longest[k]!).toFixed(0)} ms (max ${Math.max(...longest[k]!).toFixed(0)}), amount shown ${amounts[k]!.length ? median(amounts[k]!).toFixed(0) : '–'} ms; main-thread CPU per page ${median(cpu[k]!).toFixed(1)} ms (${(median(cpu[k]!) / median(bareCpu)).toFixed(2)}× bare)`));
  }
} finally {
  await browser.close();
  stub.server.close();
}
