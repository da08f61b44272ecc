// 3. Click to payment page: from the buyer's click to the navigation of the payment window to the signed
// URL, against the real backend (createApp over a temp SQLite) — beside a hand-written baseline button
// doing the least possible (open the window in the click, one fetch, navigate). Also counts the requests
// between click and payment page (server side, so CORS preflights count too) and checks that the window
// is opened inside the click. Same-origin (page and backend on one origin) and cross-origin pages.
import { createServer, type IncomingMessage, type ServerResponse, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { getRequestListener } from '@hono/node-server';
import { chromium, type Browser, type Page } from 'playwright-core';
import { findChromium, CHROMIUM_ARGS } from '../support/chromium.js';
import { ensureEmbed, WIDGET_TAG } from './bundles.js';
import { createBackend, loadServer, SKU, type BenchBackend } from './backend.js';
import { alternate, log, median, ratio, type Row, type SectionResult } from './lib.js';

type Kind = 'bare' | 'ours';
const PAY_PATH = '/sandbox/Merchant/Index.aspx';

interface Hit { method: string; path: string; t: number }

/** Logs every request, so the ones between the click and the payment page can be counted. */
class Recorder {
  hits: Hit[] = [];
  mark(): number { return this.hits.length; }
  since(i: number): Hit[] { return this.hits.slice(i); }
}

const INSTRUMENT = `<script>
// window.event is undefined for events in shadow trees, so "inside the click" is the span between the
// click's capture listener on window and its bubble listener on window (the click is composed)
window.__log = []; window.__inClick = false;
addEventListener('click', () => { window.__inClick = true; window.__log.push({ k: 'click', t: performance.now() }); setTimeout(() => { window.__inClick = false; }); }, true);
addEventListener('click', () => { window.__inClick = false; window.__log.push({ k: 'click-end', t: performance.now() }); });
const __open = window.open;
window.open = function (...a) {
  window.__log.push({ k: 'open', t: performance.now(), inClick: window.__inClick });
  const w = __open.apply(this, a);
  window.__log.push({ k: 'opened', t: performance.now() });
  return w;
};
for (const m of ['json', 'text', 'arrayBuffer']) {
  const orig = Response.prototype[m];
  Response.prototype[m] = function (...a) { window.__log.push({ k: 'body', t: performance.now() }); return orig.apply(this, a); };
}
const __fetch = window.fetch;
window.fetch = function (...a) {
  const url = String(a[0] instanceof Request ? a[0].url : a[0]);
  window.__log.push({ k: 'fetch', t: performance.now(), url });
  return __fetch.apply(this, a).then((r) => { window.__log.push({ k: 'response', t: performance.now(), url, status: r.status }); return r; });
};
</script>`;

function pageHtml(kind: Kind, endpoint: string): string {
  if (kind === 'ours') {
    return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>click</title>${INSTRUMENT}
<script type="module" src="/widget.js"></script></head><body>
<${WIDGET_TAG} endpoint="${endpoint}" sku="${SKU}" lang="en" mode="popup"></${WIDGET_TAG}>
</body></html>`;
  }
  // the least a checkout button can do: window in the click (the same centred popup the element opens, so
  // the window's own cost is in both), one POST, navigate
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>click</title>${INSTRUMENT}</head><body>
<button id="pay" type="button">Pay 1 500 ₸</button>
<script type="module">
document.getElementById('pay').addEventListener('click', () => {
  const w = window.open('about:blank', 'robokassa-payment', 'popup,width=520,height=720,left=240,top=40');
  fetch(${JSON.stringify(`${endpoint}/checkout`)}, { method: 'POST', headers: { 'content-type': 'application/json', 'idempotency-key': crypto.randomUUID() },
    body: JSON.stringify({ items: [{ sku: ${JSON.stringify(SKU)}, quantity: 1 }] }) })
    .then((r) => r.json()).then((j) => { w.location.href = j.url; });
});
</script></body></html>`;
}

interface Sample { asyncIo: string; clickToNavMs: number; clickToOpenMs: number | null; openMs: number | null; clickToFetchMs: number | null; roundTripMs: number | null; clickHandlerMs: number | null; requests: number; preflights: number; backendRequests: string[]; openInClick: boolean; opensBeforeFetch: boolean;
  responseToNavMs: number | null }

async function listen(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<{ server: Server; origin: string }> {
  const server = createServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

async function runOnce(browser: Browser, rec: Recorder, pageOrigin: string, kind: Kind, endpoint: string): Promise<Sample> {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    await page.goto(`${pageOrigin}/page?kind=${kind}&endpoint=${encodeURIComponent(endpoint)}`);
    const button = kind === 'ours' ? page.locator(WIDGET_TAG).locator('button').first() : page.locator('#pay');
    await button.waitFor();
    if (kind === 'ours') await page.waitForLoadState('networkidle');
    const popupP = page.waitForEvent('popup', { timeout: 15000 });
    const from = rec.mark();
    await button.click();
    const popup: Page = await popupP;
    try {
      await popup.waitForURL((u) => u.pathname === PAY_PATH, { timeout: 15000, waitUntil: 'commit' });
    } catch (err) {
      const events = await page.evaluate(() => JSON.stringify((window as unknown as { __log: unknown }).__log)).catch(() => '?');
      throw new Error(`click ${kind}: the window never reached the payment page (at ${popup.url()}; page log ${events}; errors ${errors.join('; ')})`, { cause: err });
    }
    const navStart = await popup.evaluate(() => performance.timeOrigin);
    const { origin, events } = await page.evaluate(() => ({ origin: performance.timeOrigin,
      events: (window as unknown as { __log: { k: string; t: number; inClick?: boolean; url?: string }[] }).__log }));
    if (errors.length > 0) log(`click ${kind}: page errors: ${errors.join('; ')}`);
    const click = events.find((e) => e.k === 'click');
    const open = events.find((e) => e.k === 'open');
    const fetchIdx = events.findIndex((e) => e.k === 'fetch' && e.t >= (click?.t ?? 0));
    const openIdx = events.findIndex((e) => e.k === 'open');
    const lastResponse = [...events].reverse().find((e) => e.k === 'response');
    if (!click) throw new Error('click not seen');
    const hits = rec.since(from);
    const payIdx = hits.findIndex((h) => h.path === PAY_PATH);
    const between = payIdx >= 0 ? hits.slice(0, payIdx) : hits;
    const opened = events.find((e) => e.k === 'opened');
    const clickEnd = events.find((e) => e.k === 'click-end');
    const fetchEv = fetchIdx >= 0 ? events[fetchIdx]! : undefined;
    const resp = fetchEv ? events.find((e) => e.k === 'response' && e.url === fetchEv.url && e.t >= fetchEv.t) : undefined;
    // the awaited I/O between click and navigation: fetch() calls and response body reads
    const after = events.filter((e) => e.t >= click.t && e.t <= navStart - origin);
    const asyncIo = `fetch ×${after.filter((e) => e.k === 'fetch').length}, body read ×${after.filter((e) => e.k === 'body').length}`;
    return {
      asyncIo,
      clickToNavMs: navStart - (origin + click.t),
      clickToOpenMs: open ? open.t - click.t : null,
      openMs: open && opened ? opened.t - open.t : null,
      clickToFetchMs: fetchEv ? fetchEv.t - click.t : null,
      roundTripMs: fetchEv && resp ? resp.t - fetchEv.t : null,
      clickHandlerMs: clickEnd ? clickEnd.t - click.t : null,
      requests: between.length,
      preflights: between.filter((h) => h.method === 'OPTIONS').length,
      backendRequests: between.map((h) => `${h.method} ${h.path}`),
      openInClick: open?.inClick ?? false,
      opensBeforeFetch: openIdx >= 0 && (fetchIdx < 0 || openIdx < fetchIdx),
      responseToNavMs: lastResponse ? navStart - (origin + lastResponse.t) : null,
    };
  } finally {
    await context.close();
  }
}

export interface ClickOptions { rounds: number }

export async function click(opts: ClickOptions): Promise<SectionResult> {
  const executablePath = findChromium();
  if (!executablePath) return { rows: [], skipped: 'Chromium not found (set CHROME_PATH)' };
  const server = await loadServer();
  if (!server) return { rows: [], skipped: 'src/server not there yet' };
  const embed = ensureEmbed();
  const widget = embed ? readFileSync(embed, 'utf8') : undefined;
  const rec = new Recorder();
  let backend: BenchBackend | undefined;
  let appListener: ((req: IncomingMessage, res: ServerResponse) => void) | undefined;
  const pages = (res: ServerResponse, url: URL): boolean => {
    if (url.pathname === '/page') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      res.end(pageHtml(url.searchParams.get('kind') as Kind, url.searchParams.get('endpoint') ?? ''));
      return true;
    }
    if (url.pathname === '/widget.js' && widget) {
      res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' });
      res.end(widget);
      return true;
    }
    if (url.pathname === PAY_PATH) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end('<!doctype html><title>payment page</title><p>stand-in payment page</p>');
      return true;
    }
    return false;
  };
  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    const url = new URL(req.url ?? '/', 'http://x');
    rec.hits.push({ method: req.method ?? 'GET', path: url.pathname, t: performance.now() });
    if (pages(res, url)) return;
    if (url.pathname === '/favicon.ico') { res.writeHead(204).end(); return; }
    if (url.pathname.startsWith('/robokassa/') && appListener) { appListener(req, res); return; }
    res.writeHead(404).end();
  };
  const main = await listen(handler); // backend + same-origin page + payment page
  const other = await listen(handler); // a second origin for the cross-origin page
  backend = await createBackend(server, { paymentUrl: `${main.origin}${PAY_PATH}`, allowedOrigins: `${main.origin},${other.origin}` });
  appListener = getRequestListener(backend.app.fetch);
  const browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
  const rows: Row[] = [];
  const raw: Record<string, unknown> = {};
  try {
    const endpoint = `${main.origin}/robokassa`;
    for (const [where, pageOrigin] of [['same-origin', main.origin], ['cross-origin', other.origin]] as const) {
      const samples: Record<Kind, Sample[]> = { bare: [], ours: [] };
      const kinds: Kind[] = widget ? ['bare', 'ours'] : ['bare'];
      for (const k of kinds) await runOnce(browser, rec, pageOrigin, k, endpoint); // warm-up
      for (let i = 0; i < opts.rounds; i++) {
        for (const k of widget ? alternate<Kind>(i, 'bare', 'ours') : (['bare'] as Kind[])) samples[k].push(await runOnce(browser, rec, pageOrigin, k, endpoint));
      }
      raw[where] = samples;
      const med = (k: Kind, f: (s: Sample) => number | null): number | null => {
        const xs = samples[k].map(f).filter((x): x is number => x !== null);
        return xs.length ? median(xs) : null;
      };
      const ours = widget ? med('ours', (s) => s.clickToNavMs) : null;
      const bare = med('bare', (s) => s.clickToNavMs);
      const o = samples.ours[0];
      const b = samples.bare[0]!;
      rows.push({ section: 'click', metric: `click → payment page navigation, ${where}`, unit: 'ms', value: ours, baseline: bare, baselineLabel: '(bare button)', ratio: ratio(ours, bare) });
      rows.push({ section: 'click', metric: `requests between click and payment page, ${where}`, unit: '', value: o ? o.requests : null, baseline: b.requests, baselineLabel: '(bare button)',
        goal: where === 'same-origin' ? '1 round trip' : undefined, pass: o ? (where === 'same-origin' ? o.requests === 1 : null) : null,
        note: o ? `${o.backendRequests.join(', ')}${o.preflights ? `; ${o.preflights} CORS preflight` : ''}; awaited I/O: ${o.asyncIo}` : undefined });
      if (o) {
        const allSync = samples.ours.every((s) => s.openInClick && s.opensBeforeFetch);
        rows.push({ section: 'click', metric: `window opened inside the click, before the fetch, ${where}`, unit: '', value: samples.ours.filter((s) => s.openInClick && s.opensBeforeFetch).length,
          goal: `${samples.ours.length}/${samples.ours.length} runs`, pass: allSync, note: 'runs' });
        const r2n = med('ours', (s) => s.responseToNavMs);
        for (const [key, what] of [['clickToOpenMs', 'click → window.open'], ['openMs', 'window.open itself'], ['clickToFetchMs', 'click → fetch starts'],
          ['roundTripMs', 'fetch round trip'], ['clickHandlerMs', 'click dispatch (all listeners)']] as const) {
          const ov = med('ours', (x) => x[key]);
          const bv = med('bare', (x) => x[key]);
          rows.push({ section: 'click', metric: `${what}, ${where}`, unit: 'ms', value: ov, baseline: bv, baselineLabel: '(bare button)', ratio: ratio(ov, bv) });
        }
        rows.push({ section: 'click', metric: `last response → navigation, ${where}`, unit: 'ms', value: r2n, baseline: med('bare', (s) => s.responseToNavMs), baselineLabel: '(bare button)',
          note: 'work done after the round trip' });
      }
    }
  } finally {
    await browser.close();
    main.server.close();
    other.server.close();
    backend.close();
  }
  return { rows, raw, ...(widget ? {} : { skipped: 'element not built: baseline only' }) };
}
