// Node health and node service logs through a real MCP client with apikey auth and rbac, against the recorded
// Kubernetes API fixture server (no real cluster can run here): node conditions from the recorded Nodes, kubelet
// journal lines from test/fixtures/kubernetes/node-logs/ served as the kubelet's node log query answers them.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { startTestKernel, type TestKernel } from '@cnmcp/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKubernetesApiServer, type KubernetesApiServer } from '../../../test/support/kubernetes-api/server.js';

const VIEWER_KEY = 'Node-Viewer-Key-00042!';

let api: KubernetesApiServer;
const kernels: TestKernel[] = [];
const clients: Client[] = [];
let viewer: Client;
let kubeconfig: string;

async function serve(pack: Record<string, unknown>): Promise<Client> {
  const kernel = await startTestKernel({
    config: {
      auth: [{ use: 'apikey', keys: [{ id: 'viewer-bot', key: VIEWER_KEY, roles: ['viewer'] }] }],
      authorization: { use: 'rbac', roles: { viewer: { tools: ['kubernetes_*'], readOnly: true } } },
      sanitize: { use: 'injection-filter', mode: 'reject' },
      toolPacks: [{ use: 'kubernetes', kubeconfig, ...pack }],
    },
  });
  kernels.push(kernel);
  const client = new Client({ name: 'node-test', version: '0.0.0' }, { versionNegotiation: { mode: { pin: '2026-07-28' } } });
  await client.connect(new StreamableHTTPClientTransport(kernel.url, { requestInit: { headers: { 'x-api-key': VIEWER_KEY } } }));
  clients.push(client);
  return client;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- structured content, asserted field by field
type Structured = Record<string, any>;

async function call(client: Client, name: string, args: Record<string, unknown>): Promise<{ isError: boolean; text: string; data: Structured }> {
  const result = (await client.callTool({ name, arguments: args })) as {
    isError?: boolean;
    content: { text?: string }[];
    structuredContent?: Record<string, unknown>;
  };
  return { isError: result.isError === true, text: result.content.map((c) => c.text ?? '').join('\n'), data: result.structuredContent ?? {} };
}

beforeAll(async () => {
  api = await startKubernetesApiServer();
  kubeconfig = await api.writeKubeconfig(mkdtempSync(join(tmpdir(), 'cnmcp-node-')));
  viewer = await serve({});
});

afterAll(async () => {
  for (const client of clients) await client.close();
  for (const kernel of kernels) await kernel.close();
  await api?.close();
});

describe('kubernetes_node_conditions', () => {
  it('puts the node with problems first, with why it is not ready, taints and allocatable', async () => {
    const result = await call(viewer, 'kubernetes_node_conditions', {});
    expect(result.isError, result.text).toBe(false);
    expect(result.data.nodes.map((n: Structured) => n.name)).toEqual(['kind-worker2', 'kind-control-plane', 'kind-worker']);
    const [sick, control] = result.data.nodes;
    expect(sick).toMatchObject({ ready: false, unschedulable: false, pressure: [], kubeletVersion: 'v1.31.2' });
    expect(sick.problems).toEqual(['not ready (Unknown, NodeStatusUnknown: Kubelet stopped posting node status.)']);
    expect(sick.conditions.find((c: Structured) => c.type === 'Ready')).toMatchObject({ status: 'Unknown', lastHeartbeat: '2026-12-01T08:41:02Z' });
    expect(control.taints).toEqual([{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }]);
    expect(control.allocatable).toEqual({ cpu: '4', 'ephemeral-storage': '61255492Ki', memory: '8131900Ki', pods: '110' });
    expect(result.text).toContain('3 node(s), 1 with problems');
    expect(result.text).toContain('taints node-role.kubernetes.io/control-plane:NoSchedule');
    const one = await call(viewer, 'kubernetes_node_conditions', { name: 'kind-worker' });
    expect(one.data.nodes).toHaveLength(1);
    expect(one.data.nodes[0]).toMatchObject({ name: 'kind-worker', ready: true, problems: [] });
  });
});

describe('kubernetes_node_logs', () => {
  it("tails the kubelet's journal through the node log query, as read-only", async () => {
    const before = api.requests.length;
    const result = await call(viewer, 'kubernetes_node_logs', { name: 'kind-worker', tailLines: 3 });
    expect(result.isError, result.text).toBe(false);
    expect(result.data).toMatchObject({ node: 'kind-worker', service: 'kubelet', lineCount: 3, truncated: true });
    expect(result.data.log.split('\n')[2]).toContain('"Attempting to register node" node="kind-worker"');
    expect(api.requests.slice(before).map((r) => [r.path, r.query])).toEqual([['/api/v1/nodes/kind-worker/proxy/logs/', { query: 'kubelet', tailLines: '3' }]]);
  });

  it('filters by pattern and time, reads other services, and says when there is nothing', async () => {
    const evictions = await call(viewer, 'kubernetes_node_logs', { name: 'kind-worker', pattern: 'Eviction manager', sinceTime: '2026-12-01T09:45:00Z' });
    expect(evictions.data.lineCount).toBe(2);
    expect(evictions.data.truncated).toBe(false);
    expect(evictions.data.log).toContain('able to reduce resource pressure without evicting pods');
    const containerd = await call(viewer, 'kubernetes_node_logs', { name: 'kind-worker', service: 'containerd', sinceTime: '2026-12-01T09:50:00Z' });
    expect(containerd.data.log.split('\n').filter(Boolean)).toHaveLength(2);
    const none = await call(viewer, 'kubernetes_node_logs', { name: 'kind-control-plane', service: 'containerd' });
    expect(none.data).toMatchObject({ lineCount: 0, log: '' });
  });

  it('explains an unreachable kubelet and refuses a service name that is a path', async () => {
    const down = await call(viewer, 'kubernetes_node_logs', { name: 'kind-worker2' });
    expect(down.isError).toBe(true);
    expect(down.text).toContain('HTTP 503');
    expect(down.text).toContain('dial tcp 172.18.0.4:10250');
    const path = await viewer.callTool({ name: 'kubernetes_node_logs', arguments: { name: 'kind-worker', service: '../../etc/shadow' } }).then(
      (r) => r as { isError?: boolean },
      (e: unknown) => ({ isError: true, error: e }),
    );
    expect(path.isError).toBe(true);
  });

  it('is a read under the guard rails: allowed in dry-run mode, like the other reads', async () => {
    const dry = await serve({ guardRails: { dryRun: true } });
    const result = await call(dry, 'kubernetes_node_logs', { name: 'kind-control-plane' });
    expect(result.isError, result.text).toBe(false);
    expect(result.data.lineCount).toBe(2);
  });
});
