// A real, throwaway PostgreSQL server for tests: the distribution's own binaries, a fresh cluster in a temporary
// directory, loopback only, removed again by stop(). No Docker, no mocks.
import { execFile, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { appendFile, chown, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface TestPostgres {
  /** `postgres://user:password@127.0.0.1:PORT/database`: a superuser on an empty database. */
  readonly url: string;
  /** Stops the server at once and deletes its files. Safe to call twice. */
  stop(): Promise<void>;
}

const INSTALL_HINT =
  'the PostgreSQL server binaries (initdb, pg_ctl) are missing: install them (Debian/Ubuntu: `apt-get install postgresql`, ' +
  'macOS: `brew install postgresql`) or run `bash scripts/ensure-test-services.sh` as root';
const USER = 'cnmcp_test';
const DATABASE = 'cnmcp_test';

/**
 * Starts a PostgreSQL server of its own on a free loopback port. As root, the server runs as the `postgres` system
 * user (initdb refuses root), created if missing; missing binaries are installed with apt-get once per process.
 *
 * @example
 * const pg = await startPostgres();
 * try { await useDatabase(pg.url); } finally { await pg.stop(); }
 */
export async function startPostgres(): Promise<TestPostgres> {
  const bin = await binaries();
  const owner = await serverUser();
  const dir = await mkdtemp(join(tmpdir(), 'cnmcp-pg-'));
  const data = join(dir, 'data');
  const password = randomBytes(16).toString('hex');
  const exec = (tool: string, args: readonly string[]) =>
    run(join(bin, tool), args, { cwd: dir, env: serverEnv(), timeout: 60_000, ...(owner ?? {}) }).catch((error: Error & { stderr?: string }) => {
      throw new Error(`${tool} failed: ${error.stderr?.trim() || error.message}`);
    });
  const removeAll = () => rm(dir, { recursive: true, force: true });
  try {
    if (owner) await chown(dir, owner.uid, owner.gid);
    const pwfile = join(dir, 'password');
    await writeFile(pwfile, `${password}\n`, { mode: 0o600 });
    if (owner) await chown(pwfile, owner.uid, owner.gid);
    // UTF-8 like a real deployment (a C locale alone would make the cluster SQL_ASCII); no fsync anywhere: it is thrown away.
    await exec('initdb', [
      '-D',
      data,
      '-U',
      USER,
      `--pwfile=${pwfile}`,
      '--auth-local=trust',
      '--auth-host=scram-sha-256',
      '-E',
      'UTF8',
      '--no-locale',
      '--no-sync',
    ]);
    await rm(pwfile);
  } catch (error) {
    await removeAll();
    throw error;
  }

  // A port found free may be taken before the server binds it: try a few.
  let port = 0;
  for (let attempt = 1; ; attempt++) {
    port = await freePort();
    await appendFile(join(data, 'postgresql.auto.conf'), settings(port, dir));
    try {
      await exec('pg_ctl', ['-D', data, '-l', join(dir, 'server.log'), '-w', '-t', '30', 'start']);
      break;
    } catch (error) {
      const log = await readFile(join(dir, 'server.log'), 'utf8').catch(() => '');
      if (attempt < 3 && /already in use|could not bind/i.test(log)) continue;
      await removeAll();
      throw new Error(`PostgreSQL did not start: ${(error as Error).message}\n${log.slice(-2000)}`);
    }
  }

  // If the test process dies without calling stop(), the server must not outlive it.
  const stopSync = () => {
    spawnSync(join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop'], { cwd: dir, env: serverEnv(), stdio: 'ignore', ...(owner ?? {}) });
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', stopSync);
  let stopped: Promise<void> | undefined;
  const stop = () =>
    (stopped ??= (async () => {
      process.off('exit', stopSync);
      await exec('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']).catch(() => {});
      await removeAll();
    })());

  try {
    await exec('createdb', ['-h', dir, '-p', String(port), '-U', USER, DATABASE]);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url: `postgres://${USER}:${password}@127.0.0.1:${port}/${DATABASE}`, stop };
}

function settings(port: number, socketDir: string): string {
  return [
    `port = ${port}`,
    `listen_addresses = '127.0.0.1'`,
    `unix_socket_directories = '${socketDir}'`,
    'fsync = off',
    'synchronous_commit = off',
    'full_page_writes = off',
    'shared_buffers = 32MB',
    'max_connections = 50',
    '',
  ].join('\n');
}

// The server and its tools see no PG* variables of the caller's (PGHOST, PGPASSWORD...).
function serverEnv(): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH ?? '/usr/bin:/bin', LC_ALL: 'C', TZ: 'UTC' };
}

let binDir: Promise<string> | undefined;

/** The directory holding initdb and pg_ctl, installing PostgreSQL first (as root, once) when there is none. */
function binaries(): Promise<string> {
  binDir ??= (async () => {
    const found = findBinaries();
    if (found) return found;
    if (process.getuid?.() !== 0) throw new Error(INSTALL_HINT);
    try {
      await aptInstall();
    } catch (error) {
      throw new Error(`${INSTALL_HINT} (apt-get install postgresql failed: ${(error as Error).message.split('\n')[0]})`);
    }
    const installed = findBinaries();
    if (!installed) throw new Error(INSTALL_HINT);
    return installed;
  })();
  binDir.catch(() => (binDir = undefined));
  return binDir;
}

function findBinaries(): string | undefined {
  const has = (dir: string) => existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl'));
  // Debian and Ubuntu keep the server binaries off PATH, one directory per major version: take the newest.
  const debian = '/usr/lib/postgresql';
  const versions = existsSync(debian) ? readdirSync(debian).filter((v) => /^\d+$/.test(v)) : [];
  const dirs = [...versions.sort((a, b) => Number(b) - Number(a)).map((v) => join(debian, v, 'bin')), ...(process.env.PATH ?? '').split(delimiter)];
  return dirs.find((dir) => dir !== '' && has(dir));
}

async function aptInstall(): Promise<void> {
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const install = () => run('apt-get', ['install', '-y', '-q', '--no-install-recommends', 'postgresql'], { env, timeout: 600_000 });
  try {
    await install();
  } catch {
    // A fresh machine has no package lists yet.
    await run('apt-get', ['update', '-q'], { env, timeout: 600_000 });
    await install();
  }
}

/** The user the server runs as when we are root: `postgres`, created as a system user if missing. */
async function serverUser(): Promise<{ uid: number; gid: number } | undefined> {
  if (process.getuid?.() !== 0) return undefined;
  const lookup = async () => ({ uid: Number((await run('id', ['-u', 'postgres'])).stdout), gid: Number((await run('id', ['-g', 'postgres'])).stdout) });
  try {
    return await lookup();
  } catch {
    await run('useradd', ['--system', '--user-group', '--no-create-home', '--home-dir', '/nonexistent', '--shell', '/usr/sbin/nologin', 'postgres']);
    return lookup();
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
