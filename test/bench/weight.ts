// 1. Weight: gzip -9 and brotli-11 bytes of the embed beside lit alone and a bare Lit button element,
// built the same way in the same run.
import { readFileSync } from 'node:fs';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';
import { buildBaselines, ensureEmbed } from './bundles.js';
import { ratio, type SectionResult } from './lib.js';

export const GOAL_GZIP_BYTES = 12 * 1024;

interface Sizes { raw: number; gzip: number; brotli: number }

export function sizes(code: string | Buffer): Sizes {
  const buf = typeof code === 'string' ? Buffer.from(code) : code;
  return {
    raw: buf.length,
    gzip: gzipSync(buf, { level: 9 }).length,
    brotli: brotliCompressSync(buf, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: buf.length } }).length,
  };
}

export async function weight(): Promise<SectionResult> {
  const base = await buildBaselines();
  const lit = sizes(base.litAlone);
  const bare = sizes(base.bareElement);
  const embedPath = ensureEmbed();
  const ours = embedPath ? sizes(readFileSync(embedPath)) : undefined;
  const s = 'weight';
  return {
    rows: [
      { section: s, metric: 'embed gzip -9', unit: 'B', value: ours?.gzip ?? null, baseline: lit.gzip, baselineLabel: '(lit)',
        ratio: ratio(ours?.gzip, lit.gzip), goal: `≤ ${GOAL_GZIP_BYTES} B`, pass: ours ? ours.gzip <= GOAL_GZIP_BYTES : null },
      { section: s, metric: 'embed brotli-11', unit: 'B', value: ours?.brotli ?? null, baseline: lit.brotli, baselineLabel: '(lit)',
        ratio: ratio(ours?.brotli, lit.brotli) },
      { section: s, metric: 'embed raw', unit: 'B', value: ours?.raw ?? null, baseline: lit.raw, baselineLabel: '(lit)', ratio: ratio(ours?.raw, lit.raw) },
      { section: s, metric: 'bare Lit button gzip -9', unit: 'B', value: bare.gzip, baseline: lit.gzip, baselineLabel: '(lit)', ratio: ratio(bare.gzip, lit.gzip) },
    ],
    raw: { embed: ours ?? null, litAlone: lit, bareElement: bare },
    ...(ours ? {} : { skipped: 'dist/robokassa-checkout.js not built (src/checkout missing or build failed)' }),
  };
}
