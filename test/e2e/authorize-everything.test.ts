// Seams 4 and 5 of issue 14: the admin endpoints ask the authorizer for named permissions instead of testing role
// strings, and resources and prompts are authorized (reads refused, lists filtered) and audited like tools.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { definePlugin, type AuditEvent } from '@cnmcp/core/plugin';
import { startTestKernel, type TestKernel } from '@cnmcp/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const KEYS = { auditor: 'Auditor-Key-0042!', viewer: 'Viewer-Key-0042!!', imposter: 'Imposter-Key-042!' } as const;

const pack = definePlugin({
  kind: 'tool-pack',
  name: 'docs',
  configSchema: { type: 'object' },
  setup: async () => ({
    tools: [
      {
        name: 'docs_ping',
        description: 'pong',
        inputSchema: { type: 'object' },
        handler: async () => ({ content: [{ type: 'text' as const, text: 'pong' }] }),
      },
    ],
    resources: [
      { uri: 'docs://public/readme', name: 'readme', read: async () => [{ uri: 'docs://public/readme', text: 'hello' }] },
      { uri: 'docs://secret/keys', name: 'keys', read: async () => [{ uri: 'docs://secret/keys', text: 'the crown jewels' }] },
    ],
    prompts: [
      { name: 'greet', get: async () => ({ messages: [{ role: 'user' as const, content: { type: 'text' as const, text: 'hi' } }] }) },
      { name: 'exfiltrate', get: async () => ({ messages: [{ role: 'user' as const, content: { type: 'text' as const, text: 'secret' } }] }) },
    ],
  }),
});

let server: TestKernel;
let auditPath: string;

beforeAll(async () => {
  auditPath = join(mkdtempSync(join(tmpdir(), 'cnmcp-authz-')), 'audit.jsonl');
  server = await startTestKernel({
    config: {
      auth: [
        {
          use: 'apikey',
          keys: [
            { id: 'auditor', key: KEYS.auditor, roles: ['auditor'] },
            { id: 'viewer', key: KEYS.viewer, roles: ['viewer'] },
            // A role name the rbac config does not define: it must grant nothing, whatever it is called.
            { id: 'imposter', key: KEYS.imposter, roles: ['admin', 'metrics'] },
          ],
        },
      ],
      authorization: {
        use: 'rbac',
        roles: {
          auditor: { permissions: ['audit:read', 'metrics:read'] },
          viewer: { tools: ['docs_*'], resources: ['docs://public/*'], prompts: ['greet'] },
        },
      },
      audit: [{ use: 'file', path: auditPath }],
      telemetry: { metrics: { enabled: true } },
      toolPacks: [{ use: 'docs' }],
    },
    plugins: [pack],
  });
});
afterAll(() => server?.close());

const get = (path: string, key: string) => fetch(new URL(path, server.origin), { headers: { 'x-api-key': key } });

describe('seam 4: admin endpoints ask the authorizer for named permissions', () => {
  it('refuses /admin/audit and /metrics to a key whose roles are named admin and metrics but defined nowhere', async () => {
    for (const path of ['/admin/audit', '/admin/audit/stats', '/metrics']) {
      const res = await get(path, KEYS.imposter);
      expect(res.status, path).toBe(403);
      await res.body?.cancel();
    }
  });

  it('serves them to a role the rbac config grants audit:read and metrics:read', async () => {
    expect((await get('/admin/audit', KEYS.auditor)).status).toBe(200);
    const metrics = await get('/metrics', KEYS.auditor);
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toContain('cnmcp_');
  });
});

describe('seam 5: resources and prompts are authorized and audited', () => {
  let client: Client;
  beforeAll(async () => {
    client = new Client({ name: 'authz', version: '1' }, { versionNegotiation: { mode: { pin: '2026-07-28' } } });
    await client.connect(new StreamableHTTPClientTransport(server.url, { requestInit: { headers: { 'x-api-key': KEYS.viewer } } }));
  });
  afterAll(() => client?.close());

  it('lists only the resources and prompts the role grants', async () => {
    expect((await client.listResources()).resources.map((r) => r.uri)).toEqual(['docs://public/readme']);
    expect((await client.listPrompts()).prompts.map((p) => p.name)).toEqual(['greet']);
  });

  it('refuses to read a resource or get a prompt the role does not grant, and audits both', async () => {
    await expect(client.readResource({ uri: 'docs://secret/keys' })).rejects.toMatchObject({ code: -32003 });
    await expect(client.getPrompt({ name: 'exfiltrate' })).rejects.toMatchObject({ code: -32003 });
    expect((await client.readResource({ uri: 'docs://public/readme' })).contents).toEqual([{ uri: 'docs://public/readme', text: 'hello' }]);
    expect((await client.getPrompt({ name: 'greet' })).messages).toHaveLength(1);

    await server.kernel.audit.hub.flush();
    const events = readFileSync(auditPath, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as AuditEvent);
    const denied = events.filter((e) => e.type === 'access.denied' && e.actor?.id === 'viewer').map((e) => e.error?.message);
    expect(denied).toEqual(expect.arrayContaining([expect.stringContaining('docs://secret/keys'), expect.stringContaining('"exfiltrate"')]));
    expect(events.find((e) => e.type === 'resource.read' && e.outcome === 'success')).toMatchObject({
      actor: { id: 'viewer' },
      details: { uri: 'docs://public/readme' },
    });
    expect(events.find((e) => e.type === 'prompt.get' && e.outcome === 'success')).toMatchObject({ actor: { id: 'viewer' }, details: { prompt: 'greet' } });
  });
});
