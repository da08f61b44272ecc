// The bundles the browser benchmarks load: our embed (dist/robokassa-checkout.js, rebuilt when missing
// or older than its sources) and the baselines, built the same way through Vite's JS API: lib mode,
// ES format, target es2022, fully minified, the compile hint on the first line (as vite.config.ts builds the embed).
import { build } from 'vite';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { log } from './lib.js';
import { COMPILE_HINT } from '../../vite.config.js';

export const root = fileURLToPath(new URL('../..', import.meta.url));
export const EMBED = join(root, 'dist', 'robokassa-checkout.js');
export const WIDGET_TAG = 'robokassa-checkout';
export const BARE_TAG = 'bare-checkout';

/** A bare Lit element with one button: the least any Lit checkout button can cost. */
const BARE_ELEMENT = `import { LitElement, html, css } from 'lit';
class BareCheckout extends LitElement {
  static properties = { amount: {}, currency: {} };
  static styles = css\`:host{display:inline-block}button{font:inherit;padding:.5em 1em}\`;
  constructor() { super(); this.amount = '1500.00'; this.currency = 'KZT'; }
  render() { return html\`<button type="button" part="button">Pay \${this.amount} \${this.currency}</button>\`; }
}
if (!customElements.get('${BARE_TAG}')) customElements.define('${BARE_TAG}', BareCheckout);
`;

/** lit alone: everything its main entry exports, kept alive. */
const LIT_ALONE = `export * from 'lit';\n`;

function newestMtime(dir: string): number {
  let newest = 0;
  if (!existsSync(dir)) return newest;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const st = statSync(p);
    newest = Math.max(newest, st.isDirectory() ? newestMtime(p) : st.mtimeMs);
  }
  return newest;
}

/** Builds dist/robokassa-checkout.js when it is missing or stale; returns its path or undefined. */
export function ensureEmbed(): string | undefined {
  // a candidate build to compare (e.g. an experiment outside the tree)
  if (process.env.RK_BENCH_EMBED) return existsSync(process.env.RK_BENCH_EMBED) ? process.env.RK_BENCH_EMBED : undefined;
  const src = Math.max(newestMtime(join(root, 'src', 'checkout')), newestMtime(join(root, 'src', 'protocol')));
  if (!existsSync(join(root, 'src', 'checkout', 'index.ts'))) return existsSync(EMBED) ? EMBED : undefined;
  if (!existsSync(EMBED) || statSync(EMBED).mtimeMs < src) {
    log('building dist/robokassa-checkout.js (vite build)…');
    // only the default mode: it is the one that writes the embed (npm run build also builds npm/node)
    const r = spawnSync('npx', ['vite', 'build'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
    if (r.status !== 0) {
      log(`vite build failed:\n${`${r.stdout}\n${r.stderr}`.trim().split('\n').slice(-12).join('\n')}`);
      return existsSync(EMBED) ? EMBED : undefined;
    }
  }
  return existsSync(EMBED) ? EMBED : undefined;
}

export interface Baselines { litAlone: string; bareElement: string }

let cached: Baselines | undefined;

/** Builds the baselines into a temp folder under dist/bench (so 'lit' resolves from the repo's node_modules). */
export async function buildBaselines(): Promise<Baselines> {
  if (cached) return cached;
  const base = join(root, 'dist', 'bench');
  mkdirSync(base, { recursive: true });
  const dir = mkdtempSync(join(base, 'tmp-'));
  const out: Record<string, string> = {};
  try {
    for (const [name, code] of [['lit-alone', LIT_ALONE], ['bare-element', BARE_ELEMENT]] as const) {
      const entry = join(dir, `${name}.js`);
      writeFileSync(entry, code);
      await build({
        configFile: false,
        logLevel: 'silent',
        root: dir,
        build: {
          target: 'es2022',
          outDir: join(dir, `out-${name}`),
          emptyOutDir: true,
          write: true,
          lib: { entry, formats: ['es'], fileName: () => `${name}.js` },
          rolldownOptions: { output: { minify: true } },
        },
      });
      out[name] = readFileSync(join(dir, `out-${name}`, `${name}.js`), 'utf8');
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  // built the same way as the embed, its compile hint included: the ratios weigh the element, not the hint
  cached = { litAlone: COMPILE_HINT + out['lit-alone']!, bareElement: COMPILE_HINT + out['bare-element']! };
  return cached;
}
