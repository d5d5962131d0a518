// A real, throwaway Prometheus (the Debian package) that scrapes one target, for the observability tests: its own
// config and TSDB in a temporary directory, loopback only, stopped and removed by stop(). No Docker, no mocks.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface ScrapingPrometheus {
  /** Base URL of Prometheus' HTTP API, e.g. http://127.0.0.1:41234. */
  readonly url: string;
  /** Runs an instant PromQL query; resolves with the result vector. */
  query(promql: string): Promise<readonly { metric: Record<string, string>; value: [number, string] }[]>;
  /** Polls `query` until `accept` returns true for its result, or fails after `timeoutMs`. */
  waitFor(
    promql: string,
    accept: (result: Awaited<ReturnType<ScrapingPrometheus['query']>>) => boolean,
    timeoutMs?: number,
  ): Promise<Awaited<ReturnType<ScrapingPrometheus['query']>>>;
  /** Stops the server and deletes its files. Safe to call twice. */
  stop(): Promise<void>;
}

const INSTALL_HINT = 'prometheus is missing: install it (Debian/Ubuntu: `apt-get install prometheus`) or run `bash scripts/ensure-test-services.sh` as root';

/**
 * Starts Prometheus scraping `target` (host:port) at `metricsPath` every second; with `authorization` it sends
 * `Authorization: <type> <credentials>` (e.g. ApiKey for the apikey strategy), read from a file as in production.
 *
 * @example
 * const prom = await startScrapingPrometheus({ target: '127.0.0.1:9464' });
 * try { await prom.waitFor('cnmcp_tool_calls_total', (r) => r.length > 0); } finally { await prom.stop(); }
 */
export async function startScrapingPrometheus(options: {
  target: string;
  metricsPath?: string;
  authorization?: { type: string; credentials: string };
}): Promise<ScrapingPrometheus> {
  const dir = await mkdtemp(join(tmpdir(), 'cnmcp-prom-'));
  const config = join(dir, 'prometheus.yml');
  const credentials = join(dir, 'credentials');
  if (options.authorization) await writeFile(credentials, options.authorization.credentials, { mode: 0o600 });
  await writeFile(
    config,
    [
      'global:',
      '  scrape_interval: 1s',
      '  scrape_timeout: 1s',
      'scrape_configs:',
      '  - job_name: cnmcp',
      `    metrics_path: ${options.metricsPath ?? '/metrics'}`,
      ...(options.authorization ? ['    authorization:', `      type: ${options.authorization.type}`, `      credentials_file: ${credentials}`] : []),
      '    static_configs:',
      `      - targets: ['${options.target}']`,
      '',
    ].join('\n'),
  );
  let child: ChildProcess | undefined;
  let url = '';
  let output = '';
  // A port found free may be taken before Prometheus binds it: try a few.
  for (let attempt = 1; attempt <= 3 && !url; attempt++) {
    const port = await freePort();
    child = spawn('prometheus', [`--config.file=${config}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    output = '';
    child.stdout?.on('data', (c: Buffer) => (output += c.toString('utf8')));
    child.stderr?.on('data', (c: Buffer) => (output += c.toString('utf8')));
    const started = await new Promise<'ready' | 'exit' | 'missing'>((resolve) => {
      child!.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ENOENT' ? 'missing' : 'exit'));
      child!.once('exit', () => resolve('exit'));
      void waitReady(`http://127.0.0.1:${port}`, child!).then((ok) => ok && resolve('ready'));
    });
    if (started === 'missing') {
      await rm(dir, { recursive: true, force: true });
      throw new Error(INSTALL_HINT);
    }
    if (started === 'ready') url = `http://127.0.0.1:${port}`;
    else if (!/address already in use/i.test(output) || attempt === 3) {
      await rm(dir, { recursive: true, force: true });
      throw new Error(`prometheus did not start:\n${output.slice(-2000)}`);
    }
  }
  const proc = child!;
  const killOnExit = () => proc.kill('SIGKILL');
  process.once('exit', killOnExit);

  const query: ScrapingPrometheus['query'] = async (promql) => {
    const res = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(promql)}`);
    const body = (await res.json()) as { status: string; error?: string; data?: { result: [] } };
    if (body.status !== 'success') throw new Error(`query ${promql} failed: ${body.error ?? res.status}`);
    return body.data!.result;
  };
  let stopped: Promise<void> | undefined;
  return {
    url,
    query,
    async waitFor(promql, accept, timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const result = await query(promql);
        if (accept(result)) return result;
        if (Date.now() > deadline)
          throw new Error(`timed out waiting for ${promql}; last result ${JSON.stringify(result)}; prometheus said:\n${output.slice(-1500)}`);
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    },
    stop() {
      stopped ??= (async () => {
        process.removeListener('exit', killOnExit);
        if (proc.exitCode === null) {
          const exited = new Promise((resolve) => proc.once('exit', resolve));
          proc.kill('SIGTERM');
          const timer = setTimeout(() => proc.kill('SIGKILL'), 10_000);
          await exited;
          clearTimeout(timer);
        }
        await rm(dir, { recursive: true, force: true });
      })();
      return stopped;
    },
  };
}

/** Polls /-/ready until it answers 200 (a TSDB on a loaded machine can take a few seconds) or the process exits. */
async function waitReady(base: string, child: ChildProcess): Promise<boolean> {
  const deadline = Date.now() + 60_000;
  while (child.exitCode === null && Date.now() < deadline) {
    try {
      if ((await fetch(`${base}/-/ready`)).ok) return true;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return false;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
