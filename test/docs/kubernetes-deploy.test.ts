// docs/operations/kubernetes.md: every values example renders with the chart into valid objects that cnmcp accepts,
// and the commands it shows match what the chart creates.
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { helmNotes, renderChart } from '../support/helm-render.js';
import { CHART, loadChartConfig, ofKind, validateObject } from '../deploy/helm-chart-objects.js';

const page = readFileSync(new URL('../../docs/operations/kubernetes.md', import.meta.url), 'utf8');
const examples = [...page.matchAll(/```yaml\n(# (?:values: .*|my-values\.yaml)\n[\s\S]*?)```/g)].map((m) => m[1]!);
const shell = [...page.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!).join('\n');
const CRDS = ['monitoring.coreos.com/v1', 'cert-manager.io/v1'];
const external = (name: string, key: string) => (key.startsWith('apikey-') ? `Doc-${name}-${key}-K3y!` : `doc-${name}-${key}`);

describe('docs/operations/kubernetes.md', () => {
  it('has the values examples this test renders', () => {
    expect(examples.length).toBeGreaterThanOrEqual(7);
  });

  it.each(examples.map((e) => [e.split('\n')[0]!, e]))(
    '%s renders into valid Kubernetes objects whose config the cnmcp config loader accepts',
    async (_title, example) => {
      const objects = await renderChart(CHART, { values: [parse(example) as Record<string, unknown>], apiVersions: CRDS });
      for (const o of objects) await validateObject(o);
      expect(await loadChartConfig(objects, external)).toContain('auth/apikey');
    },
  );

  it('its commands name what the chart creates: the chart path, the Secret key, the Service and port', async () => {
    expect(shell).toContain('helm install cnmcp deploy/helm/cnmcp -n cnmcp --create-namespace -f my-values.yaml');
    expect(existsSync(new URL('../../deploy/helm/cnmcp/Chart.yaml', import.meta.url))).toBe(true);
    const notes = await helmNotes(CHART);
    for (const line of [
      "kubectl -n cnmcp get secret cnmcp -o jsonpath='{.data.apikey-agent}' | base64 -d",
      'kubectl -n cnmcp port-forward svc/cnmcp 8080:8080',
    ]) {
      expect(shell).toContain(line);
      expect(notes).toContain(line);
    }
    const objects = await renderChart(CHART);
    expect(ofKind(objects, 'Service')[0]!.metadata.name).toBe('cnmcp');
    expect(page).toContain('http://cnmcp.cnmcp.svc:8080/mcp');
    // The existingSecret command creates exactly the keys the Deployment reads.
    const existing = await renderChart(CHART, { values: [{ secret: { existingSecret: 'cnmcp-credentials' } }] });
    const env = (
      existing.find((o) => o.object.kind === 'Deployment')!.object as unknown as {
        spec: { template: { spec: { containers: { env: { valueFrom?: { secretKeyRef?: { key: string } } }[] }[] } } };
      }
    ).spec.template.spec.containers[0]!.env;
    const keys = env.flatMap((e) => (e.valueFrom?.secretKeyRef ? [e.valueFrom.secretKeyRef.key] : []));
    for (const key of keys) expect(shell).toContain(`--from-literal=${key}=`);
  });
});
