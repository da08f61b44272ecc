// Shared pieces of the benchmark suite: statistics, the result table, timing helpers.
// Figures are medians of repeated, alternating runs and ratios to a baseline measured in the same run,
// because this 2-core machine swings ±25 % between runs (TOOLCHAIN.md §5).
import { randomFillSync } from 'node:crypto';

export interface Row {
  section: string;
  metric: string;
  unit: string;
  value: number | null;
  baseline?: number | null;
  baselineLabel?: string;
  /** value / baseline, or baseline-relative figure the goal speaks about */
  ratio?: number | null;
  goal?: string;
  pass?: boolean | null;
  note?: string;
}

export interface SectionResult {
  rows: Row[];
  /** raw samples and details, written to the JSON only */
  raw?: Record<string, unknown>;
  skipped?: string;
}

export function median(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Nearest-rank quantile, q in [0, 1]. */
export function quantile(xs: readonly number[], q: number): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const i = Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1));
  return s[i]!;
}

export function ratio(value: number | null | undefined, baseline: number | null | undefined): number | null {
  if (value == null || baseline == null || !Number.isFinite(value) || !Number.isFinite(baseline) || baseline === 0) return null;
  return value / baseline;
}

export function round(x: number | null | undefined, digits = 2): number | null {
  if (x == null || !Number.isFinite(x)) return null;
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

function fmt(x: number | null | undefined, unit = ''): string {
  if (x == null || !Number.isFinite(x)) return '–';
  const abs = Math.abs(x);
  const digits = abs >= 1000 ? 0 : abs >= 100 ? 1 : abs >= 10 ? 2 : abs >= 1 ? 2 : 3;
  const s = x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: 0 });
  return unit ? `${s} ${unit}` : s;
}

export function formatRatio(r: number | null | undefined): string {
  return r == null || !Number.isFinite(r) ? '–' : `${r.toFixed(2)}×`;
}

/** One Markdown table (also readable in a terminal). */
export function renderTable(rows: readonly Row[]): string {
  const head = ['section', 'metric', 'ours', 'baseline', 'ratio', 'goal', 'ok'];
  const body = rows.map((r) => [
    r.section,
    r.metric + (r.note ? ` (${r.note})` : ''),
    fmt(r.value, r.unit),
    r.baseline === undefined ? '' : `${fmt(r.baseline, r.unit)}${r.baselineLabel ? ` ${r.baselineLabel}` : ''}`,
    r.ratio === undefined ? '' : formatRatio(r.ratio),
    r.goal ?? '',
    r.pass == null ? '' : r.pass ? 'yes' : 'NO',
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: readonly string[]): string =>
    `| ${cells.map((c, i) => (i >= 2 && i <= 4 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join(' | ')} |`;
  const sep = `| ${widths.map((w, i) => (i >= 2 && i <= 4 ? `${'-'.repeat(w - 1)}:` : '-'.repeat(w))).join(' | ')} |`;
  return [line(head), sep, ...body.map(line)].join('\n');
}

export function log(line: string): void {
  process.stderr.write(`bench: ${line}\n`);
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Alternation order for round i: baseline first on even rounds, ours first on odd ones. */
export function alternate<T>(i: number, baseline: T, ours: T): [T, T] {
  return i % 2 === 0 ? [baseline, ours] : [ours, baseline];
}

// Idempotency-Keys as the element is to send them: UUIDv7 (RFC 9562 §5.7), a 48-bit Unix millisecond
// timestamp first, then version 7, 12 random bits, the variant and 62 random bits. Keys made close in
// time sort close together, so the server's key index takes them on its right-most leaf. Random bytes
// come from a pooled block (the load generator's own CPU competes with the server's on this box).
const v7Pool = Buffer.alloc(4096);
let v7Used = v7Pool.length;
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

export function uuidv7(now: number = Date.now()): string {
  if (v7Used + 10 > v7Pool.length) { randomFillSync(v7Pool); v7Used = 0; }
  const r = v7Pool;
  const o = v7Used;
  v7Used += 10;
  const ms = now.toString(16).padStart(12, '0').slice(-12);
  const h = (i: number): string => HEX[r[o + i]!]!;
  return `${ms.slice(0, 8)}-${ms.slice(8)}-${HEX[0x70 | (r[o]! & 0x0f)]}${h(1)}-${HEX[0x80 | (r[o + 2]! & 0x3f)]}${h(3)}-${h(4)}${h(5)}${h(6)}${h(7)}${h(8)}${h(9)}`;
}
