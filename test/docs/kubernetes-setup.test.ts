import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { startTestKernel } from '@cnmcp/core/testing';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { startKubernetesApiServer } from '../support/kubernetes-api/server.js';

const doc = readFileSync(new URL('../../docs/tool-packs/kubernetes-setup.md', import.meta.url), 'utf8');
const yamlBlocks = [...doc.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!);

describe('docs/tool-packs/kubernetes-setup.md, against the recorded Kubernetes API fixture server', () => {
  it('the example config works as written: the viewer sees only read tools, the operator can scale', async () => {
    const api = await startKubernetesApiServer();
    const kubeconfig = await api.writeKubeconfig(mkdtempSync(join(tmpdir(), 'cnmcp-kube-doc-')));
    const config = parse(yamlBlocks[0]!) as Record<string, unknown>;
    config.server = { listen: '127.0.0.1:0' };
    const env = { KUBECONFIG: kubeconfig, CNMCP_OPS_KEY: 'Doc-Ops-Key-000042!', CNMCP_VIEWER_KEY: 'Doc-Viewer-Key-0042!' };
    const server = await startTestKernel({ config, env });
    const connect = async (key: string) => {
      const client = new Client({ name: 'doc', version: '1' }, { versionNegotiation: { mode: { pin: '2026-07-28' } } });
      await client.connect(new StreamableHTTPClientTransport(server.url, { requestInit: { headers: { 'x-api-key': key } } }));
      return client;
    };
    const viewer = await connect(env.CNMCP_VIEWER_KEY);
    const operator = await connect(env.CNMCP_OPS_KEY);
    try {
      const visible = (await viewer.listTools()).tools.map((t) => t.name);
      expect(visible).toContain('kubernetes_get_pod_logs');
      expect(visible).not.toContain('kubernetes_scale_workload');
      const scaled = await operator.callTool({
        name: 'kubernetes_scale_workload',
        arguments: { kind: 'Deployment', name: 'web', namespace: 'shop', replicas: 4, dryRun: true },
      });
      expect(scaled.structuredContent).toMatchObject({ previousReplicas: 3, replicas: 4, dryRun: true });
    } finally {
      await viewer.close();
      await operator.close();
      await server.close();
      await api.close();
    }
  });

  it('the exec and Helm examples work as written: an allowed command runs, Helm values come back masked', async () => {
    const packOf = (marker: string) => (parse(yamlBlocks.find((b) => b.includes(marker))!) as { toolPacks: Record<string, unknown>[] }).toolPacks[0]!;
    const api = await startKubernetesApiServer();
    const kubeconfig = await api.writeKubeconfig(mkdtempSync(join(tmpdir(), 'cnmcp-kube-doc-exec-')));
    const key = 'Doc-Oncall-Key-00042!';
    const server = await startTestKernel({
      config: {
        server: { listen: '127.0.0.1:0' },
        auth: [{ use: 'apikey', keys: [{ id: 'oncall-bot', key, roles: ['oncall'] }] }],
        authorization: { use: 'rbac', roles: { oncall: { tools: ['kubernetes_*'] } } },
        // The client here cannot answer elicitation: confirmation is tested with the guard rails.
        toolPacks: [{ ...packOf('exec:'), ...packOf('maskSecretValues'), guardRails: { confirmDestructive: 'off' } }],
      },
      env: { KUBECONFIG: kubeconfig },
    });
    const client = new Client({ name: 'doc', version: '1' }, { versionNegotiation: { mode: { pin: '2026-07-28' } } });
    await client.connect(new StreamableHTTPClientTransport(server.url, { requestInit: { headers: { 'x-api-key': key } } }));
    try {
      const ran = await client.callTool({
        name: 'kubernetes_exec_command',
        arguments: { name: 'web-5d8f7c9b6d-4kq2x', command: ['wget', '-qO-', 'localhost:8080/healthz'] },
      });
      expect(ran.structuredContent).toMatchObject({ exitCode: 0, stdout: '{"status":"ok","version":"2.3.1"}' });
      const values = await client.callTool({ name: 'kubernetes_helm_release_values', arguments: { name: 'cache' } });
      expect(values.structuredContent).toMatchObject({ values: { auth: { password: '***masked***' } }, masked: ['auth.password'] });
    } finally {
      await client.close();
      await server.close();
      await api.close();
    }
  });

  it('the RBAC manifests are valid YAML documents of the kinds they claim', () => {
    // The manifests are the documents with an apiVersion; the other blocks are cnmcp config or chart values.
    const kinds = yamlBlocks
      .slice(1)
      .flatMap((block) => block.split(/^---$/m).map((d) => parse(d) as { apiVersion?: string; kind: string }))
      .filter((d) => d?.apiVersion !== undefined)
      .map((d) => d.kind);
    expect(kinds).toEqual([
      'ServiceAccount',
      'ClusterRole',
      'ClusterRoleBinding',
      'Role',
      'RoleBinding',
      'Role', // Helm releases
      'RoleBinding',
      'Role', // exec
      'RoleBinding',
      'ClusterRole', // node logs
    ]);
  });
});
