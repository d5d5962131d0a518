// kubernetes_exec_command through a real MCP client with apikey auth, rbac and an audit sink, against the recorded
// Kubernetes API fixture server (no real cluster can run here), which upgrades pods/exec to a WebSocket on the
// v5/v4.channel.k8s.io subprotocols and replays recorded container output (test/fixtures/kubernetes/exec/).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import type { AuditEvent } from '@cnmcp/core/plugin';
import { memoryAuditSink, startTestKernel, type TestKernel } from '@cnmcp/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKubernetesApiServer, type KubernetesApiServer } from '../../../test/support/kubernetes-api/server.js';

const OPERATOR_KEY = 'Exec-Operator-Key-042!';
const ONCALL_KEY = 'Exec-Oncall-Key-00042!';
const POD = 'web-5d8f7c9b6d-4kq2x';
const EXEC = {
  enabled: true,
  commands: ['cat /etc/os-release', 'cat /app/*', 'ls', 'curl -s localhost:8080/*', 'wget -qO- localhost:8080/*', 'tail -f /var/log/storefront/*'],
  roles: ['oncall'],
  timeoutSeconds: 5,
};

let api: KubernetesApiServer;
let kubeconfig: string;
const kernels: TestKernel[] = [];
const clients: Client[] = [];
const audit: AuditEvent[] = [];

async function serve(pack: Record<string, unknown>): Promise<TestKernel> {
  const kernel = await startTestKernel({
    config: {
      auth: [
        {
          use: 'apikey',
          keys: [
            { id: 'ops-bot', key: OPERATOR_KEY, roles: ['operator'] },
            { id: 'oncall-bot', key: ONCALL_KEY, roles: ['oncall'] },
          ],
        },
      ],
      authorization: { use: 'rbac', roles: { operator: { tools: ['kubernetes_*'] }, oncall: { tools: ['kubernetes_*'] } } },
      sanitize: { use: 'injection-filter', mode: 'reject' },
      audit: [{ use: 'memory' }],
      toolPacks: [{ use: 'kubernetes', kubeconfig, ...pack }],
    },
    plugins: [memoryAuditSink(audit)],
  });
  kernels.push(kernel);
  return kernel;
}

async function connect(kernel: TestKernel, key: string): Promise<Client> {
  const client = new Client({ name: 'exec-test', version: '0.0.0' }, { versionNegotiation: { mode: { pin: '2026-07-28' } } });
  await client.connect(new StreamableHTTPClientTransport(kernel.url, { requestInit: { headers: { 'x-api-key': key } } }));
  clients.push(client);
  return client;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- structured content, asserted field by field
type Structured = Record<string, any>;

async function call(
  client: Client,
  args: Record<string, unknown>,
  name = 'kubernetes_exec_command',
): Promise<{ isError: boolean; text: string; data: Structured }> {
  const result = (await client.callTool({ name, arguments: args })) as {
    isError?: boolean;
    content: { text?: string }[];
    structuredContent?: Record<string, unknown>;
  };
  return { isError: result.isError === true, text: result.content.map((c) => c.text ?? '').join('\n'), data: result.structuredContent ?? {} };
}

const execRequests = (from: number) => api.requests.slice(from).filter((r) => r.path.endsWith('/exec'));

let kernel: TestKernel;
let oncall: Client;

beforeAll(async () => {
  api = await startKubernetesApiServer();
  kubeconfig = await api.writeKubeconfig(mkdtempSync(join(tmpdir(), 'cnmcp-exec-')));
  // confirmDestructive off: these clients cannot answer elicitation; the confirmation path has its own tests.
  kernel = await serve({ exec: EXEC, guardRails: { confirmDestructive: 'off' } });
  oncall = await connect(kernel, ONCALL_KEY);
});

afterAll(async () => {
  for (const client of clients) await client.close();
  for (const k of kernels) await k.close();
  await api?.close();
});

describe('kubernetes_exec_command', () => {
  it('is not offered unless enabled, and refuses to start enabled without commands or roles', async () => {
    const plain = await connect(await serve({}), OPERATOR_KEY);
    expect((await plain.listTools()).tools.some((t) => t.name === 'kubernetes_exec_command')).toBe(false);
    await expect(serve({ exec: { enabled: true, roles: ['oncall'] } })).rejects.toThrow(/exec.commands/);
    await expect(serve({ exec: { enabled: true, commands: ['ls'] } })).rejects.toThrow(/exec.roles/);
  });

  it('runs an allowed command over the exec WebSocket and returns stdout and the exit code', async () => {
    const tool = (await oncall.listTools()).tools.find((t) => t.name === 'kubernetes_exec_command')!;
    expect(tool.annotations).toMatchObject({ readOnlyHint: false, destructiveHint: true });
    expect(tool.description).toContain('cat /etc/os-release');
    const before = api.requests.length;
    const result = await call(oncall, { name: POD, command: ['cat', '/etc/os-release'] });
    expect(result.isError, result.text).toBe(false);
    expect(result.data).toMatchObject({ pod: POD, namespace: 'shop', exitCode: 0, timedOut: false, truncated: false, stderr: '' });
    expect(result.data.stdout).toContain('PRETTY_NAME="Alpine Linux v3.20"');
    expect(result.text).toContain('exited with code 0');
    const [request] = execRequests(before);
    expect(request).toMatchObject({
      method: 'GET',
      path: `/api/v1/namespaces/shop/pods/${POD}/exec`,
      query: { stdout: 'true', stderr: 'true', stdin: 'false' },
    });
    const listed = await call(oncall, { name: POD, command: ['ls', '-l', '/app'] });
    expect(listed.data.stdout).toContain('storefront');
  });

  it('reports a non-zero exit code with stderr, and a command the runtime cannot start', async () => {
    const missing = await call(oncall, { name: POD, container: 'web', command: ['cat', '/app/missing.conf'] });
    expect(missing.isError).toBe(false);
    expect(missing.data).toMatchObject({ exitCode: 1, stderr: "cat: can't open '/app/missing.conf': No such file or directory\n" });
    expect(missing.text).toContain('exited with code 1');
    const absent = await call(oncall, { name: POD, command: ['curl', '-s', 'localhost:8080/healthz'] });
    expect(absent.isError).toBe(true);
    expect(absent.data.failure).toContain('exec: "curl": executable file not found in $PATH');
  });

  it('ends a command at its time limit and says so', async () => {
    const started = Date.now();
    const result = await call(oncall, { name: POD, command: ['tail', '-f', '/var/log/storefront/access.log'], timeoutSeconds: 1 });
    expect(result.data.timedOut).toBe(true);
    expect(result.data.stdout).toContain('GET /healthz');
    expect(result.text).toContain('was ended after the 1 s time limit');
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    // The input schema caps the limit at exec.timeoutSeconds.
    const tooLong = await oncall.callTool({ name: 'kubernetes_exec_command', arguments: { name: POD, command: ['ls'], timeoutSeconds: 60 } }).then(
      (r) => r as { isError?: boolean },
      (e: unknown) => ({ isError: true, error: e }),
    );
    expect(tooLong.isError).toBe(true);
  });

  it('refuses commands outside the allowlist, callers outside the roles, before any request', async () => {
    const before = api.requests.length;
    for (const command of [
      ['sh', '-c', 'cat /etc/shadow'],
      ['cat', '/etc/shadow'],
      ['cat', '/app/../etc/shadow'],
      ['cat', '/app/static/x'],
    ]) {
      const refused = await call(oncall, { name: POD, command });
      expect(refused.isError, JSON.stringify(command)).toBe(true);
      expect(refused.text).toContain('is not an allowed command');
    }
    const operator = await connect(kernel, OPERATOR_KEY);
    const wrongRole = await call(operator, { name: POD, command: ['ls'] });
    expect(wrongRole.isError).toBe(true);
    expect(wrongRole.text).toContain('limited to the roles oncall');
    expect(execRequests(before)).toEqual([]);
  });

  it('records the full command line in the audit record of every call, refused ones included', async () => {
    await call(oncall, { name: POD, command: ['wget', '-qO-', 'localhost:8080/healthz'] });
    await call(oncall, { name: POD, command: ['rm', '-rf', '/app'] });
    const records = audit.filter((e) => e.type === 'tool.call' && e.tool === 'kubernetes_exec_command');
    const calls = records.map((e) => (e.arguments as { command: string[] }).command);
    expect(calls).toContainEqual(['wget', '-qO-', 'localhost:8080/healthz']);
    expect(calls).toContainEqual(['rm', '-rf', '/app']);
    const refused = records.find((e) => JSON.stringify(e.arguments).includes('rm'))!;
    expect(refused.actor?.id).toBe('oncall-bot');
    expect(refused.outcome).not.toBe('success');
  });

  it('is refused in protected namespaces and in dry-run mode by the guard rails', async () => {
    const before = api.requests.length;
    const system = await call(oncall, { name: 'coredns-7c65d6cfc9-lh4tk', namespace: 'kube-system', command: ['ls'] });
    expect(system.isError).toBe(true);
    expect(system.text).toContain('namespace "kube-system" is protected');
    const rehearsal = await connect(await serve({ exec: EXEC, guardRails: { dryRun: true, confirmDestructive: 'off' } }), ONCALL_KEY);
    const dry = await call(rehearsal, { name: POD, command: ['ls'] });
    expect(dry.isError).toBe(true);
    expect(dry.text).toContain('pods/exec cannot be dry-run');
    expect(execRequests(before)).toEqual([]);
  });

  it('runs as the impersonated caller: the upgrade carries Impersonate-* and Kubernetes RBAC decides', async () => {
    const kernel = await startTestKernel({
      config: {
        auth: [{ use: 'apikey', keys: [{ id: 'alice', key: OPERATOR_KEY, roles: ['operator'] }] }],
        authorization: { use: 'rbac', roles: { operator: { tools: ['kubernetes_*'] } } },
        toolPacks: [
          {
            use: 'kubernetes',
            kubeconfig,
            impersonate: { user: 'cnmcp:{id}', groups: ['cnmcp:{role}'] },
            exec: { ...EXEC, roles: ['operator'] },
            guardRails: { confirmDestructive: 'off' },
          },
        ],
      },
    });
    kernels.push(kernel);
    const before = api.requests.length;
    // cnmcp:operator may not exec in the fixture's RBAC, though the pack's own service account may.
    const refused = await call(await connect(kernel, OPERATOR_KEY), { name: POD, command: ['ls'] });
    expect(refused.isError).toBe(true);
    expect(refused.text).toContain('HTTP 403');
    expect(refused.text).toContain('User "cnmcp:alice" cannot create resource "pods/exec"');
    expect(execRequests(before).map((r) => r.impersonate)).toEqual([{ user: 'cnmcp:alice', groups: ['cnmcp:operator'], extra: {} }]);
  });

  it("explains the API server's refusal of the upgrade (RBAC, missing pod)", async () => {
    // The fixture's service account may exec in `shop` only.
    const elsewhere = await connect(await serve({ exec: EXEC, guardRails: { confirmDestructive: 'off', protectedNamespaces: [] } }), ONCALL_KEY);
    const forbidden = await call(elsewhere, { name: 'coredns-7c65d6cfc9-lh4tk', namespace: 'default', command: ['ls'] });
    expect(forbidden.isError).toBe(true);
    expect(forbidden.text).toContain('HTTP 403 Forbidden');
    const missing = await call(oncall, { name: 'nope', command: ['ls'] });
    expect(missing.isError).toBe(true);
    expect(missing.text).toContain('HTTP 404');
    expect(missing.text).toContain('pods "nope" not found');
  });
});
