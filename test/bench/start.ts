// 2. Start: in headless Chromium, from script evaluation to the first rendered button, for 1 and for 100
// elements on a page, and the longest task — beside a bare Lit button element bundled the same way.
// Runs alternate (bare, ours / ours, bare), each in a fresh browser context; we report medians.
// The backend is a stub (fixed JSON for /products) so only the element is measured.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { findChromium, CHROMIUM_ARGS } from '../support/chromium.js';
import { buildBaselines, ensureEmbed, WIDGET_TAG, BARE_TAG } from './bundles.js';
import { alternate, log, median, ratio, type Row, type SectionResult } from './lib.js';

export const GOAL_START_RATIO = 1.3;
export const LONG_TASK_MS = 50;

const PRODUCT = { sku: 'course-basic', name: 'Course', price: '1500.00', currency: 'KZT', test: true };

interface Sample {
  evalMs: number; // import() of the preloaded module: evaluation + define + synchronous upgrades
  firstButtonMs: number; // first element with a <button> in its shadow root
  allButtonsMs: number; // every element has its button
  allAmountsMs: number | null; // every element shows the backend's amount (ours only; needs the stub's answer)
  longestTaskMs: number; // longest PerformanceObserver 'longtask' entry (0: none reached 50 ms)
  longTasks: number;
  productRequests: number;
}

export type Kind = 'bare' | 'ours';

/** The page: preload the module, wait for load, then time import() → rendered buttons. */
export function page(kind: Kind, n: number, origin: string): string {
  const tag = kind === 'ours' ? WIDGET_TAG : BARE_TAG;
  const src = kind === 'ours' ? '/widget.js' : '/bare.js';
  const attrs = kind === 'ours' ? ` endpoint="${origin}/robokassa" sku="${PRODUCT.sku}" lang="ru"` : '';
  const els = Array.from({ length: n }, () => `<${tag}${attrs}></${tag}>`).join('\n');
  return `<!doctype html><html lang="ru"><head><meta charset="utf-8"><title>start</title>
<link rel="modulepreload" href="${src}">
<script>
window.__lt = [];
new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__lt.push(e.duration); }).observe({ type: 'longtask', buffered: true });
</script></head><body>
${els}
<script type="module">
await new Promise((r) => (document.readyState === 'complete' ? r() : addEventListener('load', r, { once: true })));
await new Promise((r) => setTimeout(r, 50)); // let the load task's tail settle
const tag = ${JSON.stringify(tag)};
const t0 = performance.now();
await import(${JSON.stringify(src)});
const tEval = performance.now();
const els = [...document.querySelectorAll(tag)];
const hasButton = (e) => !!(e.shadowRoot && e.shadowRoot.querySelector('button'));
const hasAmount = (e) => !!(e.shadowRoot && /1[\\s\\u00a0\\u202f,.]?500/.test(e.shadowRoot.textContent || ''));
let first = null, all = null, amounts = ${kind === 'ours' ? 'null' : 'undefined'};
const check = () => {
  const now = performance.now();
  if (first === null && els.some(hasButton)) first = now;
  if (all === null && els.every(hasButton)) all = now;
  if (amounts === null && els.every(hasAmount)) amounts = now;
  return all !== null && amounts !== null;
};
const ch = new MessageChannel();
await new Promise((resolve) => {
  const deadline = t0 + 10000;
  ch.port1.onmessage = () => { (check() || performance.now() > deadline) ? resolve() : ch.port2.postMessage(0); };
  check() ? resolve() : ch.port2.postMessage(0);
});
await new Promise((r) => setTimeout(r, 100)); // let late longtask entries arrive
window.__result = {
  evalMs: tEval - t0,
  firstButtonMs: first === null ? null : first - t0,
  allButtonsMs: all === null ? null : all - t0,
  allAmountsMs: amounts == null ? null : amounts - t0,
  longestTaskMs: Math.max(0, ...window.__lt),
  longTasks: window.__lt.length,
};
</script></body></html>`;
}

export interface Stub { server: Server; origin: string; productRequests: () => number; other: string[] }

export async function startStub(files: Record<string, string>): Promise<Stub> {
  let products = 0;
  const other: string[] = [];
  const body = JSON.stringify(PRODUCT);
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const origin = `http://${req.headers.host}`;
    if (url.pathname === '/page') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      res.end(page(url.searchParams.get('kind') as Kind, Number(url.searchParams.get('n')), origin));
    } else if (files[url.pathname] !== undefined) {
      res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' });
      res.end(files[url.pathname]);
    } else if (url.pathname.startsWith('/robokassa/products/')) {
      products++;
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(body);
    } else if (url.pathname === '/favicon.ico') {
      res.writeHead(204).end();
    } else {
      other.push(`${req.method} ${url.pathname}`);
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end('{"error":{"code":"not_found","message":"not stubbed"}}');
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return { server, origin: `http://127.0.0.1:${port}`, productRequests: () => products, other };
}

/** `cpu`: also read the renderer main thread's CPU time over the page (CDP Performance ThreadTime). */
export async function runOnce(browser: Browser, stub: Stub, kind: Kind, n: number, cpu = false): Promise<Sample & { cpuMs?: number }> {
  const context = await browser.newContext({ viewport: { width: 1000, height: 800 } });
  try {
    const p = await context.newPage();
    const errors: string[] = [];
    p.on('pageerror', (e) => errors.push(String(e)));
    const cdp = cpu ? await context.newCDPSession(p) : undefined;
    const threadTime = async (): Promise<number> => {
      const { metrics } = await cdp!.send('Performance.getMetrics');
      return (metrics.find((m) => m.name === 'ThreadTime')?.value ?? NaN) * 1000;
    };
    if (cdp) await cdp.send('Performance.enable', { timeDomain: 'threadTicks' });
    const cpu0 = cdp ? await threadTime() : 0;
    const before = stub.productRequests();
    await p.goto(`${stub.origin}/page?kind=${kind}&n=${n}`);
    await p.waitForFunction(() => (window as unknown as { __result?: unknown }).__result !== undefined, undefined, { timeout: 20000 });
    const r = await p.evaluate(() => (window as unknown as { __result: Sample }).__result);
    const cpuMs = cdp ? (await threadTime()) - cpu0 : undefined;
    if (errors.length > 0) log(`start ${kind} n=${n}: page errors: ${errors.join('; ')}`);
    return { ...r, productRequests: stub.productRequests() - before, ...(cpuMs === undefined ? {} : { cpuMs }) };
  } finally {
    await context.close();
  }
}

export interface StartOptions { rounds: number }

export async function start(opts: StartOptions): Promise<SectionResult> {
  const executablePath = findChromium();
  if (!executablePath) return { rows: [], skipped: 'Chromium not found (set CHROME_PATH)' };
  const embed = ensureEmbed();
  const base = await buildBaselines();
  const files: Record<string, string> = { '/bare.js': base.bareElement };
  if (embed) files['/widget.js'] = readFileSync(embed, 'utf8');
  const stub = await startStub(files);
  const browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
  const version = browser.version();
  const rows: Row[] = [];
  const raw: Record<string, unknown> = { chromium: version };
  try {
    for (const n of [1, 100]) {
      const samples: Record<Kind, Sample[]> = { bare: [], ours: [] };
      const kinds: Kind[] = embed ? ['bare', 'ours'] : ['bare'];
      // one unmeasured warm-up pair (first page of a browser pays process start-up)
      for (const k of kinds) await runOnce(browser, stub, k, n);
      for (let i = 0; i < opts.rounds; i++) {
        const order = embed ? alternate<Kind>(i, 'bare', 'ours') : (['bare'] as Kind[]);
        for (const k of order) samples[k].push(await runOnce(browser, stub, k, n));
      }
      raw[`n${n}`] = samples;
      const med = (k: Kind, f: (s: Sample) => number | null): number | null => {
        const xs = samples[k].map(f).filter((x): x is number => x !== null && Number.isFinite(x));
        return xs.length === samples[k].length && xs.length > 0 ? median(xs) : null;
      };
      const s = 'start';
      const label = `${n} element${n === 1 ? '' : 's'}`;
      const oursAll = embed ? med('ours', (x) => x.allButtonsMs) : null;
      const bareAll = med('bare', (x) => x.allButtonsMs);
      const r = ratio(oursAll, bareAll);
      rows.push({ section: s, metric: `eval → all buttons, ${label}`, unit: 'ms', value: oursAll, baseline: bareAll, baselineLabel: '(bare Lit)',
        ratio: r, goal: `≤ ${GOAL_START_RATIO}×`, pass: r === null ? null : r <= GOAL_START_RATIO });
      if (n > 1) {
        const oursFirst = embed ? med('ours', (x) => x.firstButtonMs) : null;
        const bareFirst = med('bare', (x) => x.firstButtonMs);
        rows.push({ section: s, metric: `eval → first button, ${label}`, unit: 'ms', value: oursFirst, baseline: bareFirst, baselineLabel: '(bare Lit)', ratio: ratio(oursFirst, bareFirst) });
      }
      const oursEval = embed ? med('ours', (x) => x.evalMs) : null;
      const bareEval = med('bare', (x) => x.evalMs);
      rows.push({ section: s, metric: `module evaluation, ${label}`, unit: 'ms', value: oursEval, baseline: bareEval, baselineLabel: '(bare Lit)', ratio: ratio(oursEval, bareEval) });
      if (embed) {
        const amounts = med('ours', (x) => x.allAmountsMs);
        rows.push({ section: s, metric: `eval → backend amount shown, ${label}`, unit: 'ms', value: amounts,
          note: `stub /products; ${median(samples.ours.map((x) => x.productRequests))} request(s) per page` });
      }
      // per-run longest task; the median tells the typical page, the max shows the noisy outliers
      const longest = (k: Kind): number[] => samples[k].map((x) => x.longestTaskMs);
      const oursLong = embed ? median(longest('ours')) : null;
      const maxOf = (xs: number[]): string => (xs.length ? String(Math.round(Math.max(...xs))) : '–');
      rows.push({ section: s, metric: `longest task, ${label}`, unit: 'ms', value: oursLong, baseline: median(longest('bare')), baselineLabel: '(bare Lit)',
        goal: `≤ ${LONG_TASK_MS} ms`, pass: oursLong === null ? null : oursLong <= LONG_TASK_MS,
        note: `median of runs; max ${embed ? maxOf(longest('ours')) : '–'} vs ${maxOf(longest('bare'))} bare; 0 = no task reached 50 ms` });
    }
    if (stub.other.length > 0) raw.unstubbedRequests = [...new Set(stub.other)];
  } finally {
    await browser.close();
    stub.server.close();
  }
  return { rows, raw, ...(embed ? {} : { skipped: 'element not built: baseline only' }) };
}
