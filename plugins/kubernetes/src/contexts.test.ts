// Several clusters through one pack: two recorded Kubernetes API servers behind kubeconfig contexts `east` and
// `west`, an allowlist of contexts, a `context` argument on every tool, and guard rails per context; driven by a
// real MCP client with apikey auth and rbac.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { startTestKernel, type TestKernel } from '@cnmcp/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKubernetesApiServer, type KubernetesApiServer } from '../../../test/support/kubernetes-api/server.js';

const KEY = 'Kube-Contexts-Key-042!';
let east: KubernetesApiServer;
let west: KubernetesApiServer;
let kubeconfig: string;
let server: TestKernel;
let client: Client;

function kernelConfig(pack: Record<string, unknown>) {
  return {
    auth: [{ use: 'apikey', keys: [{ id: 'ops-bot', key: KEY, roles: ['operator'] }] }],
    authorization: { use: 'rbac', roles: { operator: { tools: ['kubernetes_*'] } } },
    toolPacks: [{ use: 'kubernetes', kubeconfig, ...pack }],
  };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- structured content, asserted field by field
async function call(name: string, args: Record<string, unknown>): Promise<{ isError: boolean; text: string; data: Record<string, any> }> {
  const result = (await client.callTool({ name, arguments: args })) as {
    isError?: boolean;
    content: { text?: string }[];
    structuredContent?: Record<string, unknown>;
  };
  return { isError: result.isError === true, text: result.content.map((c) => c.text ?? '').join('\n'), data: result.structuredContent ?? {} };
}

beforeAll(async () => {
  east = await startKubernetesApiServer({ token: 'east-token-0123456789' });
  west = await startKubernetesApiServer({ token: 'west-token-9876543210' });
  const cluster = (api: KubernetesApiServer) => ({ server: api.url, 'certificate-authority-data': Buffer.from(api.caPem).toString('base64') });
  kubeconfig = join(mkdtempSync(join(tmpdir(), 'cnmcp-contexts-')), 'kubeconfig');
  writeFileSync(
    kubeconfig,
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [
        { name: 'east', cluster: cluster(east) },
        { name: 'west', cluster: cluster(west) },
      ],
      users: [
        { name: 'east', user: { token: east.token } },
        { name: 'west', user: { token: west.token } },
      ],
      contexts: [
        { name: 'east', context: { cluster: 'east', user: 'east', namespace: 'shop' } },
        { name: 'west', context: { cluster: 'west', user: 'west', namespace: 'shop' } },
        { name: 'admin', context: { cluster: 'west', user: 'west', namespace: 'kube-system' } },
      ],
      'current-context': 'admin',
    }),
    { mode: 0o600 },
  );
  server = await startTestKernel({ config: kernelConfig({ contexts: { east: {}, west: { guardRails: { protectedNamespaces: ['shop'] } } } }) });
  client = new Client({ name: 'contexts', version: '0' }, { versionNegotiation: { mode: { pin: '2026-07-28' } } });
  await client.connect(new StreamableHTTPClientTransport(server.url, { requestInit: { headers: { 'x-api-key': KEY } } }));
});

afterAll(async () => {
  await client?.close();
  await server?.close();
  await east?.close();
  await west?.close();
});

describe('kubeconfig contexts', () => {
  it('gives every tool a context argument listing only the allowed contexts, with each context’s guard rails', async () => {
    const tools = (await client.listTools()).tools;
    expect(tools).toHaveLength(27);
    for (const tool of tools) {
      expect((tool.inputSchema.properties as Record<string, unknown>).context, tool.name).toMatchObject({ enum: ['east', 'west'], default: 'east' });
    }
    const scale = tools.find((t) => t.name === 'kubernetes_scale_workload')!;
    expect(scale.description).toContain('[context east] namespaces kube-system, kube-public, kube-node-lease are read-only');
    expect(scale.description).toContain('[context west] namespaces kube-system, kube-public, kube-node-lease, shop are read-only');
  });

  it('sends each call to the cluster of its context, the first listed by default', async () => {
    const [eastBefore, westBefore] = [east.requests.length, west.requests.length];
    expect((await call('kubernetes_list_resources_summary', { kind: 'pods' })).isError).toBe(false);
    expect(east.requests.length).toBeGreaterThan(eastBefore);
    expect(west.requests.length).toBe(westBefore);
    expect((await call('kubernetes_list_resources_summary', { kind: 'pods', context: 'west' })).isError).toBe(false);
    expect(west.requests.length).toBeGreaterThan(westBefore);
  });

  it('keeps guard rails per context: a write that east allows is refused in west', async () => {
    const eastScale = await call('kubernetes_scale_workload', { kind: 'Deployment', name: 'web', replicas: 5, context: 'east' });
    expect(eastScale.isError, eastScale.text).toBe(false);
    expect((east.store.get('apps', 'deployments', 'shop', 'web')?.spec as { replicas: number }).replicas).toBe(5);
    const westWrites = () => west.requests.filter((r) => r.method !== 'GET').length;
    const before = westWrites();
    const westScale = await call('kubernetes_scale_workload', { kind: 'Deployment', name: 'web', replicas: 5, context: 'west' });
    expect(westScale.isError).toBe(true);
    expect(westScale.text).toContain('namespace "shop" is protected');
    expect(westWrites()).toBe(before);
  });

  it('refuses a context that is in the kubeconfig but not allowed, before any request', async () => {
    const before = west.requests.length + east.requests.length;
    const result = await call('kubernetes_list_resources', { kind: 'pods', context: 'admin' });
    expect(result.isError).toBe(true);
    expect(result.text).toMatch(/context/);
    expect(west.requests.length + east.requests.length).toBe(before);
  });

  it('refuses to start with an allowed context the kubeconfig lacks, or a default context not allowed', async () => {
    await expect(startTestKernel({ config: kernelConfig({ contexts: { east: {}, north: {} } }) })).rejects.toThrow(/no context "north"/);
    await expect(startTestKernel({ config: kernelConfig({ context: 'admin', contexts: { east: {} } }) })).rejects.toThrow(
      /context "admin" is not one of contexts/,
    );
  });
});
