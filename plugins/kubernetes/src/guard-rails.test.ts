// Attacks on the pack's guard rails, as a model (or whoever steers it) would try them: through a real MCP client
// with apikey auth and rbac, against the recorded Kubernetes API server, whose own RBAC would allow much of what is
// tried here. Each refusal must come from the pack, before any request reaches the API server.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { startTestKernel, type TestKernel } from '@cnmcp/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectLegacyHttp, textsOf, type ClientAnswers, type E2eClient } from '../../../test/support/clients.js';
import { startKubernetesApiServer, type KubernetesApiServer } from '../../../test/support/kubernetes-api/server.js';

const OPERATOR_KEY = 'Kube-Operator-Key-042!';

let api: KubernetesApiServer;
let kubeconfig: string;
const kernels: TestKernel[] = [];
const clients: Client[] = [];

async function serve(guardRails: Record<string, unknown>, server: Record<string, unknown> = {}): Promise<Client> {
  const kernel = await startTestKernel({
    config: {
      server,
      auth: [{ use: 'apikey', keys: [{ id: 'ops-bot', key: OPERATOR_KEY, roles: ['operator'] }] }],
      authorization: { use: 'rbac', roles: { operator: { tools: ['kubernetes_*'] } } },
      sanitize: { use: 'injection-filter', mode: 'reject' },
      toolPacks: [{ use: 'kubernetes', kubeconfig, guardRails }],
    },
  });
  kernels.push(kernel);
  const client = new Client({ name: 'guard-rails-attack', version: '0.0.0' }, { versionNegotiation: { mode: { pin: '2026-07-28' } } });
  await client.connect(new StreamableHTTPClientTransport(kernel.url, { requestInit: { headers: { 'x-api-key': OPERATOR_KEY } } }));
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

type Reached = (request: KubernetesApiServer['requests'][number]) => boolean;

/** Runs an attack and asserts the pack refused it and that no request it must not send reached the API server. */
async function refused(client: Client, name: string, args: Record<string, unknown>, forbidden: RegExp | Reached, rule: RegExp): Promise<void> {
  const before = api.requests.length;
  const result = await call(client, name, args);
  expect(result.isError, `${name} ${JSON.stringify(args)}: ${result.text}`).toBe(true);
  expect(result.text).toContain('Refused by the guard rails');
  expect(result.text).toMatch(rule);
  const reached = api.requests.slice(before).filter(typeof forbidden === 'function' ? forbidden : (r) => forbidden.test(r.path));
  expect(reached, `${name} ${JSON.stringify(args)} reached the API server`).toEqual([]);
}

/** A 2025-11-25 session client with the operator's key that answers elicitation as told (or declares none). */
async function sessionOperator(kernel: TestKernel, answers: ClientAnswers): Promise<E2eClient> {
  const withKey: typeof globalThis.fetch = (input, init) => {
    const headers = new Headers(init?.headers);
    headers.set('x-api-key', OPERATOR_KEY);
    return globalThis.fetch(input, { ...init, headers });
  };
  return connectLegacyHttp(kernel.url, { ...answers, fetch: withKey });
}

let protectedShop: Client;
let deniedKube: Client;
let allowedShop: Client;

beforeAll(async () => {
  api = await startKubernetesApiServer();
  kubeconfig = await api.writeKubeconfig(mkdtempSync(join(tmpdir(), 'cnmcp-guard-')));
  // The fixture's RBAC lets the pack write in `shop`: only the guard rails stand between these calls and the store.
  protectedShop = await serve({ protectedNamespaces: ['shop'], deniedKinds: ['ConfigMap'] });
  deniedKube = await serve({ deniedNamespaces: ['default', 'kube-*'] });
  allowedShop = await serve({ allowedNamespaces: ['shop'], dryRun: true });
});

afterAll(async () => {
  for (const client of clients) await client.close();
  for (const kernel of kernels) await kernel.close();
  await api?.close();
});

describe('protected namespaces are read-only whatever the role', () => {
  // Reads before the write (a scale reads the current replicas first) are allowed: only writes must not leave.
  const writes: Reached = (r) => r.method !== 'GET';

  it('refuses every write into a protected namespace by every tool, and still reads it', async () => {
    const rule = /namespace "(shop|kube-system)" is protected/;
    const writeRequests = () => api.requests.filter((r) => r.method !== 'GET');
    const writesBefore = writeRequests().length;
    await refused(protectedShop, 'kubernetes_scale_workload', { kind: 'Deployment', name: 'web', namespace: 'shop', replicas: 0 }, writes, rule);
    // No namespace: the context's default (shop) is protected too.
    await refused(protectedShop, 'kubernetes_scale_workload', { kind: 'Deployment', name: 'web', replicas: 0 }, writes, rule);
    await refused(protectedShop, 'kubernetes_restart_workload', { kind: 'Deployment', name: 'coredns', namespace: 'kube-system' }, writes, rule);
    await refused(
      protectedShop,
      'kubernetes_patch_resource',
      { kind: 'deploy', name: 'web', namespace: 'shop', patch: '{"spec":{"replicas":0}}' },
      writes,
      rule,
    );
    await refused(protectedShop, 'kubernetes_delete_resource', { kind: 'pods', name: 'web-5d8f7c9b6d-4kq2x' }, writes, rule);
    // Running a CronJob now creates a Job: a write, though not a destructive one.
    await refused(protectedShop, 'kubernetes_trigger_cronjob', { name: 'nightly-report' }, writes, rule);
    await refused(protectedShop, 'kubernetes_trigger_cronjob', { name: 'nightly-report', dryRun: true }, writes, rule);
    const manifest = 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: shop}\nspec: {replicas: 0}';
    await refused(protectedShop, 'kubernetes_apply_manifest', { manifest }, writes, rule);
    // The Namespace object itself, by any spelling of its kind.
    for (const kind of ['Namespace', 'NAMESPACES', 'ns', 'namespace']) {
      await refused(protectedShop, 'kubernetes_delete_resource', { kind, name: 'kube-system' }, writes, rule);
      await refused(protectedShop, 'kubernetes_patch_resource', { kind, name: 'shop', patch: '{"metadata":{"labels":{"x":"y"}}}' }, writes, rule);
    }
    await refused(
      protectedShop,
      'kubernetes_apply_manifest',
      { manifest: 'apiVersion: v1\nkind: Namespace\nmetadata: {name: kube-system, labels: {x: y}}' },
      writes,
      rule,
    );
    // Even a dry run is a write request: refused as well.
    await refused(protectedShop, 'kubernetes_scale_workload', { kind: 'Deployment', name: 'web', replicas: 5, dryRun: true }, writes, rule);
    expect(writeRequests().length).toBe(writesBefore);
    expect((api.store.get('apps', 'deployments', 'shop', 'web')?.spec as { replicas: number }).replicas).toBe(3);

    const read = await call(protectedShop, 'kubernetes_list_resources_summary', { kind: 'pods', namespace: 'shop' });
    expect(read.isError).toBe(false);
    expect(read.data.items).toHaveLength(6);
    const system = await call(protectedShop, 'kubernetes_get_resource_summary', { kind: 'Deployment', name: 'coredns', namespace: 'kube-system' });
    expect(system.isError).toBe(false);
  });

  it('states the rule in the descriptions of write tools only', async () => {
    const tools = (await protectedShop.listTools()).tools;
    const scale = tools.find((t) => t.name === 'kubernetes_scale_workload')!;
    expect(scale.description).toContain('namespaces kube-system, kube-public, kube-node-lease, shop are read-only');
    const list = tools.find((t) => t.name === 'kubernetes_list_resources')!;
    expect(list.description).not.toContain('read-only');
    expect(list.description).toContain('denied kinds: configmap, secrets');
  });
});

describe('denied kinds and Secrets', () => {
  // The fixture's RBAC lets the pack list, create, update and delete Secrets in `cnmcp`.
  const secretPaths = /\/secrets($|\/)/;

  it('refuses Secrets by default by every spelling and every tool, before the API server sees a request', async () => {
    const rule = /Secrets are unreadable unless the pack is configured with `secrets: metadata`/;
    for (const kind of ['secrets', 'Secret', 'SECRETS', 'sEcReT', 'secret', 'secrets.']) {
      if (kind === 'secrets.') continue; // not a kind name: the input schema refuses it before the tool runs
      await refused(protectedShop, 'kubernetes_list_resources', { kind, namespace: 'cnmcp' }, secretPaths, rule);
    }
    await refused(protectedShop, 'kubernetes_list_resources', { kind: 'Secret', allNamespaces: true, labelSelector: 'owner=helm' }, secretPaths, rule);
    await refused(protectedShop, 'kubernetes_list_resources_summary', { kind: 'secrets', fieldSelector: 'type=Opaque', namespace: 'cnmcp' }, secretPaths, rule);
    await refused(protectedShop, 'kubernetes_get_resource', { kind: 'Secret', name: 'db', namespace: 'cnmcp' }, secretPaths, rule);
    await refused(protectedShop, 'kubernetes_describe_resource', { kind: 'Secret', name: 'db', namespace: 'cnmcp', apiVersion: 'v1' }, secretPaths, rule);
    await refused(protectedShop, 'kubernetes_delete_resource', { kind: 'Secret', name: 'db', namespace: 'cnmcp' }, secretPaths, rule);
    await refused(
      protectedShop,
      'kubernetes_apply_manifest',
      { manifest: 'apiVersion: v1\nkind: Secret\nmetadata: {name: planted, namespace: cnmcp}\nstringData: {token: x}' },
      secretPaths,
      rule,
    );
    expect(api.store.list('', 'secrets', 'cnmcp')).toEqual([]);
  });

  it('refuses a configured denied kind by its kind, plural, short name and in any case', async () => {
    const rule = /the kind is in deniedKinds \("configmap"\)/;
    for (const kind of ['ConfigMap', 'configmaps', 'cm', 'CONFIGMAPS', 'CM', 'configmap']) {
      await refused(protectedShop, 'kubernetes_list_resources', { kind, namespace: 'shop' }, /\/configmaps/, rule);
    }
    await refused(
      protectedShop,
      'kubernetes_apply_manifest',
      { manifest: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: planted, namespace: default}\ndata: {a: b}' },
      /\/configmaps/,
      rule,
    );
  });
});

describe('denied and allowed namespaces', () => {
  it('refuses a denied namespace by name, by prefix and by the Namespace object', async () => {
    const rule = /namespace "(default|kube-system)" is denied/;
    const inDenied = /\/namespaces\/(default|kube-system)($|\/)/;
    await refused(deniedKube, 'kubernetes_get_resource', { kind: 'Service', name: 'kubernetes', namespace: 'default' }, inDenied, rule);
    await refused(deniedKube, 'kubernetes_describe_resource', { kind: 'pods', name: 'coredns-7c65d6cfc9-lh4tk', namespace: 'kube-system' }, inDenied, rule);
    await refused(deniedKube, 'kubernetes_get_pod_logs', { name: 'coredns-7c65d6cfc9-lh4tk', namespace: 'kube-system' }, inDenied, rule);
    await refused(deniedKube, 'kubernetes_list_events', { namespace: 'default' }, inDenied, rule);
    await refused(deniedKube, 'kubernetes_list_unhealthy_resources', { namespace: 'kube-system' }, inDenied, rule);
    await refused(deniedKube, 'kubernetes_get_resource', { kind: 'Namespace', name: 'kube-system' }, inDenied, rule);
    await refused(deniedKube, 'kubernetes_get_rollout_status', { kind: 'Deployment', name: 'coredns', namespace: 'kube-system' }, inDenied, rule);
  });

  it('leaves denied namespaces out of lists across namespaces, whatever the selector, and says so', async () => {
    const pods = await call(deniedKube, 'kubernetes_list_resources_summary', { kind: 'pods', allNamespaces: true });
    expect(pods.data.items.map((p: { namespace: string }) => p.namespace)).toEqual(Array(6).fill('shop'));
    expect(pods.text).toContain('1 object(s) in namespaces the guard rails close were left out');
    const bySelector = await call(deniedKube, 'kubernetes_list_resources', { kind: 'pods', allNamespaces: true, labelSelector: 'k8s-app=kube-dns' });
    expect(bySelector.data.items).toEqual([]);
    const byField = await call(deniedKube, 'kubernetes_list_resources', {
      kind: 'deployments',
      allNamespaces: true,
      fieldSelector: 'metadata.namespace=kube-system',
    });
    expect(byField.data.items).toEqual([]);
    const services = await call(deniedKube, 'kubernetes_list_resources_summary', { kind: 'svc', allNamespaces: true });
    expect(services.data.items.map((s: { name: string }) => s.name)).toEqual(['web']);
    const namespaces = await call(deniedKube, 'kubernetes_list_resources_summary', { kind: 'namespaces' });
    expect(namespaces.data.items.map((n: { name: string }) => n.name)).toEqual(['shop']);
    const events = await call(deniedKube, 'kubernetes_list_events', { allNamespaces: true });
    expect(events.data.events.every((e: { namespace: string }) => e.namespace === 'shop')).toBe(true);
    expect(events.data.events).toHaveLength(5);
  });

  it('reaches only the allowed namespaces', async () => {
    const rule = /namespace "kube-system" is not in allowedNamespaces \(shop\)/;
    await refused(allowedShop, 'kubernetes_get_resource', { kind: 'Deployment', name: 'coredns', namespace: 'kube-system' }, /kube-system/, rule);
    const pods = await call(allowedShop, 'kubernetes_list_resources_summary', { kind: 'po', allNamespaces: true });
    expect(pods.data.items).toHaveLength(6);
    const nodes = await call(allowedShop, 'kubernetes_list_resources_summary', { kind: 'nodes' });
    expect(nodes.data.items).toHaveLength(3);
  });
});

describe('server-wide dry run', () => {
  it('sends every write with dryRun=All, says so, and stores nothing', async () => {
    const before = api.store.get('apps', 'deployments', 'shop', 'web')!;
    const scaled = await call(allowedShop, 'kubernetes_scale_workload', { kind: 'Deployment', name: 'web', replicas: 7 });
    expect(scaled.isError, scaled.text).toBe(false);
    expect(scaled.data).toMatchObject({ dryRun: true, replicas: 7 });
    expect(scaled.text).toContain('[dry run, nothing changed]');
    const patched = await call(allowedShop, 'kubernetes_patch_resource', { kind: 'deploy', name: 'web', patch: '{"spec":{"replicas":9}}', dryRun: false });
    expect(patched.data.dryRun).toBe(true);
    const deleted = await call(allowedShop, 'kubernetes_delete_resource', { kind: 'pods', name: 'web-5d8f7c9b6d-4kq2x' });
    expect(deleted.data.dryRun).toBe(true);
    const applied = await call(allowedShop, 'kubernetes_apply_manifest', {
      manifest: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: rehearsed}\ndata: {a: b}',
    });
    expect(applied.data.dryRun).toBe(true);
    const writes = api.requests.filter((r) => r.method !== 'GET' && !r.path.endsWith('reviews')).slice(-4);
    expect(writes.map((r) => r.query.dryRun)).toEqual(['All', 'All', 'All', 'All']);
    expect(api.store.get('apps', 'deployments', 'shop', 'web')).toEqual(before);
    expect(api.store.get('', 'pods', 'shop', 'web-5d8f7c9b6d-4kq2x')).toBeDefined();
    expect(api.store.get('', 'configmaps', 'shop', 'rehearsed')).toBeUndefined();
    // trigger_cronjob without dryRun: the server-wide dry run still rehearses it.
    const triggered = await call(allowedShop, 'kubernetes_trigger_cronjob', { name: 'nightly-report', jobName: 'nightly-report-rehearsed' });
    expect(triggered.isError, triggered.text).toBe(false);
    expect(triggered.data).toMatchObject({ job: 'nightly-report-rehearsed', dryRun: true });
    expect(triggered.text).toContain('[dry run, nothing changed]');
    expect(api.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/jobs')).at(-1)!.query.dryRun).toBe('All');
    expect(api.store.get('batch', 'jobs', 'shop', 'nightly-report-rehearsed')).toBeUndefined();
    const tools = (await allowedShop.listTools()).tools;
    expect(tools.find((t) => t.name === 'kubernetes_delete_resource')!.description).toContain('dry-run mode: every write is sent with dryRun=All');
    const trigger = tools.find((t) => t.name === 'kubernetes_trigger_cronjob')!;
    expect(trigger.annotations).toMatchObject({ readOnlyHint: false, destructiveHint: false });
    expect(trigger.description).toContain('dry-run mode: every write is sent with dryRun=All');
  });
});

describe('confirmation of destructive tools through elicitation', () => {
  let kernel: TestKernel;
  const asked: string[] = [];
  beforeAll(async () => {
    // Elicitation needs a session the server can ask back in (2025-11-25 stateful Streamable HTTP).
    await serve({ confirmDestructive: 'require' }, { sessions: 'stateful' });
    kernel = kernels.at(-1)!;
  });

  it('goes ahead when the user confirms, stops when they decline, and refuses a client that cannot ask', async () => {
    const answering = (action: 'accept' | 'decline', confirm?: boolean) =>
      sessionOperator(kernel, {
        elicit: (params) => {
          asked.push(String(params.message));
          return { action, ...(confirm === undefined ? {} : { content: { confirm } }) };
        },
      });
    const yes = await answering('accept', true);
    const no = await answering('decline');
    const mute = await sessionOperator(kernel, {});
    try {
      const pod = 'web-5d8f7c9b6d-9txlm';
      const writes = () => api.requests.filter((r) => r.method === 'DELETE').length;
      const before = writes();
      const declined = await no.callTool('kubernetes_delete_resource', { kind: 'pods', name: pod });
      expect(declined.isError).toBe(true);
      expect(textsOf(declined).join()).toContain('Not done: the user did not confirm kubernetes_delete_resource');
      const refused = await mute.callTool('kubernetes_delete_resource', { kind: 'pods', name: pod });
      expect(refused.isError).toBe(true);
      expect(textsOf(refused).join()).toContain('requires a confirmation by the user');
      expect(writes()).toBe(before);
      expect(api.store.get('', 'pods', 'shop', pod)).toBeDefined();
      // A dry run changes nothing: never asked, even of a client that cannot answer.
      const rehearsal = await mute.callTool('kubernetes_delete_resource', { kind: 'pods', name: pod, dryRun: true });
      expect(rehearsal.isError).toBeFalsy();
      const confirmed = await yes.callTool('kubernetes_delete_resource', { kind: 'pods', name: pod });
      expect(confirmed.isError, textsOf(confirmed).join()).toBeFalsy();
      expect(writes()).toBe(before + 2);
      expect(asked).toEqual([
        `Delete a Kubernetes resource (kind=pods, name=${pod}): this changes the cluster. Go ahead?`,
        `Delete a Kubernetes resource (kind=pods, name=${pod}): this changes the cluster. Go ahead?`,
      ]);
      // Read tools are never asked.
      expect((await mute.callTool('kubernetes_list_resources_summary', { kind: 'pods' })).isError).toBeFalsy();
      // Running a CronJob now is a write but not destructive: never asked, even under `require`.
      const run = await mute.callTool('kubernetes_trigger_cronjob', { name: 'nightly-report', jobName: 'nightly-report-unasked' });
      expect(run.isError, textsOf(run).join()).toBeFalsy();
      expect(api.store.get('batch', 'jobs', 'shop', 'nightly-report-unasked')).toBeDefined();
      expect(asked).toHaveLength(2);
    } finally {
      await yes.close();
      await no.close();
      await mute.close();
    }
  });
});
