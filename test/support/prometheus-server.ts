// A real, throwaway Prometheus for tests: the distribution's binary on a free loopback port, scraping itself every
// second, with a recording rule, an always-firing alert and a pending one so every API has real content.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { eventually, spawnServer } from './spawned-server.js';

export interface TestPrometheus {
  /** http://127.0.0.1:PORT */
  readonly url: string;
  stop(): Promise<void>;
}

export const PROMETHEUS_RULES = {
  group: 'cnmcp-test',
  record: 'job:up:sum',
  firing: 'CnmcpAlwaysFiring',
  pending: 'CnmcpAlwaysPending',
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

/**
 * Starts Prometheus and waits until it has scraped itself and evaluated its rules, so queries find data.
 *
 * @example
 * const prom = await startPrometheus();
 * try { await fetch(`${prom.url}/api/v1/query?query=up`); } finally { await prom.stop(); }
 */
export async function startPrometheus(): Promise<TestPrometheus> {
  const server = await spawnServer({
    name: 'prometheus',
    binary: 'prometheus',
    installHint: 'install it (Debian/Ubuntu: `apt-get install prometheus`)',
    async prepare(dir, port) {
      await writeFile(join(dir, 'rules.yml'), rules);
      await writeFile(
        join(dir, 'prometheus.yml'),
        `global: { scrape_interval: 1s, evaluation_interval: 1s }
rule_files: [rules.yml]
scrape_configs:
  - job_name: prometheus
    static_configs: [{ targets: ['127.0.0.1:${port}'] }]
`,
      );
      return [
        `--config.file=${join(dir, 'prometheus.yml')}`,
        `--storage.tsdb.path=${join(dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
        '--log.level=warn',
      ];
    },
    readyUrl: (port) => `http://127.0.0.1:${port}/-/ready`,
  });
  const url = `http://127.0.0.1:${server.port}`;
  try {
    await eventually('Prometheus to scrape itself and evaluate its rules', async () => {
      const up = (await (await fetch(`${url}/api/v1/query?query=${encodeURIComponent(`${PROMETHEUS_RULES.record}`)}`)).json()) as {
        data: { result: unknown[] };
      };
      const alerts = (await (await fetch(`${url}/api/v1/alerts`)).json()) as { data: { alerts: { state: string }[] } };
      const metadata = (await (await fetch(`${url}/api/v1/metadata?metric=prometheus_build_info`)).json()) as { data: Record<string, unknown> };
      const firing = alerts.data.alerts.some((a) => a.state === 'firing');
      return up.data.result.length > 0 && firing && Object.keys(metadata.data).length > 0 ? true : undefined;
    });
  } catch (error) {
    await server.stop();
    throw new Error(`${(error as Error).message}\n${server.output().slice(-2000)}`);
  }
  return { url, stop: server.stop };
}
