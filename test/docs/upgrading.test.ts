// docs/operations/upgrading.md: the upgrade it describes is the one the chart, the image and the CLI perform.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { helmTemplate, renderChart } from '../support/helm-render.js';
import { CHART, configText, one, podSpec } from '../deploy/helm-chart-objects.js';
import { runCli } from '../cli/run-cli.js';

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');
const page = read('docs/operations/upgrading.md');
const shell = [...page.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!).join('\n');

interface Strategy {
  type: string;
  rollingUpdate: { maxUnavailable: number; maxSurge: number };
}

describe('docs/operations/upgrading.md', () => {
  it('rolls out as it says: a new pod is ready before an old one stops, and the grace period outlasts the drain', async () => {
    const objects = await renderChart(CHART);
    const deployment = one(objects, 'Deployment');
    expect(deployment.metadata.name).toBe('cnmcp'); // kubectl rollout status deployment/cnmcp
    expect(shell).toContain('kubectl -n cnmcp rollout status deployment/cnmcp');
    const { strategy } = (deployment as unknown as { spec: { strategy: Strategy } }).spec;
    expect(strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } });
    const config = parse(configText(objects)) as { server?: { drainTimeoutMs?: number } };
    const drainMs = config.server?.drainTimeoutMs ?? 10_000; // the schema's default, as the page says
    expect(page).toContain('`server.drainTimeoutMs` (default 10 s)');
    const graceSeconds = (podSpec(deployment) as unknown as { terminationGracePeriodSeconds: number }).terminationGracePeriodSeconds;
    expect(graceSeconds * 1000).toBeGreaterThan(drainMs);
  });

  it('is right that the chart refuses a grace period shorter than the drain', async () => {
    await expect(helmTemplate(CHART, { values: [{ terminationGracePeriodSeconds: 5, config: { server: { drainTimeoutMs: 20_000 } } }] })).rejects.toThrow(
      /terminationGracePeriodSeconds \(5 s\) must be longer than config.server.drainTimeoutMs \(20000 ms\)/,
    );
  });

  it('upgrades with the command it shows: --set image.tag picks the image the Deployment runs', async () => {
    expect(shell).toContain('helm upgrade cnmcp deploy/helm/cnmcp -n cnmcp -f my-values.yaml --set image.tag=NEW --wait');
    const objects = await renderChart(CHART, { values: [{ image: { tag: '9.9.9' } }] });
    expect(podSpec(one(objects, 'Deployment')).containers[0]!.image).toBe('ghcr.io/cnmcp/cnmcp:9.9.9');
  });

  it('checks a release with commands the CLI and the image have', async () => {
    expect(shell).toContain('node core/dist/cli/main.js config validate --config /etc/cnmcp/cnmcp.yaml');
    expect(shell).toContain('ghcr.io/cnmcp/cnmcp:NEW config validate');
    expect(shell).toContain('cnmcp audit verify --config /etc/cnmcp/cnmcp.yaml');
    // `docker run IMAGE config validate` works because the image's entrypoint is the CLI itself.
    expect(read('deploy/Dockerfile')).toContain('ENTRYPOINT ["/nodejs/bin/node", "/app/core/dist/cli/main.js"]');
    for (const command of [
      ['config', 'validate'],
      ['audit', 'verify'],
    ]) {
      const { stdout, code } = await runCli([...command, '--help']);
      expect(code).toBe(0);
      expect(stdout).toContain('--config');
    }
    // The embedded default is valid, so the "ok:" line the page quotes is what a good config prints.
    expect((await runCli(['config', 'validate'])).stdout).toMatch(/^ok: .* is valid \(\d+ plugins?\)/);
    expect(page).toContain('`ok: <file> is valid (N plugins)`');
  });

  it('names metrics the server exports in its checklist', () => {
    const metrics = read('core/src/telemetry/kernel-metrics.ts');
    for (const name of ['cnmcp_http_requests', 'cnmcp_tool_calls']) {
      expect(page).toContain(`${name}_total`);
      expect(metrics).toContain(`'${name}'`);
    }
  });
});
