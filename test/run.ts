// The test command: type check, build, Node tests, browser tests, end-to-end tests — in that order,
// each stage counted, ending with one plain line "test: N passed, N failed".
// `npm test -- node browser` runs only the named stages (types, build, node, browser, e2e).
import { spawn } from 'node:child_process';
import { readdirSync, statSync, mkdtempSync, readFileSync, existsSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { ensureChromium } from './support/chromium.js';
import { ensurePostgres } from './support/postgres.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const STAGES = ['types', 'build', 'node', 'browser', 'e2e'] as const;
type Stage = (typeof STAGES)[number];

const wanted = process.argv.slice(2).filter((a): a is Stage => (STAGES as readonly string[]).includes(a));
const selected: readonly Stage[] = wanted.length > 0 ? wanted : STAGES;

interface Tally { passed: number; failed: number; skipped: number }
const total: Tally = { passed: 0, failed: 0, skipped: 0 };
const lines: string[] = [];

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => { out += d; process.stdout.write(d); });
    child.stderr.on('data', (d: Buffer) => { process.stderr.write(d); });
    child.on('close', (code) => resolve({ code: code ?? 1, out }));
    child.on('error', (err) => { process.stderr.write(`${String(err)}\n`); resolve({ code: 1, out }); });
  });
}

function testFiles(...dirs: string[]): string[] {
  const found: string[] = [];
  const walk = (dir: string): void => {
    if (!existsSync(dir)) return;
    for (const name of readdirSync(dir).sort()) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name.endsWith('.test.ts')) found.push(relative(root, p));
    }
  };
  for (const d of dirs) walk(join(root, d));
  return found;
}

function record(stage: string, t: Tally): void {
  total.passed += t.passed; total.failed += t.failed; total.skipped += t.skipped;
  lines.push(`${stage}: ${t.passed} passed, ${t.failed} failed, ${t.skipped} skipped`);
}

async function check(stage: string, cmd: string, args: string[]): Promise<void> {
  const { code } = await run(cmd, args);
  record(stage, code === 0 ? { passed: 1, failed: 0, skipped: 0 } : { passed: 0, failed: 1, skipped: 0 });
}

async function nodeTests(stage: string, files: string[], extra: string[] = []): Promise<void> {
  if (files.length === 0) return;
  const tapDir = mkdtempSync(join(tmpdir(), 'rk-tap-'));
  const tap = join(tapDir, 'tap.txt');
  const { code } = await run(process.execPath, [
    '--import', 'tsx', '--test', ...extra,
    '--test-reporter=spec', '--test-reporter-destination=stdout',
    '--test-reporter=tap', `--test-reporter-destination=${tap}`,
    ...files,
  ]);
  const text = existsSync(tap) ? readFileSync(tap, 'utf8') : '';
  rmSync(tapDir, { recursive: true, force: true });
  const num = (key: string): number | undefined => {
    const m = [...text.matchAll(new RegExp(`^# ${key} (\\d+)$`, 'gm'))].pop();
    return m ? Number(m[1]) : undefined;
  };
  const passed = num('pass');
  const failed = num('fail');
  const skipped = (num('skipped') ?? 0) + (num('todo') ?? 0);
  // a runner that died before its summary cannot count as green
  if (passed === undefined || failed === undefined) record(stage, { passed: passed ?? 0, failed: 1, skipped });
  else record(stage, { passed, failed: failed + (code !== 0 && failed === 0 ? 1 : 0), skipped });
}

async function browserTests(): Promise<void> {
  const { code, out } = await run('npx', ['web-test-runner', '--config', 'test/web-test-runner.config.mjs']);
  const m = [...out.matchAll(/^wtr: (\d+) passed, (\d+) failed, (\d+) skipped$/gm)].pop();
  if (!m) record('browser', { passed: 0, failed: 1, skipped: 0 });
  else record('browser', { passed: Number(m[1]), failed: Number(m[2]) + (code !== 0 && m[2] === '0' ? 1 : 0), skipped: Number(m[3]) });
}

async function main(): Promise<void> {
  if (selected.includes('browser') || selected.includes('e2e')) {
    try {
      process.env.CHROME_PATH = ensureChromium();
    } catch (err) {
      console.error(String(err instanceof Error ? err.message : err));
      record('chromium', { passed: 0, failed: 1, skipped: 0 });
    }
  }
  if (selected.includes('node')) {
    // the PostgreSQL store tests start a server from Debian's binaries: installed here when missing (root)
    try {
      ensurePostgres();
    } catch (err) {
      console.error(String(err instanceof Error ? err.message : err));
      record('postgresql', { passed: 0, failed: 1, skipped: 0 });
    }
  }
  if (selected.includes('types')) await check('types', 'npx', ['tsc', '-p', '.']).then(() => check('types-node', 'npx', ['tsc', '-p', 'src/tsconfig.node.json']));
  if (selected.includes('build')) await check('build', 'npm', ['run', '-s', 'build']);
  if (selected.includes('node')) await nodeTests('node', testFiles('test/protocol', 'test/server', 'test/sandbox', 'test/build', 'test/cli', 'test/docs'));
  if (selected.includes('browser') && process.env.CHROME_PATH) await browserTests();
  if (selected.includes('e2e') && process.env.CHROME_PATH) await nodeTests('e2e', testFiles('test/e2e'), ['--test-concurrency=1']);

  console.log('\n' + lines.join('\n'));
  console.log(`test: ${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
  process.exitCode = total.failed === 0 && total.passed > 0 ? 0 : 1;
}

void main();
