// A real, throwaway Redis server for tests: the distribution's redis-server on a free loopback port, no
// persistence, files in a temporary directory. It can be killed and started again on the same port, so tests
// can take the store away mid-run and bring it back.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestRedis {
  /** `redis://127.0.0.1:PORT`. */
  readonly url: string;
  readonly port: number;
  /** SIGKILLs the server (an outage, not a shutdown) and resolves once it has exited. */
  kill(): Promise<void>;
  /** Starts the server again on the same port, empty. */
  restart(): Promise<void>;
  /** Kills the server and deletes its directory. Safe to call twice. */
  stop(): Promise<void>;
}

const INSTALL_HINT =
  'redis-server is missing: install it (Debian/Ubuntu: `apt-get install redis-server`) or run `bash scripts/ensure-test-services.sh` as root';

/**
 * Starts `redis-server --port N --bind 127.0.0.1 --save '' --appendonly no` and resolves once it accepts
 * connections.
 *
 * @example
 * const redis = await startRedis();
 * try { await useRedis(redis.url); } finally { await redis.stop(); }
 */
export async function startRedis(options: { password?: string } = {}): Promise<TestRedis> {
  if (spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).error) throw new Error(INSTALL_HINT);
  const dir = mkdtempSync(join(tmpdir(), 'cnmcp-redis-'));
  let child: ChildProcess | undefined;
  let port = 0;
  // A port found free may be taken before the server binds it: try a few.
  for (let attempt = 1; ; attempt++) {
    port = await freePort();
    try {
      child = await launch(port, dir, options.password);
      break;
    } catch (error) {
      if (attempt < 3 && /Address already in use/i.test((error as Error).message)) continue;
      rmSync(dir, { recursive: true, force: true });
      throw error;
    }
  }
  // If the test process dies without calling stop(), the server must not outlive it.
  const killSync = () => {
    child?.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', killSync);
  const kill = async () => {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => running.once('exit', () => resolve()));
    running.kill('SIGKILL');
    await exited;
  };
  let stopped: Promise<void> | undefined;
  return {
    // With a password, the URL carries it as userinfo, the way operators write it.
    url: options.password ? `redis://default:${encodeURIComponent(options.password)}@127.0.0.1:${port}` : `redis://127.0.0.1:${port}`,
    port,
    kill,
    restart: async () => {
      await kill();
      child = await launch(port, dir, options.password);
    },
    stop: () =>
      (stopped ??= (async () => {
        process.off('exit', killSync);
        await kill();
        rmSync(dir, { recursive: true, force: true });
      })()),
  };
}

function launch(port: number, dir: string, password?: string): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--protected-mode', 'yes'];
    if (password) args.push('--requirepass', password);
    const child = spawn('redis-server', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`redis-server did not start within 30 s:\n${output.slice(-2000)}`));
    }, 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      if (/Ready to accept connections/.test(output)) {
        clearTimeout(timer);
        child.stdout!.off('data', onData);
        // Keep draining so a chatty server never blocks on a full pipe.
        child.stdout!.resume();
        resolve(child);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`redis-server exited with ${code} before it was ready:\n${output.slice(-2000)}`));
    });
  });
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
