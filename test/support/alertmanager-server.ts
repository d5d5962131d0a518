// A real, throwaway Alertmanager for tests: the distribution's binary on a free loopback port, clustering off, with
// two receivers and a route that groups by alertname. Tests post alerts to its v2 API themselves.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { answers200, spawnServer } from './spawned-server.js';

export interface TestAlertmanager {
  /** http://127.0.0.1:PORT */
  readonly url: string;
  /** Posts alerts to /api/v2/alerts as Prometheus would. */
  postAlerts(alerts: readonly { labels: Record<string, string>; annotations?: Record<string, string>; startsAt?: string; endsAt?: string }[]): Promise<void>;
  stop(): Promise<void>;
}

export const ALERTMANAGER_RECEIVERS = ['default', 'pager'] as const;

const config = `route:
  receiver: default
  group_by: [alertname]
  group_wait: 1s
  group_interval: 1s
  repeat_interval: 1h
  routes:
    - matchers: ['severity="critical"']
      receiver: pager
receivers:
  - name: default
  - name: pager
`;

/**
 * @example
 * const am = await startAlertmanager();
 * try { await am.postAlerts([{ labels: { alertname: 'Disk', severity: 'warning' } }]); } finally { await am.stop(); }
 */
export async function startAlertmanager(): Promise<TestAlertmanager> {
  const server = await spawnServer({
    name: 'alertmanager',
    binary: 'prometheus-alertmanager',
    installHint: 'install it (Debian/Ubuntu: `apt-get install prometheus-alertmanager`)',
    async prepare(dir, port) {
      await writeFile(join(dir, 'alertmanager.yml'), config);
      return [
        `--config.file=${join(dir, 'alertmanager.yml')}`,
        `--storage.path=${join(dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
        '--cluster.listen-address=',
        '--log.level=warn',
      ];
    },
    ready: (port) => answers200(`http://127.0.0.1:${port}/-/ready`),
  });
  const url = `http://127.0.0.1:${server.port}`;
  return {
    url,
    async postAlerts(alerts) {
      const res = await fetch(`${url}/api/v2/alerts`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(alerts) });
      if (!res.ok) throw new Error(`posting alerts failed: HTTP ${res.status} ${await res.text()}`);
    },
    stop: server.stop,
  };
}
