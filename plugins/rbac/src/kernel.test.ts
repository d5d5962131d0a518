// rbac as users run it: selected by `authorization: { use: rbac }`, validated and set up by the real kernel, driven
// over Streamable HTTP by the MCP SDK v2 client. With no auth strategy every caller is `anonymous` (no roles), so
// `defaultRoles` decides what it may do.
import { definePlugin, type AuditEvent } from '@cnmcp/core/plugin';
import { startTestKernel, type TestKernel } from '@cnmcp/core/testing';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterEach, describe, expect, it, vi } from 'vitest';
import rbac from './index.js';

const noArgs = { type: 'object', properties: {}, additionalProperties: false } as const;
const text = (value: string) => ({ content: [{ type: 'text' as const, text: value }] });

const pack = definePlugin({
  kind: 'tool-pack',
  name: 'pack',
  configSchema: { type: 'object', additionalProperties: false },
  async setup() {
    return {
      tools: [
        { name: 'pack_get_item', description: 'Reads an item', inputSchema: noArgs, annotations: { readOnlyHint: true }, handler: async () => text('item') },
        { name: 'pack_list_items', description: 'Lists items', inputSchema: noArgs, annotations: { readOnlyHint: true }, handler: async () => text('items') },
        {
          name: 'pack_delete_item',
          description: 'Deletes an item',
          inputSchema: noArgs,
          annotations: { destructiveHint: true },
          handler: async () => text('deleted'),
        },
        { name: 'pack_set_item', description: 'Writes an item (no annotations)', inputSchema: noArgs, handler: async () => text('set') },
      ],
    };
  },
});

/** An audit sink that keeps what it is given, to see the access.denied record and its reason. */
function captureSink() {
  const events: AuditEvent[] = [];
  const plugin = definePlugin({
    kind: 'audit-sink',
    name: 'capture',
    configSchema: { type: 'object', additionalProperties: false },
    async setup() {
      return { write: async (batch: readonly AuditEvent[]) => void events.push(...batch), close: async () => {} };
    },
  });
  return { plugin, events };
}

const ROLES = {
  viewer: { tools: ['*_get_*', '*_list_*'], readOnly: true },
  admin: { tools: ['*'] },
};

let server: TestKernel | undefined;
let client: Client | undefined;

async function start(authorization: Record<string, unknown>) {
  const audit = captureSink();
  server = await startTestKernel({
    config: { authorization: { use: 'rbac', ...authorization }, toolPacks: [{ use: 'pack' }], audit: [{ use: 'capture' }] },
    plugins: [rbac, pack, audit.plugin],
  });
  client = new Client({ name: 'rbac-test', version: '0.0.0' }, { versionNegotiation: { mode: { pin: '2026-07-28' } } });
  await client.connect(new StreamableHTTPClientTransport(server.url));
  return { client, events: audit.events };
}

async function rpcError(request: Promise<unknown>): Promise<{ code: unknown; message: string }> {
  const error = await request.then(
    () => undefined,
    (e: unknown) => e as { code?: unknown; message?: string },
  );
  if (!error) throw new Error('expected a JSON-RPC error, but the call succeeded');
  return { code: error.code, message: String(error.message) };
}

const names = async (c: Client) => (await c.listTools()).tools.map((t) => t.name).sort();

afterEach(async () => {
  await client?.close();
  await server?.close();
  client = server = undefined;
});

describe('rbac in the kernel', () => {
  it('shows a viewer only its tools and refuses the rest with -32003 and an access.denied audit record', async () => {
    const { client, events } = await start({ roles: ROLES, defaultRoles: ['viewer'] });
    expect(await names(client)).toEqual(['pack_get_item', 'pack_list_items']);

    const ok = await client.callTool({ name: 'pack_get_item', arguments: {} });
    expect(ok.content).toEqual([{ type: 'text', text: 'item' }]);

    const denied = await rpcError(client.callTool({ name: 'pack_delete_item', arguments: {} }));
    expect(denied.code).toBe(-32003);
    expect(denied.message).toContain('tool "pack_delete_item" is not permitted for this identity');
    expect(denied.message).not.toContain('no role'); // the reason is for the audit log, not the client

    await vi.waitFor(() => expect(events.find((e) => e.type === 'access.denied')).toBeDefined());
    expect(events.find((e) => e.type === 'access.denied')).toMatchObject({
      outcome: 'denied',
      tool: 'pack_delete_item',
      actor: { id: 'anonymous', roles: [] },
      details: { reason: 'no role allows tool' },
    });
  });

  it('lets an admin see and call everything', async () => {
    const { client } = await start({ roles: ROLES, defaultRoles: ['admin'] });
    expect(await names(client)).toEqual(['pack_delete_item', 'pack_get_item', 'pack_list_items', 'pack_set_item']);
    expect((await client.callTool({ name: 'pack_delete_item', arguments: {} })).content).toEqual([{ type: 'text', text: 'deleted' }]);
  });

  it('denies everything when the identity has no roles and no defaultRoles are set', async () => {
    const { client } = await start({ roles: ROLES });
    expect(await names(client)).toEqual([]);
    expect((await rpcError(client.callTool({ name: 'pack_get_item', arguments: {} }))).code).toBe(-32003);
  });

  it('in read-only mode blocks destructive and unannotated tools even for an admin', async () => {
    const { client, events } = await start({ readOnly: true, roles: ROLES, defaultRoles: ['admin'] });
    expect(await names(client)).toEqual(['pack_get_item', 'pack_list_items']);
    for (const name of ['pack_delete_item', 'pack_set_item']) {
      const denied = await rpcError(client.callTool({ name, arguments: {} }));
      expect(denied.code).toBe(-32003);
      expect(denied.message).toContain('not permitted for this identity');
    }
    expect((await client.callTool({ name: 'pack_list_items', arguments: {} })).content).toEqual([{ type: 'text', text: 'items' }]);
    await vi.waitFor(() => expect(events.filter((e) => e.type === 'access.denied')).toHaveLength(2));
    expect(events.filter((e) => e.type === 'access.denied').map((e) => e.details?.reason)).toEqual(['server is read-only', 'server is read-only']);
  });
});

describe('rbac config refused at startup', () => {
  const boot = (authorization: Record<string, unknown>) =>
    startTestKernel({ config: { authorization: { use: 'rbac', ...authorization }, toolPacks: [{ use: 'pack' }] }, plugins: [rbac, pack] });

  it('names a defaultRoles entry that is not a role', async () => {
    await expect(boot({ roles: ROLES, defaultRoles: ['guest'] })).rejects.toThrow(
      /authorizer\/rbac.*defaultRoles\[0\]: role "guest" is not defined under roles/s,
    );
  });

  it('refuses an empty pattern, an unknown key and a missing roles section with their config paths', async () => {
    const error = (await boot({ roles: { viewer: { tools: [''], redOnly: true } } }).then(
      () => ({}),
      (e: unknown) => e,
    )) as { problems?: { path?: string }[] };
    expect(error.problems?.map((p) => p.path)).toEqual(expect.arrayContaining(['/authorization/roles/viewer/tools/0', '/authorization/roles/viewer/redOnly']));
    await expect(boot({})).rejects.toThrow(/\/authorization\/roles: "roles" is required/);
  });
});
