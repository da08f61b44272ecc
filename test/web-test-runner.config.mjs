// Browser tests: real Chromium (Debian's), sources compiled by esbuild with our tsconfig so the
// experimental decorators match what Vite ships.
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { chromeLauncher } from '@web/test-runner-chrome';
import { defaultReporter } from '@web/test-runner';
import { fileURLToPath } from 'node:url';
import { snippetsPlugin } from './frameworks/snippets-plugin.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));

// wtr's own closing line is decorated; this prints one plain "wtr: N passed, N failed, N skipped".
// A test file that fails to load (session error, no results) counts as one failure.
function summaryReporter() {
  const count = (suite, acc) => {
    if (!suite) return acc;
    for (const t of suite.tests) {
      if (t.skipped) acc.skipped++;
      else if (t.passed) acc.passed++;
      else acc.failed++;
    }
    for (const s of suite.suites) count(s, acc);
    return acc;
  };
  return {
    stop({ sessions }) {
      const acc = { passed: 0, failed: 0, skipped: 0 };
      for (const s of sessions) {
        const before = acc.failed;
        count(s.testResults, acc);
        if (!s.passed && acc.failed === before) acc.failed++;
      }
      const line = `wtr: ${acc.passed} passed, ${acc.failed} failed, ${acc.skipped} skipped\n`;
      // the default reporter still flushes after stop(); printing on exit keeps this line last
      process.once('exit', () => process.stdout.write(line));
    },
  };
}

export const chromiumArgs = ['--no-sandbox', '--headless=new', '--disable-gpu', '--disable-dev-shm-usage',
  '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

export default {
  rootDir: root,
  files: ['test/checkout/**/*.test.ts', 'test/react/**/*.test.ts', 'test/frameworks/**/*.test.ts'],
  nodeResolve: true,
  // one page at a time: a background page gets no animation frames (fixture() waits for one) and no focus
  concurrency: 1,
  // snippetsPlugin: README snippets as modules, React as ES modules (test/frameworks, test/react)
  plugins: [snippetsPlugin(), esbuildPlugin({ ts: true, target: 'es2022', tsconfig: `${root}tsconfig.json` })],
  browsers: [
    chromeLauncher({
      launchOptions: {
        executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium',
        headless: true,
        args: chromiumArgs,
      },
    }),
  ],
  reporters: [defaultReporter(), summaryReporter()],
  testFramework: { config: { timeout: 5000 } },
};
