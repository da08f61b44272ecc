// Finds Debian's Chromium for the browser and end-to-end tests; installs it when we may (root on
// Debian), otherwise stops with the one command that installs it. CHROME_PATH overrides the search.
import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

const CANDIDATES = ['/usr/lib/chromium/chromium', '/usr/bin/chromium', '/usr/bin/chromium-browser'];
export const INSTALL_COMMAND = 'apt-get update && apt-get install -y --no-install-recommends chromium';

export const CHROMIUM_ARGS = ['--no-sandbox', '--headless=new', '--disable-gpu', '--disable-dev-shm-usage',
  '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

export function findChromium(): string | undefined {
  const fromEnv = process.env.CHROME_PATH;
  if (fromEnv) return existsSync(fromEnv) ? fromEnv : undefined;
  return CANDIDATES.find((p) => existsSync(p));
}

/** Returns the path of a usable Chromium, installing it with apt-get when running as root on Debian. */
export function ensureChromium(log: (line: string) => void = console.log): string {
  const found = findChromium();
  if (found) return found;
  if (process.env.CHROME_PATH) {
    throw new Error(`CHROME_PATH points at ${process.env.CHROME_PATH}, which does not exist`);
  }
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (isRoot && existsSync('/usr/bin/apt-get')) {
    log('Chromium not found: installing Debian\'s chromium (no recommends)…');
    execFileSync('bash', ['-c', INSTALL_COMMAND], {
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
    const installed = findChromium();
    if (installed) return installed;
  }
  throw new Error(`Chromium is needed for the browser tests. Install it with:\n  sudo ${INSTALL_COMMAND}\nor set CHROME_PATH.`);
}
