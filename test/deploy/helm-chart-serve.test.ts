// The chart's default install, run: the ConfigMap's config and the Deployment's environment (generated key from the
// chart's Secret) start a real cnmcp kernel. Only the cluster connection is swapped: the pod's service account
// (inCluster) becomes a kubeconfig for the recorded Kubernetes API fixture server, and the listener a free loopback port.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { startTestKernel } from '@cnmcp/core/testing';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { renderChart } from '../support/helm-render.js';
import { startKubernetesApiServer } from '../support/kubernetes-api/server.js';
import { CHART, configText, containerEnv, secretData } from './helm-chart-objects.js';

describe('the chart with default values, served', () => {
  it('authenticates with the generated key only, serves the read-only Kubernetes tools to the viewer, and reads the cluster', async () => {
    const objects = await renderChart(CHART);
    const config = parse(configText(objects)) as { server: Record<string, unknown>; toolPacks: Record<string, unknown>[] };
    const api = await startKubernetesApiServer();
    const kubeconfig = await api.writeKubeconfig(mkdtempSync(join(tmpdir(), 'cnmcp-chart-kube-')));
    const pack = config.toolPacks.find((p) => p.use === 'kubernetes')!;
    expect(pack.inCluster).toBe(true);
    delete pack.inCluster;
    pack.kubeconfig = kubeconfig;
    config.server.listen = '127.0.0.1:0';
    const env = containerEnv(objects, () => {
      throw new Error('the default install needs no Secret but its own');
    });
    const server = await startTestKernel({ config, env });
    const key = secretData(objects)['apikey-agent']!;
    const client = new Client({ name: 'chart', version: '1' }, { versionNegotiation: { mode: { pin: '2026-07-28' } } });
    try {
      const anonymous = await fetch(server.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
        body: '{}',
      });
      expect(anonymous.status).toBe(401);
      const wrong = await fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': `${key}x` }, body: '{}' });
      expect(wrong.status).toBe(401);

      await client.connect(new StreamableHTTPClientTransport(server.url, { requestInit: { headers: { 'x-api-key': key } } }));
      const tools = (await client.listTools()).tools.map((t) => t.name);
      expect(tools).toContain('kubernetes_list_resources_summary');
      expect(tools).not.toContain('kubernetes_scale_workload'); // the default key is a viewer: read-only tools only
      const pods = await client.callTool({ name: 'kubernetes_list_resources_summary', arguments: { kind: 'Pod', namespace: 'shop' } });
      expect(pods.isError ?? false).toBe(false);
      expect(JSON.stringify(pods.structuredContent)).toContain('web-5d8f7c9b6d-4kq2x');
    } finally {
      await client.close();
      await server.close();
      await api.close();
    }
  }, 90_000); // starts a kernel and the recorded API server: slow on a loaded CI machine
});
