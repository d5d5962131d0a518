// Impersonation through a real MCP client with apikey auth and rbac, against the recorded Kubernetes API server,
// which checks the Impersonate-* headers as the real impersonation filter does (the service account needs the
// `impersonate` verb on each user, group and extra) and then authorizes the request as the impersonated user.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { startTestKernel, type TestKernel } from '@cnmcp/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKubernetesApiServer, type KubernetesApiServer } from '../../../test/support/kubernetes-api/server.js';
import { impersonationHeaders } from './impersonation.js';

const KEYS = { alice: 'Alice-Operator-Key-042!', bob: 'Bob-Viewer-Key-0042!', mallory: 'Mallory-Operator-Key-42!' };
const IMPERSONATE = { user: 'cnmcp:{id}', groups: ['cnmcp:{role}'], extra: { 'cnmcp.io/auth-method': ['{authMethod}'] } };

let api: KubernetesApiServer;
let kubeconfig: string;
const kernels: TestKernel[] = [];
const clients: Client[] = [];

async function connect(kernel: TestKernel, headers: Record<string, string>): Promise<Client> {
  const client = new Client({ name: 'impersonation', version: '0' }, { versionNegotiation: { mode: { pin: '2026-07-28' } } });
  await client.connect(new StreamableHTTPClientTransport(kernel.url, { requestInit: { headers } }));
  clients.push(client);
  return client;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- structured content, asserted field by field
async function call(client: Client, name: string, args: Record<string, unknown>): Promise<{ isError: boolean; text: string; data: Record<string, any> }> {
  const result = (await client.callTool({ name, arguments: args })) as {
    isError?: boolean;
    content: { text?: string }[];
    structuredContent?: Record<string, unknown>;
  };
  return { isError: result.isError === true, text: result.content.map((c) => c.text ?? '').join('\n'), data: result.structuredContent ?? {} };
}

let alice: Client;
let bob: Client;
let mallory: Client;
let server: TestKernel;

beforeAll(async () => {
  api = await startKubernetesApiServer();
  kubeconfig = await api.writeKubeconfig(mkdtempSync(join(tmpdir(), 'cnmcp-impersonate-')));
  server = await startTestKernel({
    config: {
      auth: [
        {
          use: 'apikey',
          keys: [
            { id: 'alice', key: KEYS.alice, roles: ['operator'] },
            { id: 'bob', key: KEYS.bob, roles: ['viewer'] },
            { id: 'mallory', key: KEYS.mallory, roles: ['operator'] },
          ],
        },
      ],
      // cnmcp lets both roles call every tool: Kubernetes RBAC, per impersonated caller, decides.
      authorization: { use: 'rbac', roles: { operator: { tools: ['kubernetes_*'] }, viewer: { tools: ['kubernetes_*'] } } },
      toolPacks: [{ use: 'kubernetes', kubeconfig, impersonate: IMPERSONATE }],
    },
  });
  kernels.push(server);
  alice = await connect(server, { 'x-api-key': KEYS.alice });
  bob = await connect(server, { 'x-api-key': KEYS.bob });
  // An intruder's try: Impersonate-* headers on the MCP request itself must change nothing.
  mallory = await connect(server, { 'x-api-key': KEYS.mallory, 'impersonate-user': 'cnmcp:alice', 'impersonate-group': 'cnmcp:operator' });
});

afterAll(async () => {
  for (const client of clients) await client.close();
  for (const kernel of kernels) await kernel.close();
  await api?.close();
});

describe('impersonation of the MCP caller', () => {
  it('sends the caller as Impersonate-User, one Impersonate-Group per role and the extras, with the service account token', async () => {
    const before = api.requests.length;
    const pods = await call(alice, 'kubernetes_list_resources_summary', { kind: 'pods', namespace: 'shop' });
    expect(pods.isError, pods.text).toBe(false);
    const sent = api.requests.slice(before).filter((r) => r.path.includes('/pods'));
    expect(sent.length).toBeGreaterThan(0);
    for (const r of sent) {
      expect(r.impersonate).toEqual({ user: 'cnmcp:alice', groups: ['cnmcp:operator'], extra: { 'cnmcp.io/auth-method': ['apikey'] } });
    }
  });

  it('lets Kubernetes RBAC decide per caller: the operator may scale, the viewer may not', async () => {
    const scaled = await call(alice, 'kubernetes_scale_workload', { kind: 'Deployment', name: 'web', replicas: 4, dryRun: true });
    expect(scaled.isError, scaled.text).toBe(false);
    const refused = await call(bob, 'kubernetes_scale_workload', { kind: 'Deployment', name: 'web', replicas: 4, dryRun: true });
    expect(refused.isError).toBe(true);
    expect(refused.text).toContain('HTTP 403 Forbidden');
    expect(refused.text).toContain('User "cnmcp:bob" cannot patch resource "deployments/scale"');
    const bobMay = await call(bob, 'kubernetes_check_permissions', { verb: 'patch', resource: 'deployments', namespace: 'shop' });
    expect(bobMay.data.allowed).toBe(false);
    const aliceMay = await call(alice, 'kubernetes_check_permissions', { verb: 'patch', resource: 'deployments', namespace: 'shop' });
    expect(aliceMay.data.allowed).toBe(true);
    expect(aliceMay.data.reason).toContain('User "cnmcp:alice"');
  });

  it('is refused by the API server for a caller the service account may not impersonate, whatever headers the caller sends', async () => {
    const before = api.requests.length;
    const result = await call(mallory, 'kubernetes_list_resources', { kind: 'pods', namespace: 'shop' });
    expect(result.isError).toBe(true);
    expect(result.text).toContain(
      'users "cnmcp:mallory" is forbidden: User "system:serviceaccount:cnmcp:cnmcp-agent" cannot impersonate resource "users" in API group "" at the cluster scope',
    );
    const sent = api.requests.slice(before).filter((r) => r.path.includes('/pods'));
    expect(sent.map((r) => r.impersonate.user)).toEqual(['cnmcp:mallory']);
  });

  it('refuses anonymous callers instead of falling back to the service account', async () => {
    const open = await startTestKernel({ config: { toolPacks: [{ use: 'kubernetes', kubeconfig, impersonate: IMPERSONATE }] } });
    kernels.push(open);
    const anonymous = await connect(open, {});
    const before = api.requests.length;
    const result = await call(anonymous, 'kubernetes_list_resources', { kind: 'pods' });
    expect(result.isError).toBe(true);
    expect(result.text).toContain('an anonymous caller has no one to impersonate');
    expect(api.requests.slice(before)).toEqual([]);
  });

  it('never impersonates reserved system: names, nor values that could smuggle a header', () => {
    const caller = { id: 'eve', authMethod: 'bearer', roles: ['system:masters'] };
    expect(() => impersonationHeaders({ groups: ['{role}'] }, caller)).toThrow('never impersonates the reserved group "system:masters"');
    expect(() => impersonationHeaders({ user: '{id}' }, { ...caller, id: 'system:admin', roles: [] })).toThrow('reserved user name');
    expect(() => impersonationHeaders({}, { ...caller, id: 'eve\r\nImpersonate-Group: x', roles: [] })).toThrow('printable ASCII only');
    expect(impersonationHeaders({ user: 'sso:{id}', groups: ['team:{role}', 'cnmcp'] }, { ...caller, roles: ['a', 'b'] })).toEqual([
      ['Impersonate-User', 'sso:eve'],
      ['Impersonate-Group', 'team:a'],
      ['Impersonate-Group', 'team:b'],
      ['Impersonate-Group', 'cnmcp'],
    ]);
  });
});
