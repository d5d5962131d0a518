// The kubernetes pack as users run it: selected by `use: kubernetes`, behind apikey auth, rbac and the sanitizer,
// driven by the MCP SDK v2 client over Streamable HTTP, against the recorded Kubernetes API fixture server
// (test/support/kubernetes-api: recorded v1.31 responses, no real cluster can run here).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { startTestKernel, type TestKernel } from '@cnmcp/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKubernetesApiServer, type KubernetesApiServer } from '../../../test/support/kubernetes-api/server.js';

const OPERATOR_KEY = 'Kube-Operator-Key-042!';
const VIEWER_KEY = 'Kube-Viewer-Key-0042!';

const READ_TOOLS = [
  'kubernetes_check_permissions',
  'kubernetes_describe_resource',
  'kubernetes_get_pod_logs',
  'kubernetes_get_resource',
  'kubernetes_get_resource_summary',
  'kubernetes_get_rollout_status',
  'kubernetes_helm_list_releases',
  'kubernetes_helm_release_history',
  'kubernetes_helm_release_manifest',
  'kubernetes_helm_release_status',
  'kubernetes_helm_release_values',
  'kubernetes_list_api_resources',
  'kubernetes_list_events',
  'kubernetes_list_resources',
  'kubernetes_list_resources_summary',
  'kubernetes_list_unhealthy_resources',
  'kubernetes_node_conditions',
  'kubernetes_node_logs',
  'kubernetes_top',
];
const WRITE_TOOLS = [
  'kubernetes_apply_manifest',
  'kubernetes_cordon_node',
  'kubernetes_delete_resource',
  'kubernetes_patch_resource',
  'kubernetes_restart_workload',
  'kubernetes_scale_workload',
  'kubernetes_trigger_cronjob',
  'kubernetes_uncordon_node',
];

let api: KubernetesApiServer;
let kubeconfig: string;
let server: TestKernel;
let operator: Client;
let viewer: Client;

function kernelConfig(pack: Record<string, unknown>, authorization: Record<string, unknown> = {}) {
  return {
    auth: [
      {
        use: 'apikey',
        keys: [
          { id: 'ops-bot', key: OPERATOR_KEY, roles: ['operator'] },
          { id: 'viewer-bot', key: VIEWER_KEY, roles: ['viewer'] },
        ],
      },
    ],
    authorization: { use: 'rbac', roles: { operator: { tools: ['kubernetes_*'] }, viewer: { tools: ['kubernetes_*'], readOnly: true } }, ...authorization },
    sanitize: { use: 'injection-filter', mode: 'reject' },
    toolPacks: [{ use: 'kubernetes', ...pack }],
  };
}

async function connect(kernel: TestKernel, key: string): Promise<Client> {
  const client = new Client({ name: 'kubernetes-test', version: '0.0.0' }, { versionNegotiation: { mode: { pin: '2026-07-28' } } });
  await client.connect(new StreamableHTTPClientTransport(kernel.url, { requestInit: { headers: { 'x-api-key': key } } }));
  return client;
}

// Structured content is asserted field by field against what the fixture holds; typing every tool's output here
// would repeat the output schemas the first test checks.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Structured = Record<string, any>;

interface Result {
  isError: boolean;
  text: string;
  data: Structured;
}

async function call(client: Client, name: string, args: Record<string, unknown> = {}): Promise<Result> {
  const result = (await client.callTool({ name, arguments: args })) as {
    isError?: boolean;
    content: { type: string; text?: string }[];
    structuredContent?: Record<string, unknown>;
  };
  return {
    isError: result.isError === true,
    text: result.content.map((c) => c.text ?? '').join('\n'),
    data: (result.structuredContent ?? {}) as Structured,
  };
}

async function rpcError(request: Promise<unknown>): Promise<{ code: unknown; message: string }> {
  const error = await request.then(
    () => undefined,
    (e: unknown) => e as { code?: unknown; message?: string },
  );
  if (!error) throw new Error('expected a JSON-RPC error, but the call succeeded');
  return { code: error.code, message: String(error.message) };
}

beforeAll(async () => {
  api = await startKubernetesApiServer();
  kubeconfig = await api.writeKubeconfig(mkdtempSync(join(tmpdir(), 'cnmcp-kube-')));
  server = await startTestKernel({ config: kernelConfig({ kubeconfig }) });
  operator = await connect(server, OPERATOR_KEY);
  viewer = await connect(server, VIEWER_KEY);
});

afterAll(async () => {
  await operator?.close();
  await viewer?.close();
  await server?.close();
  await api?.close();
});

describe('kubernetes pack against the recorded Kubernetes API fixture server', () => {
  it('lists every tool with annotations that say what it does and an output schema', async () => {
    const tools = (await operator.listTools()).tools;
    expect(tools.map((t) => t.name).sort()).toEqual([...READ_TOOLS, ...WRITE_TOOLS].sort());
    for (const tool of tools) {
      const writes = WRITE_TOOLS.includes(tool.name);
      expect(tool.annotations?.readOnlyHint, tool.name).toBe(!writes);
      if (writes && !['kubernetes_uncordon_node', 'kubernetes_trigger_cronjob'].includes(tool.name))
        expect(tool.annotations?.destructiveHint, tool.name).toBe(true);
      expect(tool.outputSchema, tool.name).toBeDefined();
    }
    const list = tools.find((t) => t.name === 'kubernetes_list_resources')!;
    expect((list.inputSchema.properties as Record<string, Record<string, unknown>>).namespace!['x-cnmcp-sanitize']).toBe('identifier');
    expect((list.inputSchema.properties as Record<string, Record<string, unknown>>).limit).toMatchObject({ default: 50, maximum: 500 });
  });

  it('lists pods as summaries, paged with limit and continue until the list is complete', async () => {
    const first = await call(operator, 'kubernetes_list_resources_summary', { kind: 'pods', namespace: 'shop', limit: 4 });
    expect(first.isError).toBe(false);
    expect(first.data.items).toHaveLength(4);
    expect(first.data.remainingItemCount).toBe(2);
    expect(first.text).toContain('2 more remain');
    const second = await call(operator, 'kubernetes_list_resources_summary', { kind: 'po', namespace: 'shop', limit: 4, continue: first.data.continue });
    expect(second.data.continue).toBeUndefined();
    expect(second.text).toContain('this is the complete list');
    const rows = [...first.data.items, ...second.data.items];
    expect(rows.map((r: { name: string }) => r.name)).toEqual([
      'api-7c9d8b5f4-m5r8z',
      'api-7c9d8b5f4-x2k8p',
      'web-5d8f7c9b6d-4kq2x',
      'web-5d8f7c9b6d-9txlm',
      'web-5d8f7c9b6d-wz7hp',
      'worker-6b7f9d4c8-q9v2d',
    ]);
    expect(rows.find((r: { name: string }) => r.name === 'api-7c9d8b5f4-x2k8p')).toMatchObject({
      status: 'CrashLoopBackOff',
      ready: '0/1',
      restarts: 7,
      node: 'kind-worker',
    });
    expect(api.requests.filter((r) => r.path === '/api/v1/namespaces/shop/pods').map((r) => r.query.limit)).toEqual(['4', '4']);
  });

  it('filters with label and field selectors and lists across namespaces', async () => {
    const web = await call(operator, 'kubernetes_list_resources_summary', {
      kind: 'Pod',
      labelSelector: 'app in (web)',
      fieldSelector: 'status.phase=Running',
    });
    expect(web.data.items.map((r: { name: string }) => r.name)).toEqual(['web-5d8f7c9b6d-4kq2x', 'web-5d8f7c9b6d-9txlm', 'web-5d8f7c9b6d-wz7hp']);
    const everywhere = await call(operator, 'kubernetes_list_resources_summary', { kind: 'deployments.apps', allNamespaces: true });
    expect(everywhere.data.items.map((r: { namespace: string; name: string }) => `${r.namespace}/${r.name}`)).toEqual([
      'kube-system/coredns',
      'shop/api',
      'shop/web',
      'shop/worker',
    ]);
    const nodes = await call(operator, 'kubernetes_list_resources_summary', { kind: 'nodes' });
    expect(nodes.data.items.map((r: { status: string }) => r.status)).toEqual(['Ready', 'Ready', 'NotReady']);
  });

  it('gets full objects without managedFields, and summaries', async () => {
    const ns = await call(operator, 'kubernetes_get_resource', { kind: 'Namespace', name: 'shop' });
    expect(ns.data.object).toMatchObject({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'shop', labels: { team: 'storefront' } },
      status: { phase: 'Active' },
    });
    expect(ns.data.object.metadata.managedFields).toBeUndefined();
    const deploy = await call(operator, 'kubernetes_get_resource_summary', { kind: 'deploy', name: 'web', namespace: 'shop' });
    expect(deploy.data.object).toMatchObject({ kind: 'Deployment', name: 'web', ready: '3/3', available: 3 });
  });

  it('describes a pod with the events about it, newest first', async () => {
    const described = await call(operator, 'kubernetes_describe_resource', { kind: 'pod', name: 'api-7c9d8b5f4-x2k8p' });
    expect(described.isError).toBe(false);
    expect(described.data.events.map((e: { reason: string }) => e.reason)).toEqual(['BackOff', 'Pulled', 'Scheduled']);
    expect(described.text).toContain('Back-off restarting failed container api');
    expect(described.data.summary).toMatchObject({ status: 'CrashLoopBackOff' });
  });

  it('tails pod logs with a line cap, the previous container, and sinceSeconds; says when lines were left out', async () => {
    const tail = await call(operator, 'kubernetes_get_pod_logs', { name: 'web-5d8f7c9b6d-4kq2x', tailLines: 3 });
    expect(tail.data).toMatchObject({ lineCount: 3, truncated: true });
    expect(tail.data.log.split('\n')[0]).toContain('GET /products/137');
    expect(tail.text).toContain('only the last 3 lines were requested');
    const previous = await call(operator, 'kubernetes_get_pod_logs', { name: 'api-7c9d8b5f4-x2k8p', container: 'api', previous: true, timestamps: true });
    expect(previous.data).toMatchObject({ previous: true, lineCount: 4, truncated: false });
    expect(previous.data.log).toMatch(/^2026-12-01T09:51:04\.201883Z \{"level":"info","msg":"starting shop-api"/);
    // The fixture's clock is 10:00:00; the web log has a line every 30 s up to 09:57:30, six of them after 09:55:00.
    const recent = await call(operator, 'kubernetes_get_pod_logs', { name: 'web-5d8f7c9b6d-4kq2x', sinceSeconds: 300 });
    expect(recent.data.lineCount).toBe(6);
    expect(api.requests.filter((r) => r.path.endsWith('/log')).at(-1)?.query).toMatchObject({ sinceSeconds: '300', tailLines: '200', limitBytes: '262144' });
  });

  it('turns the log refusals of the API server into clear tool errors', async () => {
    const unscheduled = await call(operator, 'kubernetes_get_pod_logs', { name: 'worker-6b7f9d4c8-q9v2d' });
    expect(unscheduled.isError).toBe(true);
    expect(unscheduled.text).toContain('HTTP 400 BadRequest');
    expect(unscheduled.text).toContain('does not have a host assigned');
    const noPrevious = await call(operator, 'kubernetes_get_pod_logs', { name: 'web-5d8f7c9b6d-4kq2x', previous: true });
    expect(noPrevious.text).toContain('previous terminated container "web" in pod "web-5d8f7c9b6d-4kq2x" not found');
  });

  it('lists warning events of a namespace', async () => {
    const warnings = await call(operator, 'kubernetes_list_events', { namespace: 'shop', type: 'Warning' });
    expect(warnings.data.events.map((e: { reason: string }) => e.reason)).toEqual(['BackOff', 'FailedScheduling']);
  });

  it('finds the unhealthy resources of a namespace and, when asked, of the nodes', async () => {
    const found = await call(operator, 'kubernetes_list_unhealthy_resources', { namespace: 'shop', includeNodes: true });
    const names = found.data.unhealthy.map((u: { kind: string; name: string }) => `${u.kind}/${u.name}`);
    expect(names).toEqual(['Pod/api-7c9d8b5f4-x2k8p', 'Pod/worker-6b7f9d4c8-q9v2d', 'Deployment/api', 'Deployment/worker', 'Node/kind-worker2']);
    expect(found.text).toContain('CrashLoopBackOff');
    expect(found.text).toContain('not scheduled');
    expect(found.text).toContain('ProgressDeadlineExceeded');
    expect(found.data.checked).toMatchObject({ Pod: 6, Deployment: 3, Node: 3 });
  });

  it('reports rollout status as kubectl rollout status decides it', async () => {
    expect((await call(operator, 'kubernetes_get_rollout_status', { kind: 'Deployment', name: 'web' })).data).toMatchObject({
      done: true,
      message: 'deployment "web" successfully rolled out',
    });
    expect((await call(operator, 'kubernetes_get_rollout_status', { kind: 'Deployment', name: 'worker' })).data).toMatchObject({ done: false, failed: true });
    expect((await call(operator, 'kubernetes_get_rollout_status', { kind: 'Deployment', name: 'api' })).text).toContain(
      '1 of 2 updated replicas are available',
    );
  });

  it('discovers API resources and checks its own permissions with SelfSubjectAccessReview', async () => {
    const resources = await call(operator, 'kubernetes_list_api_resources', { group: 'apps' });
    expect(resources.data.resources.find((r: { name: string }) => r.name === 'deployments')).toMatchObject({
      kind: 'Deployment',
      apiVersion: 'apps/v1',
      shortNames: ['deploy'],
      namespaced: true,
    });
    expect((await call(operator, 'kubernetes_check_permissions', { verb: 'delete', resource: 'pods' })).data).toMatchObject({
      allowed: true,
      namespace: 'shop',
      group: '',
    });
    const denied = await call(operator, 'kubernetes_check_permissions', { verb: 'delete', resource: 'deploy', namespace: 'shop' });
    expect(denied.data).toMatchObject({ allowed: false, resource: 'deployments', group: 'apps' });
    expect(denied.text).toMatch(/^no: delete deployments\.apps in namespace shop/);
  });

  it('reports 404, 403 and unknown kinds as tool errors that say what to check', async () => {
    const missing = await call(operator, 'kubernetes_get_resource', { kind: 'pods', name: 'nope' });
    expect(missing).toMatchObject({ isError: true });
    expect(missing.text).toContain('HTTP 404 NotFound): pods "nope" not found');
    const forbidden = await call(operator, 'kubernetes_delete_resource', { kind: 'deployments', name: 'web' });
    expect(forbidden.text).toContain('HTTP 403 Forbidden');
    expect(forbidden.text).toContain('cannot delete resource "deployments"');
    expect(forbidden.text).toContain('kubernetes_check_permissions');
    const unknown = await call(operator, 'kubernetes_list_resources', { kind: 'Widget' });
    expect(unknown.text).toContain('serves no resource "Widget"');
  });

  it('scales through the scale subresource, with server-side dry run first', async () => {
    const dry = await call(operator, 'kubernetes_scale_workload', { kind: 'Deployment', name: 'web', replicas: 5, dryRun: true });
    expect(dry.data).toMatchObject({ previousReplicas: 3, replicas: 5, dryRun: true });
    expect((api.store.get('apps', 'deployments', 'shop', 'web')?.spec as { replicas: number }).replicas).toBe(3);
    expect(api.requests.at(-1)).toMatchObject({
      method: 'PATCH',
      path: '/apis/apps/v1/namespaces/shop/deployments/web/scale',
      query: { dryRun: 'All' },
      contentType: 'application/merge-patch+json',
    });
    const done = await call(operator, 'kubernetes_scale_workload', { kind: 'Deployment', name: 'web', replicas: 5 });
    expect(done.text).toContain('scaled from 3 to 5 replicas');
    expect((api.store.get('apps', 'deployments', 'shop', 'web')?.spec as { replicas: number }).replicas).toBe(5);
  });

  it('restarts a workload as kubectl rollout restart does, and the rollout waits for the controller', async () => {
    const before = Number(api.store.get('apps', 'deployments', 'shop', 'api')?.metadata.generation);
    const restarted = await call(operator, 'kubernetes_restart_workload', { kind: 'Deployment', name: 'api' });
    expect(restarted.data.generation).toBe(before + 1);
    const stored = api.store.get('apps', 'deployments', 'shop', 'api') as unknown as {
      spec: { template: { metadata: { annotations: Record<string, string> } } };
    };
    expect(stored.spec.template.metadata.annotations['kubectl.kubernetes.io/restartedAt']).toBe(restarted.data.restartedAt);
    expect((await call(operator, 'kubernetes_get_rollout_status', { kind: 'Deployment', name: 'api' })).text).toContain(
      'Waiting for deployment spec update to be observed',
    );
  });

  it('applies a multi-document manifest with server-side apply, dry run first', async () => {
    const manifest = [
      'apiVersion: v1',
      'kind: ConfigMap',
      'metadata: {name: shop-settings}',
      'data: {currency: EUR}',
      '---',
      'apiVersion: v1',
      'kind: ConfigMap',
      'metadata: {name: shop-flags}',
      'data: {beta: "true"}',
    ].join('\n');
    const dry = await call(operator, 'kubernetes_apply_manifest', { manifest, dryRun: true });
    expect(dry.data.applied).toHaveLength(2);
    expect(api.store.get('', 'configmaps', 'shop', 'shop-settings')).toBeUndefined();
    const applied = await call(operator, 'kubernetes_apply_manifest', { manifest });
    expect(applied.text).toContain('ConfigMap shop/shop-settings applied');
    expect(api.store.get('', 'configmaps', 'shop', 'shop-flags')?.data).toEqual({ beta: 'true' });
    expect(api.requests.filter((r) => r.contentType === 'application/apply-patch+yaml').at(-1)?.query).toMatchObject({ fieldManager: 'cnmcp' });
  });

  it('stops an apply at the first refused object and says what was applied', async () => {
    const manifest = [
      'apiVersion: v1',
      'kind: ConfigMap',
      'metadata: {name: applied-first}',
      '---',
      'apiVersion: v1',
      'kind: ConfigMap',
      'metadata: {name: refused, namespace: default}',
    ].join('\n');
    const result = await call(operator, 'kubernetes_apply_manifest', { manifest });
    expect(result.isError).toBe(true);
    expect(result.text).toContain('HTTP 403 Forbidden');
    expect(result.text).toContain('Applied before the failure: ConfigMap shop/applied-first');
  });

  it('patches with merge, strategic and JSON patches; a stale resourceVersion is a 409 conflict', async () => {
    const merged = await call(operator, 'kubernetes_patch_resource', {
      kind: 'deployment',
      name: 'web',
      patch: JSON.stringify({ metadata: { labels: { tier: 'frontend' } } }),
    });
    expect(merged.data.object.metadata.labels).toEqual({ app: 'web', tier: 'frontend' });
    const strategic = await call(operator, 'kubernetes_patch_resource', {
      kind: 'deployment',
      name: 'web',
      type: 'strategic',
      patch: JSON.stringify({ spec: { template: { spec: { containers: [{ name: 'web', image: 'nginx:1.27.3' }] } } } }),
    });
    expect(strategic.data.object.spec.template.spec.containers).toEqual([
      expect.objectContaining({ name: 'web', image: 'nginx:1.27.3', imagePullPolicy: 'IfNotPresent' }),
    ]);
    const json = await call(operator, 'kubernetes_patch_resource', {
      kind: 'deployment',
      name: 'web',
      type: 'json',
      patch: JSON.stringify([{ op: 'replace', path: '/spec/replicas', value: 2 }]),
    });
    expect(json.data.object.spec.replicas).toBe(2);
    const stale = await call(operator, 'kubernetes_patch_resource', {
      kind: 'deployment',
      name: 'web',
      patch: JSON.stringify({ metadata: { resourceVersion: '1' }, spec: { replicas: 9 } }),
    });
    expect(stale.isError).toBe(true);
    expect(stale.text).toContain('HTTP 409 Conflict');
    expect(stale.text).toContain('the object has been modified');
    const notJson = await call(operator, 'kubernetes_patch_resource', { kind: 'deployment', name: 'web', patch: '{spec: 1}' });
    expect(notJson.text).toContain('patch is not valid JSON');
  });

  it('deletes one object, dry run first; a forbidden delete stays a tool error', async () => {
    const dry = await call(operator, 'kubernetes_delete_resource', { kind: 'pod', name: 'web-5d8f7c9b6d-9txlm', dryRun: true });
    expect(dry.data).toMatchObject({ dryRun: true, pending: true });
    expect(api.store.get('', 'pods', 'shop', 'web-5d8f7c9b6d-9txlm')).toBeDefined();
    const deleted = await call(operator, 'kubernetes_delete_resource', { kind: 'pod', name: 'web-5d8f7c9b6d-9txlm' });
    expect(deleted.text).toContain('deletion started');
    expect(api.store.get('', 'pods', 'shop', 'web-5d8f7c9b6d-9txlm')).toBeUndefined();
    const cm = await call(operator, 'kubernetes_delete_resource', { kind: 'configmap', name: 'shop-flags' });
    expect(cm.data).toMatchObject({ pending: false });
    const forbidden = await call(operator, 'kubernetes_delete_resource', { kind: 'deployment', name: 'web' });
    expect(forbidden.text).toContain('deployments.apps "web" is forbidden');
  });

  it('cordons and uncordons a node, and says when nothing changed', async () => {
    expect((await call(operator, 'kubernetes_cordon_node', { name: 'kind-worker' })).text).toBe('node/kind-worker cordoned');
    expect((api.store.get('', 'nodes', undefined, 'kind-worker')?.spec as { unschedulable?: boolean }).unschedulable).toBe(true);
    expect((await call(operator, 'kubernetes_cordon_node', { name: 'kind-worker' })).data).toMatchObject({ changed: false });
    expect((await call(operator, 'kubernetes_uncordon_node', { name: 'kind-worker' })).text).toBe('node/kind-worker uncordoned');
    expect((api.store.get('', 'nodes', undefined, 'kind-worker')?.spec as { unschedulable?: boolean }).unschedulable).toBeUndefined();
  });

  it('rejects a namespace that is not a Kubernetes name before any backend call', async () => {
    const before = api.requests.length;
    const refused = await operator.callTool({ name: 'kubernetes_list_resources', arguments: { kind: 'pods', namespace: '../secrets' } });
    expect(refused).toMatchObject({ isError: true, content: [{ type: 'text', text: expect.stringContaining('/namespace') }] });
    expect(api.requests.length).toBe(before);
  });

  it('shows a read-only role only the read tools and refuses every write tool', async () => {
    expect((await viewer.listTools()).tools.map((t) => t.name).sort()).toEqual(READ_TOOLS);
    for (const name of WRITE_TOOLS) {
      const denied = await rpcError(viewer.callTool({ name, arguments: { kind: 'Deployment', name: 'web', replicas: 1, manifest: 'x', patch: '{}' } }));
      expect(denied.code, name).toBe(-32003);
    }
    expect((await call(viewer, 'kubernetes_get_resource_summary', { kind: 'deploy', name: 'web' })).isError).toBe(false);
  });
});

describe('kubernetes pack in a read-only server, against the recorded Kubernetes API fixture server', () => {
  it('hides and denies every destructive tool of the pack, even for the operator role', async () => {
    const kernel = await startTestKernel({ config: kernelConfig({ kubeconfig }, { readOnly: true }) });
    const client = await connect(kernel, OPERATOR_KEY);
    try {
      expect((await client.listTools()).tools.map((t) => t.name).sort()).toEqual(READ_TOOLS);
      const writes = api.requests.filter((r) => r.method !== 'GET').length;
      for (const name of WRITE_TOOLS) expect((await rpcError(client.callTool({ name, arguments: { name: 'kind-worker' } }))).code, name).toBe(-32003);
      expect(api.requests.filter((r) => r.method !== 'GET').length).toBe(writes);
    } finally {
      await client.close();
      await kernel.close();
    }
  });
});

describe('kubernetes pack backend failures, against the recorded Kubernetes API fixture server', () => {
  it('says the credentials were rejected when the context has a revoked token', async () => {
    const kernel = await startTestKernel({ config: kernelConfig({ kubeconfig, context: 'stale' }) });
    const client = await connect(kernel, OPERATOR_KEY);
    try {
      const result = await call(client, 'kubernetes_list_resources_summary', { kind: 'pods' });
      expect(result.isError).toBe(true);
      expect(result.text).toContain('HTTP 401 Unauthorized');
      expect(result.text).toContain("rejected the pack's credentials");
      expect(result.text).not.toContain('revoked-token');
    } finally {
      await client.close();
      await kernel.close();
    }
  });

  it('says the API server is unreachable when nothing listens at its address', async () => {
    const gone = await startKubernetesApiServer();
    const config = await gone.writeKubeconfig(mkdtempSync(join(tmpdir(), 'cnmcp-kube-gone-')));
    await gone.close();
    const kernel = await startTestKernel({ config: kernelConfig({ kubeconfig: config }) });
    const client = await connect(kernel, OPERATOR_KEY);
    try {
      const result = await call(client, 'kubernetes_get_resource', { kind: 'pods', name: 'x' });
      expect(result.isError).toBe(true);
      expect(result.text).toContain(`Could not reach the Kubernetes API at ${gone.url}`);
      expect(result.text).toContain('ECONNREFUSED');
    } finally {
      await client.close();
      await kernel.close();
    }
  });

  it('enforces requestTimeoutMs on a hung API server and says so', async () => {
    const hung = await startKubernetesApiServer();
    const config = await hung.writeKubeconfig(mkdtempSync(join(tmpdir(), 'cnmcp-kube-hung-')));
    hung.stall('/api/v1/namespaces/shop/pods');
    const kernel = await startTestKernel({ config: kernelConfig({ kubeconfig: config, requestTimeoutMs: 500 }) });
    const client = await connect(kernel, OPERATOR_KEY);
    try {
      const result = await call(client, 'kubernetes_list_resources_summary', { kind: 'pods', namespace: 'shop' });
      expect(result.isError).toBe(true);
      expect(result.text).toContain('did not answer in time to list pods in namespace "shop" (limit 500 ms');
    } finally {
      await client.close();
      await kernel.close();
      await hung.close();
    }
  });

  it('refuses to start without a backend, with an unknown context, or with both sources', async () => {
    await expect(startTestKernel({ config: kernelConfig({}) })).rejects.toThrow(/set kubeconfig \(a file path\) or inCluster: true/);
    await expect(startTestKernel({ config: kernelConfig({ kubeconfig, context: 'prod' }) })).rejects.toThrow(
      /has no context "prod" \(it has: fixture, stale\)/,
    );
    await expect(startTestKernel({ config: kernelConfig({ kubeconfig, inCluster: true }) })).rejects.toThrow(/either kubeconfig or inCluster/);
  });
});
