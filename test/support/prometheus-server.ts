// A real, throwaway Prometheus for tests: the distribution's binary on a free loopback port, scraping itself every
// second, with a recording rule, an always-firing alert and a pending one so every API has real content. Optionally
// behind TLS (client certificates required) and basic auth, through Prometheus's own --web.config.file.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Agent, fetch } from 'undici';
import { eventually, spawnServer } from './spawned-server.js';
import type { IssuedCert } from './test-pki.js';

/** Certificate files of a secured Prometheus (see test-pki.ts): the CA, its server certificate and a client certificate. */
export interface PrometheusTls {
  readonly caPath: string;
  readonly server: IssuedCert;
  readonly client: IssuedCert;
}

export interface TestPrometheus {
  /** http://127.0.0.1:PORT, or https:// when started with TLS. */
  readonly url: string;
  stop(): Promise<void>;
}

export const PROMETHEUS_RULES = {
  group: 'cnmcp-test',
  record: 'job:up:sum',
  firing: 'CnmcpAlwaysFiring',
  pending: 'CnmcpAlwaysPending',
} as const;

/** The basic-auth user of a secured Prometheus; the hash is bcrypt of the password (Prometheus stores only hashes). */
export const PROMETHEUS_USER = {
  username: 'cnmcp',
  password: 'Prom-Basic-Password-0123!',
  bcrypt: '$2b$10$/1dnkuv.VjklYN96NCbls.dZn/v.HuAL/YxAkR1g4AIukVmsA5CxW',
} as const;

const rules = `groups:
  - name: ${PROMETHEUS_RULES.group}
    interval: 1s
    rules:
      - record: ${PROMETHEUS_RULES.record}
        expr: sum by (job) (up)
      - alert: ${PROMETHEUS_RULES.firing}
        expr: vector(1)
        labels: { severity: critical }
        annotations: { summary: Fires from the first evaluation on }
      - alert: ${PROMETHEUS_RULES.pending}
        expr: vector(1)
        for: 1h
        labels: { severity: info }
        annotations: { summary: Pending for an hour before it fires }
`;

const RATE_READY_QUERY = 'sum(rate(prometheus_http_requests_total{handler=~"/api/v1/.*"}[1m]))';

/**
 * Starts Prometheus and waits until it has scraped itself and evaluated its rules, so queries find data. With
 * `secure`, it serves https only, requires a client certificate signed by the test CA and basic auth (PROMETHEUS_USER).
 *
 * @example
 * const prom = await startPrometheus();
 * try { await fetch(`${prom.url}/api/v1/query?query=up`); } finally { await prom.stop(); }
 */
export async function startPrometheus(options: { secure?: PrometheusTls } = {}): Promise<TestPrometheus> {
  const certs = options.secure;
  const pem = certs
    ? { ca: await readFile(certs.caPath, 'utf8'), cert: await readFile(certs.client.certPath, 'utf8'), key: await readFile(certs.client.keyPath, 'utf8') }
    : undefined;
  const scheme = certs ? 'https' : 'http';
  const dispatcher = new Agent({ connect: pem ?? {} });
  const headers: Record<string, string> = certs
    ? { authorization: `Basic ${Buffer.from(`${PROMETHEUS_USER.username}:${PROMETHEUS_USER.password}`).toString('base64')}` }
    : {};
  const get = async (url: string) => {
    const res = await fetch(url, { dispatcher, headers, signal: AbortSignal.timeout(5000) });
    if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
    return res.json() as Promise<{ data: unknown }>;
  };
  const server = await spawnServer({
    name: 'prometheus',
    binary: 'prometheus',
    installHint: 'install it (Debian/Ubuntu: `apt-get install prometheus`)',
    async prepare(dir, port) {
      await writeFile(join(dir, 'rules.yml'), rules);
      // Scraping itself through the same TLS and basic auth proves the secured listener works end to end.
      const scrapeSecurity = certs
        ? `    scheme: https
    tls_config: { ca_file: ${certs.caPath}, cert_file: ${certs.client.certPath}, key_file: ${certs.client.keyPath} }
    basic_auth: { username: ${PROMETHEUS_USER.username}, password: '${PROMETHEUS_USER.password}' }
`
        : '';
      await writeFile(
        join(dir, 'prometheus.yml'),
        `global: { scrape_interval: 1s, evaluation_interval: 1s }
rule_files: [rules.yml]
scrape_configs:
  - job_name: prometheus
${scrapeSecurity}    static_configs: [{ targets: ['127.0.0.1:${port}'] }]
`,
      );
      const args = [
        `--config.file=${join(dir, 'prometheus.yml')}`,
        `--storage.tsdb.path=${join(dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
        '--log.level=warn',
      ];
      if (certs) {
        await writeFile(
          join(dir, 'web.yml'),
          `tls_server_config:
  cert_file: ${certs.server.certPath}
  key_file: ${certs.server.keyPath}
  client_auth_type: RequireAndVerifyClientCert
  client_ca_file: ${certs.caPath}
basic_auth_users:
  ${PROMETHEUS_USER.username}: '${PROMETHEUS_USER.bcrypt}'
`,
        );
        args.push(`--web.config.file=${join(dir, 'web.yml')}`);
      }
      return args;
    },
    ready: async (port) => {
      const res = await fetch(`${scheme}://127.0.0.1:${port}/-/ready`, { dispatcher, headers, signal: AbortSignal.timeout(2000) });
      await res.body?.cancel();
      return res.ok;
    },
  });
  const url = `${scheme}://127.0.0.1:${server.port}`;
  const stop = async () => {
    await server.stop();
    await dispatcher.close();
  };
  try {
    await eventually('Prometheus to scrape itself and evaluate its rules', async () => {
      const recorded = (await get(`${url}/api/v1/query?query=${PROMETHEUS_RULES.record}`)).data as { result: unknown[] };
      const alerts = (await get(`${url}/api/v1/alerts`)).data as { alerts: { state: string }[] };
      const metadata = (await get(`${url}/api/v1/metadata?metric=prometheus_build_info`)).data as Record<string, unknown>;
      // rate() needs two samples of a series: wait for a second scrape that saw these very API calls.
      const rated = (await get(`${url}/api/v1/query?query=${encodeURIComponent(RATE_READY_QUERY)}`)).data as { result: unknown[] };
      const ready = recorded.result.length > 0 && rated.result.length > 0 && alerts.alerts.some((a) => a.state === 'firing');
      return ready && Object.keys(metadata).length > 0 ? true : undefined;
    });
  } catch (error) {
    const output = server.output();
    await stop();
    throw new Error(`${(error as Error).message}\n${output.slice(-2000)}`);
  }
  return { url, stop };
}
