// 5. Growth: checkout, status and result latency, and database bytes per payment, with 10 thousand,
// 100 thousand and 1 million payments in the store. The store is filled through its own SQLite file in
// one transaction (seedPayments); latency is measured in-process with app.request, in alternating
// batches across the sizes (medians of per-request times), so machine noise hits every size alike.
import { checkout, createBackend, databaseBytes, loadServer, resultSigner, seedPayments, type BenchBackend, type Seeded } from './backend.js';
import { log, median, quantile, ratio, uuidv7, type Row, type SectionResult } from './lib.js';

export const GOAL_GROWTH_RATIO = 1.5;

interface Store { size: number; backend: BenchBackend; seeded: Seeded; nextInv: number; nextStatus: number; bytes: number; seedMs: number;
  lat: { checkout: number[]; status: number[]; result: number[] } }

export interface GrowthOptions { sizes: number[]; rounds: number; batch: number }

export async function growth(opts: GrowthOptions): Promise<SectionResult> {
  const server = await loadServer();
  if (!server) return { rows: [], skipped: 'src/server not there yet' };
  const sign = await resultSigner();
  const stores: Store[] = [];
  const raw: Record<string, unknown> = { sizes: opts.sizes, rounds: opts.rounds, batch: opts.batch };
  try {
    for (const size of opts.sizes) {
      const backend = await createBackend(server);
      const first = await checkout(backend.app);
      if (first.status !== 201) throw new Error(`checkout answered ${first.status}: ${JSON.stringify(first.body)}`);
      const t0 = performance.now();
      let seeded!: Seeded;
      // the app's store is closed while the seeder has the file to itself, then reopened
      backend.reopen(() => { seeded = seedPayments(backend.dbPath, first.body, size - 1, { exclusive: true }); });
      const seedMs = performance.now() - t0;
      const bytes = databaseBytes(backend.dbPath);
      log(`growth: ${size} payments seeded in ${Math.round(seedMs)} ms, ${(bytes / 1e6).toFixed(1)} MB (${(bytes / size).toFixed(0)} B/payment)`);
      stores.push({ size, backend, seeded, nextInv: seeded.firstInvId, nextStatus: 0, bytes, seedMs, lat: { checkout: [], status: [], result: [] } });
    }
    const time = async (f: () => Response | Promise<Response>, expect: number): Promise<number> => {
      const t = performance.now();
      const res = await f();
      await res.arrayBuffer();
      const ms = performance.now() - t;
      if (res.status !== expect) throw new Error(`growth: expected ${expect}, got ${res.status}`);
      return ms;
    };
    // round 0 warms up every store (JIT, SQLite page cache) and is thrown away
    for (let round = 0; round <= opts.rounds; round++) {
      const order = round % 2 === 0 ? stores : [...stores].reverse();
      for (const s of order) {
        const app = s.backend.app;
        const c: number[] = [], st: number[] = [], r: number[] = [];
        for (let i = 0; i < opts.batch; i++) {
          c.push(await time(() => app.request('/robokassa/checkout', { method: 'POST', headers: { 'content-type': 'application/json', 'idempotency-key': uuidv7() },
            body: JSON.stringify({ items: [{ sku: 'course-basic', quantity: 1 }] }) }), 201));
          const id = s.seeded.sampleIds[s.nextStatus++ % s.seeded.sampleIds.length]!;
          st.push(await time(() => app.request(`/robokassa/payments/${id}`), 200));
          const inv = s.nextInv++;
          r.push(await time(() => app.request('/robokassa/result', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
            body: sign(s.seeded.amount, inv) }), 200));
        }
        if (round > 0) { s.lat.checkout.push(...c); s.lat.status.push(...st); s.lat.result.push(...r); }
      }
    }
    const rows: Row[] = [];
    const base = stores[0]!;
    for (const route of ['checkout', 'status', 'result'] as const) {
      const path = { checkout: 'POST /checkout', status: 'GET /payments/{id}', result: 'POST /result' }[route];
      for (const s of stores) {
        const p50 = median(s.lat[route]);
        const b50 = median(base.lat[route]);
        const r = ratio(p50, b50);
        const isBase = s === base;
        rows.push({ section: 'growth', metric: `${path} p50 @ ${label(s.size)}`, unit: 'ms', value: p50,
          ...(isBase ? {} : { baseline: b50, baselineLabel: `(@ ${label(base.size)})`, ratio: r, goal: `≤ ${GOAL_GROWTH_RATIO}×`, pass: r === null ? null : r <= GOAL_GROWTH_RATIO }),
          note: `p99 ${quantile(s.lat[route], 0.99).toFixed(2)} ms, in-process` });
      }
    }
    for (const s of stores) {
      rows.push({ section: 'growth', metric: `DB bytes per payment @ ${label(s.size)}`, unit: 'B', value: s.bytes / s.size,
        ...(s === base ? {} : { baseline: base.bytes / base.size, baselineLabel: `(@ ${label(base.size)})`, ratio: ratio(s.bytes / s.size, base.bytes / base.size) }),
        note: `${(s.bytes / 1e6).toFixed(1)} MB; seeded in ${(s.seedMs / 1000).toFixed(1)} s` });
    }
    raw.stores = stores.map((s) => ({ size: s.size, bytes: s.bytes, seedMs: Math.round(s.seedMs), tables: s.seeded.tables,
      p50: { checkout: median(s.lat.checkout), status: median(s.lat.status), result: median(s.lat.result) },
      p99: { checkout: quantile(s.lat.checkout, 0.99), status: quantile(s.lat.status, 0.99), result: quantile(s.lat.result, 0.99) } }));
    return { rows, raw };
  } finally {
    for (const s of stores) s.backend.close();
  }
}

function label(n: number): string {
  return n >= 1_000_000 ? `${n / 1_000_000}M` : n >= 1000 ? `${n / 1000}k` : String(n);
}
