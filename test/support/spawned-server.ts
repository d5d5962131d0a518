// Shared plumbing of the throwaway servers tests spawn from installed binaries (Prometheus, Alertmanager): a free
// loopback port, a temporary directory, readiness by polling a URL, and a stop that never leaves a process behind.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface SpawnedServer {
  readonly port: number;
  readonly dir: string;
  /** What the process wrote to stdout and stderr, for error messages. */
  output(): string;
  /** Stops the process (SIGTERM, then SIGKILL) and deletes its directory. Safe to call twice. */
  stop(): Promise<void>;
}

export interface SpawnOptions {
  readonly name: string;
  readonly binary: string;
  readonly installHint: string;
  /** Writes config files into `dir` and returns the arguments for a server listening on `port`. */
  prepare(dir: string, port: number): Promise<readonly string[]>;
  /** Resolves true once the server on `port` is ready (e.g. its /-/ready answers 200). */
  ready(port: number): Promise<boolean>;
  readonly readyTimeoutMs?: number;
  /** Variables added to the minimal environment (PATH, TZ), e.g. the CA settings a server reaching the internet needs. */
  readonly env?: NodeJS.ProcessEnv;
}

export async function spawnServer(options: SpawnOptions): Promise<SpawnedServer> {
  const dir = await mkdtemp(join(tmpdir(), `cnmcp-${options.name}-`));
  // A port found free may be taken before the server binds it: try a few.
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const args = await options.prepare(dir, port);
    let child: ChildProcess;
    try {
      child = await started(options.binary, args, dir, options.installHint, options.env);
    } catch (error) {
      await rm(dir, { recursive: true, force: true });
      throw error;
    }
    let output = '';
    child.stdout?.on('data', (c: Buffer) => (output = (output + c.toString('utf8')).slice(-20_000)));
    child.stderr?.on('data', (c: Buffer) => (output = (output + c.toString('utf8')).slice(-20_000)));
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    const killSync = () => child.kill('SIGKILL');
    process.once('exit', killSync);
    let stopped: Promise<void> | undefined;
    const stop = () =>
      (stopped ??= (async () => {
        process.off('exit', killSync);
        if (child.exitCode === null && child.signalCode === null) {
          child.kill('SIGTERM');
          const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
          await exited;
          clearTimeout(timer);
        }
        await rm(dir, { recursive: true, force: true });
      })());
    const ready = await waitReady(() => options.ready(port), exited, options.readyTimeoutMs ?? 30_000);
    if (ready === 'ready') return { port, dir, output: () => output, stop };
    const bindFailure = /address already in use|bind:/i.test(output);
    if (ready === 'exited' && bindFailure && attempt < 3) {
      process.off('exit', killSync);
      continue;
    }
    await stop();
    throw new Error(`${options.name} did not become ready (${ready}):\n${output.slice(-3000)}`);
  }
}

function started(binary: string, args: readonly string[], cwd: string, installHint: string, env: NodeJS.ProcessEnv = {}): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { PATH: process.env.PATH ?? '/usr/bin:/bin', TZ: 'UTC', ...env } });
    child.once('spawn', () => resolve(child));
    child.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'ENOENT' ? new Error(`${binary} is not installed: ${installHint}, or run \`bash scripts/ensure-test-services.sh\` as root`) : error,
      ),
    );
  });
}

async function waitReady(check: () => Promise<boolean>, exited: Promise<void>, timeoutMs: number): Promise<'ready' | 'exited' | 'timeout'> {
  let gone = false;
  void exited.then(() => (gone = true));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (gone) return 'exited';
    try {
      if (await check()) return 'ready';
    } catch {
      // Not listening yet.
    }
    await Promise.race([new Promise((r) => setTimeout(r, 100)), exited]);
  }
  return gone ? 'exited' : 'timeout';
}

/** A readiness check for a plain http URL. */
export async function answers200(url: string): Promise<boolean> {
  const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
  await res.body?.cancel();
  return res.ok;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Polls `check` until it returns a value (not undefined), for data a server produces over time. */
export async function eventually<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
}
