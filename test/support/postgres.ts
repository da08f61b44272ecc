// A real PostgreSQL server for the tests: Debian's binaries (installed with apt-get when missing and we
// are root), a fresh data directory in /tmp, a unix socket directory of its own and a free 127.0.0.1
// port, fsync off. PostgreSQL refuses to run as root, so as root the server runs as the `postgres`
// user. Connections over TCP need a password (scram), so the password-hiding paths are real too.
// One server per test file (start-up takes seconds); each test asks for a fresh database.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';

export const INSTALL_COMMAND = 'apt-get update && apt-get install -y --no-install-recommends postgresql';
const USER = 'rk_test';

export interface PostgresServer {
  /** postgres://rk_test:PASSWORD@127.0.0.1:PORT/postgres */
  url: string;
  password: string;
  port: number;
  /** the server's unix socket directory (local connections need no password) */
  socketDir: string;
  /** milliseconds from spawning initdb to the first accepted connection */
  startupMs: number;
  /** A new, empty database; its URL. */
  createDatabase(): Promise<string>;
  /** Fast shutdown, then the data directory is removed. */
  stop(): Promise<void>;
}

function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

function binDir(): string | undefined {
  try {
    const dir = execFileSync('pg_config', ['--bindir'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    if (existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'postgres'))) return dir;
  } catch {
    // no pg_config (Debian's postgresql without libpq-dev): look where Debian puts the versions
  }
  const base = '/usr/lib/postgresql';
  if (!existsSync(base)) return undefined;
  const versions = readdirSync(base).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a));
  return versions.map((v) => join(base, v, 'bin')).find((d) => existsSync(join(d, 'initdb')) && existsSync(join(d, 'postgres')));
}

/** The directory holding initdb and postgres, installing Debian's postgresql when root on Debian. */
export function ensurePostgres(log: (line: string) => void = console.log): string {
  const found = binDir();
  if (found) return found;
  if (isRoot() && existsSync('/usr/bin/apt-get')) {
    log('PostgreSQL not found: installing Debian\'s postgresql (no recommends)…');
    execFileSync('bash', ['-c', INSTALL_COMMAND], { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    const installed = binDir();
    if (installed) return installed;
  }
  throw new Error(`PostgreSQL is needed for the PostgreSQL store tests. Install it with:\n  sudo ${INSTALL_COMMAND}`);
}

/** uid and gid to run the server as: the `postgres` user when we are root, else ourselves. */
function runAs(): { uid: number; gid: number } | undefined {
  if (!isRoot()) return undefined;
  const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
  return { uid, gid };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** Servers left by test processes that were killed before stop() (SIGKILL runs no exit handler). */
function removeOrphans(): void {
  for (const name of readdirSync(tmpdir()).filter((n) => n.startsWith('rk-pg-'))) {
    const dir = join(tmpdir(), name);
    try {
      const owner = Number(readFileSync(join(dir, 'owner'), 'utf8'));
      if (alive(owner)) continue;
      const pidFile = join(dir, 'data', 'postmaster.pid');
      const server = existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8').split('\n')[0]) : 0;
      if (server > 0 && alive(server)) process.kill(server, 'SIGQUIT');
      rmSync(dir, { recursive: true, force: true });
    } catch {
      // not ours to judge (no owner file yet, or another user's): leave it
    }
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export async function startPostgres(): Promise<PostgresServer> {
  const started = performance.now();
  const bin = ensurePostgres();
  const owner = runAs();
  removeOrphans();
  const dir = mkdtempSync(join(tmpdir(), 'rk-pg-'));
  writeFileSync(join(dir, 'owner'), String(process.pid));
  const data = join(dir, 'data');
  const socketDir = join(dir, 'sock');
  mkdirSync(socketDir);
  const password = `pw-${Math.random().toString(36).slice(2)}-${Date.now().toString(36)}`;
  const pwfile = join(dir, 'pwfile');
  writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
  if (owner) for (const p of [dir, socketDir, pwfile]) chownSync(p, owner.uid, owner.gid);
  const spawnOptions = { cwd: dir, ...(owner ?? {}), env: { ...process.env, LC_ALL: 'C', LANG: 'C' } };

  execFileSync(join(bin, 'initdb'), [
    '-D', data, '-U', USER, `--pwfile=${pwfile}`, '-E', 'UTF8', '--locale=C',
    '--auth-local=trust', '--auth-host=scram-sha-256', '--no-sync',
  ], { ...spawnOptions, stdio: ['ignore', 'ignore', 'pipe'] });

  const port = await freePort();
  const proc: ChildProcess = spawn(join(bin, 'postgres'), [
    '-D', data, '-p', String(port), '-k', socketDir,
    '-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off',
    '-c', 'max_connections=300', '-c', 'shared_buffers=32MB',
  ], { ...spawnOptions, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  proc.stderr!.on('data', (d: Buffer) => { stderr = (stderr + String(d)).slice(-4000); });
  const exited = new Promise<void>((r) => proc.once('exit', () => r()));
  let running = true;
  void exited.then(() => { running = false; });
  // a test process that dies without stop(): take the server down with it
  const onExit = (): void => {
    if (running) proc.kill('SIGQUIT');
  };
  process.once('exit', onExit);

  const url = `postgres://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;
  const admin = postgres(url, { max: 1, onnotice: () => undefined, connect_timeout: 2 });
  for (let attempt = 0; ; attempt++) {
    if (!running) throw new Error(`postgres exited at start: ${stderr}`);
    try {
      await admin`SELECT 1`;
      break;
    } catch (err) {
      if (attempt > 300) {
        proc.kill('SIGQUIT');
        throw new Error(`postgres did not accept connections in 30 s (${err instanceof Error ? err.message : String(err)}): ${stderr}`);
      }
      await sleep(100);
    }
  }
  const startupMs = Math.round(performance.now() - started);

  let n = 0;
  return {
    url, password, port, socketDir, startupMs,
    async createDatabase() {
      const name = `t${process.pid}_${++n}`;
      await admin.unsafe(`CREATE DATABASE ${name}`);
      return `postgres://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${name}`;
    },
    async stop() {
      await admin.end({ timeout: 1 });
      if (running) {
        proc.kill('SIGINT'); // fast shutdown: open sessions are ended
        const timer = setTimeout(() => proc.kill('SIGQUIT'), 5000);
        await exited;
        clearTimeout(timer);
      }
      process.off('exit', onExit);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
