// A real HAProxy in front of test servers: plain HTTP on a free loopback port, appending the client's address to
// X-Forwarded-For (`option forwardfor`) like a production ingress. Several backends are balanced round-robin with
// health checks on /healthz, so a dead replica drops out. Stopped (and its files removed) by stop().
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const HAPROXY = '/usr/sbin/haproxy';

export interface TestProxy {
  /** http://127.0.0.1:PORT: the proxy's own address; paths are passed through unchanged. */
  readonly origin: string;
  readonly port: number;
  stop(): Promise<void>;
}

/**
 * Starts haproxy forwarding to `backend` (host:port), or balancing round-robin over several, and resolves once it
 * accepts connections. With several backends, each is health-checked (`GET /healthz` every 500 ms, out after two
 * failures) and a request whose connection is refused is sent to another one (`option redispatch`).
 */
export async function startHaproxy(backend: string | readonly string[]): Promise<TestProxy> {
  const dir = mkdtempSync(join(tmpdir(), 'cnmcp-haproxy-'));
  const port = await freePort();
  const config = join(dir, 'haproxy.cfg');
  writeFileSync(config, haproxyConfig(port, backend));
  const child: ChildProcess = spawn(HAPROXY, ['-db', '-f', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const killSync = () => child.kill('SIGKILL');
  process.once('exit', killSync);
  const stop = async () => {
    process.off('exit', killSync);
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 30_000;
  while (!(await accepts(port))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`haproxy did not start: ${stderr.slice(-2000)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { origin: `http://127.0.0.1:${port}`, port, stop };
}

/** The configuration file; docs/operations/scaling.md shows the balanced form as its example. */
export function haproxyConfig(port: number, backend: string | readonly string[]): string {
  const balanced = typeof backend !== 'string';
  const backends = typeof backend === 'string' ? [backend] : backend;
  return [
    'global',
    '  maxconn 256',
    'defaults',
    '  mode http',
    '  timeout connect 5s',
    '  timeout client 30s',
    '  timeout server 30s',
    // A check slower than `inter` must not take a busy replica out: only one that stops answering.
    ...(balanced ? ['  timeout check 5s', '  retries 3', '  option redispatch'] : []),
    'frontend fe',
    `  bind 127.0.0.1:${port}`,
    '  option forwardfor',
    '  default_backend be',
    'backend be',
    ...(balanced ? ['  balance roundrobin', '  option httpchk GET /healthz', '  default-server inter 500ms fall 2 rise 1'] : []),
    // The proxy connects from 127.0.0.1 whatever address the client used: that is the one hop to trust.
    ...backends.map((b, i) => `  server ${balanced ? `replica${i}` : 'app'} ${b} source 127.0.0.1${balanced ? ' check' : ''}`),
    '',
  ].join('\n');
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port }, () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
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
