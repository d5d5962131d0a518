// Kinds in any case for the workload tools, events by field selector, and CronJobs run on demand: through a real
// MCP client with apikey auth and rbac, against the recorded Kubernetes API server.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { startTestKernel, type TestKernel } from '@cnmcp/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKubernetesApiServer, type KubernetesApiServer } from '../../../test/support/kubernetes-api/server.js';

const KEY = 'Kube-Workload-Key-042!';
let api: KubernetesApiServer;
let server: TestKernel;
let client: Client;

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
  api = await startKubernetesApiServer();
  const kubeconfig = await api.writeKubeconfig(mkdtempSync(join(tmpdir(), 'cnmcp-workload-')));
  server = await startTestKernel({
    config: {
      auth: [{ use: 'apikey', keys: [{ id: 'ops-bot', key: KEY, roles: ['operator'] }] }],
      authorization: { use: 'rbac', roles: { operator: { tools: ['kubernetes_*'] } } },
      toolPacks: [{ use: 'kubernetes', kubeconfig }],
    },
  });
  client = new Client({ name: 'workload-tools', version: '0' }, { versionNegotiation: { mode: { pin: '2026-07-28' } } });
  await client.connect(new StreamableHTTPClientTransport(server.url, { requestInit: { headers: { 'x-api-key': KEY } } }));
});

afterAll(async () => {
  await client?.close();
  await server?.close();
  await api?.close();
});

describe('workload tools', () => {
  it('take kind names in any case and by any name kubectl takes', async () => {
    for (const kind of ['Deployment', 'deployment', 'DEPLOYMENTS', 'deploy', 'Deploy']) {
      const scaled = await call('kubernetes_scale_workload', { kind, name: 'web', replicas: 2, dryRun: true });
      expect(scaled.isError, `${kind}: ${scaled.text}`).toBe(false);
      expect(scaled.data.kind).toBe('Deployment');
    }
    const rollout = await call('kubernetes_get_rollout_status', { kind: 'deployments.apps', name: 'web' });
    expect(rollout.data).toMatchObject({ kind: 'Deployment', done: true });
    const restart = await call('kubernetes_restart_workload', { kind: 'DEPLOY', name: 'web', dryRun: true });
    expect(restart.isError, restart.text).toBe(false);
    const wrong = await call('kubernetes_scale_workload', { kind: 'PODS', name: 'web', replicas: 2 });
    expect(wrong.isError).toBe(true);
    expect(wrong.text).toContain('The cluster serves no resource "PODS" in apps/v1');
  });

  it('selects events by field selector, combined with the other filters', async () => {
    const backoff = await call('kubernetes_list_events', { fieldSelector: 'reason=BackOff' });
    expect(backoff.isError, backoff.text).toBe(false);
    expect(backoff.data.events.map((e: { reason: string }) => e.reason)).toEqual(['BackOff']);
    const none = await call('kubernetes_list_events', { fieldSelector: 'reason=BackOff', type: 'Normal' });
    expect(none.data.events).toEqual([]);
    const query = api.requests.filter((r) => r.path.endsWith('/events')).at(-1)!.query;
    expect(query.fieldSelector).toBe('type=Normal,reason=BackOff');
  });

  it('runs a CronJob now as kubectl create job --from does: dry run first, then a Job owned by the CronJob', async () => {
    const rehearsal = await call('kubernetes_trigger_cronjob', { name: 'nightly-report', jobName: 'nightly-report-rehearsal', dryRun: true });
    expect(rehearsal.isError, rehearsal.text).toBe(false);
    expect(rehearsal.text).toContain('[dry run, nothing changed]');
    expect(api.store.get('batch', 'jobs', 'shop', 'nightly-report-rehearsal')).toBeUndefined();
    const run = await call('kubernetes_trigger_cronjob', { name: 'nightly-report', jobName: 'nightly-report-now' });
    expect(run.data).toMatchObject({ job: 'nightly-report-now', namespace: 'shop', cronJob: 'nightly-report', dryRun: false });
    const job = api.store.get('batch', 'jobs', 'shop', 'nightly-report-now')!;
    expect(job.metadata.annotations).toEqual({ 'cronjob.kubernetes.io/instantiate': 'manual' });
    expect(job.metadata.ownerReferences).toEqual([
      { apiVersion: 'batch/v1', kind: 'CronJob', name: 'nightly-report', uid: '0f3c2b8e-5d41-4c7a-9e62-1b7d9a4c3e58', controller: true },
    ]);
    expect((job.spec as { template: { spec: { containers: { image: string }[] } } }).template.spec.containers[0]!.image).toBe(
      'ghcr.io/example/shop-report:1.3.0',
    );
    const jobs = await call('kubernetes_list_resources_summary', { kind: 'jobs' });
    expect(jobs.data.items.map((j: { name: string; status: string }) => [j.name, j.status])).toEqual([
      ['nightly-report-29410680', 'Complete'],
      ['nightly-report-now', 'Running'],
    ]);
    const missing = await call('kubernetes_trigger_cronjob', { name: 'nope' });
    expect(missing.text).toContain('cronjobs.batch "nope" not found');
  });

  it('shows current CPU and memory of pods and nodes from metrics.k8s.io, heaviest first, as kubectl top', async () => {
    const pods = await call('kubernetes_top', { resource: 'pods' });
    expect(pods.isError, pods.text).toBe(false);
    expect(pods.data.namespace).toBe('shop');
    expect(pods.data.items.slice(0, 2)).toEqual([
      { name: 'worker-6b7f9d4c8-q9v2d', namespace: 'shop', cpuMillicores: 120, memoryBytes: 96 * 1024 * 1024 },
      { name: 'api-7c9d8b5f4-m5r8z', namespace: 'shop', cpuMillicores: 57, memoryBytes: 201 * 1024 * 1024 },
    ]);
    expect(pods.data.items).toHaveLength(6);
    const byMemory = await call('kubernetes_top', { resource: 'pods', allNamespaces: true, sortBy: 'memory', limit: 3 });
    expect(byMemory.data.items.map((p: { name: string }) => p.name)).toEqual(['api-7c9d8b5f4-m5r8z', 'worker-6b7f9d4c8-q9v2d', 'web-5d8f7c9b6d-wz7hp']);
    const nodes = await call('kubernetes_top', { resource: 'nodes' });
    expect(nodes.data.items.map((n: { name: string; cpuMillicores: number }) => [n.name, n.cpuMillicores])).toEqual([
      ['kind-control-plane', 182],
      ['kind-worker', 131],
      ['kind-worker2', 47],
    ]);
    expect(nodes.text).toContain('kind-control-plane  182m  1042Mi');
    expect(api.requests.filter((r) => r.path.startsWith('/apis/metrics.k8s.io/v1beta1/')).map((r) => r.path)).toEqual([
      '/apis/metrics.k8s.io/v1beta1/namespaces/shop/pods',
      '/apis/metrics.k8s.io/v1beta1/pods',
      '/apis/metrics.k8s.io/v1beta1/nodes',
    ]);
  });
});
