// Spawning, readiness, RSS and clean-up of the benchmarked servers. Each server is its own Node process.
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, request } from 'node:http';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
const READY_TIMEOUT_MS = 20_000;
const POLL_MS = 5;

/** Every live child, so nothing outlives the bench (exit, Ctrl-C, crash). */
const children = new Set();

/** `--pin`: the CPU each server runs on (`taskset -c`), away from the load generator's; undefined: unpinned. */
let serverCpu;

/** `--node PATH`: the Node.js binary the servers run on (default: the one running the bench). */
let serverNode = process.execPath;

/** Runs every server (and start-up probe) started after this on the Node.js binary at `path`; returns its version. */
export function useServerNode(path) {
  let version;
  try {
    version = execFileSync(path, ['--version'], { encoding: 'utf8' }).trim();
  } catch (error) {
    throw new Error(`--node ${path}: not a runnable Node.js binary (${error.message})`);
  }
  serverNode = path;
  return version;
}

/**
 * Pins the load generator (this process, all its threads) to CPU 0 and every server started after this to the last
 * CPU, so a server gets one whole core and never competes with its own load. Needs taskset (util-linux) and 2+ CPUs.
 */
export function pinCpus() {
  const last = availableParallelism() - 1;
  if (last < 1) throw new Error('--pin needs at least 2 CPUs');
  try {
    execFileSync('taskset', ['-a', '-p', '-c', '0', String(process.pid)], { stdio: 'ignore' });
  } catch (error) {
    throw new Error(`--pin needs taskset (util-linux): ${error.message}`);
  }
  serverCpu = last;
  return { loadCpu: 0, serverCpu };
}

/** `node args` on the servers' Node.js, under `taskset -c CPU` when pinned (taskset execs node: the pid is the server's). */
export function spawnNode(args, options) {
  if (serverCpu === undefined) return spawn(serverNode, args, options);
  return spawn('taskset', ['-c', String(serverCpu), serverNode, ...args], options);
}

export class NotBuiltError extends Error {}

/** A free loopback port (the OS picks; tiny race before the child binds it, fine on a bench box). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

/** One HTTP exchange on a fresh connection; resolves { status, headers, body } or rejects on a socket error. */
export function httpOnce(port, { method = 'GET', path = '/', headers = {}, body } = {}, timeoutMs = 2000) {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers, agent: false, timeout: timeoutMs }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * Spawns `node <args>` with PORT (and `env`) set, then polls `isReady(port)` until it resolves true.
 * Returns { child, pid, port, readyMs } where readyMs runs from spawn to the first successful probe.
 * `notBuilt` (a regexp) turns an early exit whose output matches it into a NotBuiltError.
 */
export async function startServer({ name, args, port, env = {}, isReady, notBuilt }) {
  const started = performance.now();
  const child = spawnNode(args, { cwd: ROOT, env: { ...process.env, ...env, PORT: String(port) }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  let output = '';
  const keep = (chunk) => (output = (output + chunk).slice(-4000)); // tail only: logs can be large
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  let exited = null;
  child.once('exit', (code, signal) => {
    exited = { code, signal };
    children.delete(child);
  });

  while (performance.now() - started < READY_TIMEOUT_MS) {
    if (exited) {
      if (notBuilt?.test(output)) throw new NotBuiltError(`${name}: not built`);
      throw new Error(`${name} exited before it was ready (code ${exited.code}, signal ${exited.signal}):\n${output.trim()}`);
    }
    if (await isReady(port).catch(() => false)) return { name, child, pid: child.pid, port, readyMs: performance.now() - started, output: () => output };
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
  await stopServer({ child });
  throw new Error(`${name} not ready after ${READY_TIMEOUT_MS} ms:\n${output.trim()}`);
}

/** SIGTERM, then SIGKILL if it has not exited within graceMs. */
export async function stopServer({ child }, graceMs = 1500) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await gone;
  clearTimeout(timer);
}

export async function stopAll() {
  await Promise.all([...children].map((child) => stopServer({ child })));
}

/** Resident set size of a live process in MB, from /proc/PID/status (Linux). */
export function rssMb(pid) {
  try {
    const kb = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? Number(kb) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

const CLOCK_TICKS = 100; // USER_HZ: the unit of utime/stime in /proc/PID/stat on Linux

/** CPU time (user + system) a live process has used so far, in ms, from /proc/PID/stat (Linux). */
export function cpuMs(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // the command name may hold spaces
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
  } catch {
    return undefined;
  }
}

/** Kills every child on any way out: normal exit, Ctrl-C, SIGTERM, an uncaught error. */
export function killChildrenOnExit() {
  const killAll = () => children.forEach((child) => child.kill('SIGKILL'));
  process.once('exit', killAll);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.once(signal, () => {
      console.error(`\n${signal}: stopping servers`);
      killAll();
      process.exit(130);
    });
  }
  process.once('uncaughtException', (error) => {
    console.error(error);
    killAll();
    process.exit(1);
  });
}

/** Share of all CPUs busy over `ms` (from /proc/stat), measured while none of our servers runs: other load on the box. */
export async function backgroundCpuPercent(ms = 300) {
  const sample = () => {
    const [, ...fields] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).map(Number);
    const idle = fields[3] + (fields[4] ?? 0);
    return { idle, total: fields.reduce((a, b) => a + b, 0) };
  };
  try {
    const a = sample();
    await new Promise((r) => setTimeout(r, ms));
    const b = sample();
    return b.total === a.total ? 0 : 100 * (1 - (b.idle - a.idle) / (b.total - a.total));
  } catch {
    return undefined;
  }
}
