// Seam 3 of issue 14: a stateful session belongs to (strategy, identity, credential), each message is authorized
// with the roles presented now, and sessions are capped. Real kernel, raw Streamable HTTP (2025-11-25 handshake).
import { hashPassword } from '@cnmcp/core/plugin';
import { startTestKernel, type TestKernel } from '@cnmcp/core/testing';
import { definePlugin } from '@cnmcp/core/plugin';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LEGACY_PROTOCOL } from '../support/clients.js';
import { initializeRequest, jsonRpcMessagesOf, MCP_POST_HEADERS } from '../support/raw-http.js';

const ADMIN_KEY = 'Ops-Admin-Key-00042!';
const PASSWORD = 'viewer-password-0042';
let deletes = 0;

const pack = definePlugin({
  kind: 'tool-pack',
  name: 'ops',
  configSchema: { type: 'object' },
  setup: async () => ({
    tools: [
      {
        name: 'ops_delete',
        description: 'destructive',
        inputSchema: { type: 'object' },
        annotations: { destructiveHint: true },
        handler: async () => {
          deletes++;
          return { content: [{ type: 'text' as const, text: 'deleted' }] };
        },
      },
    ],
  }),
});

let server: TestKernel;
beforeAll(async () => {
  server = await startTestKernel({
    config: {
      server: { sessions: 'stateful', sessionLimits: { perIdentity: 2, max: 3 } },
      // The same identity id, "ops", under two strategies: an admin API key and a viewer password.
      auth: [
        { use: 'apikey', keys: [{ id: 'ops', key: ADMIN_KEY, roles: ['admin'] }] },
        { use: 'basic', users: [{ username: 'ops', passwordHash: await hashPassword(PASSWORD), roles: ['viewer'] }] },
      ],
      authorization: { use: 'rbac', roles: { admin: { tools: ['*'] }, viewer: { tools: ['ops_*'], readOnly: true } } },
      toolPacks: [{ use: 'ops' }],
    },
    plugins: [pack],
  });
});
afterAll(() => server?.close());

const BASIC = `Basic ${Buffer.from(`ops:${PASSWORD}`).toString('base64')}`;
const post = (body: unknown, headers: Record<string, string>) =>
  fetch(server.url, { method: 'POST', headers: { ...MCP_POST_HEADERS, 'mcp-protocol-version': LEGACY_PROTOCOL, ...headers }, body: JSON.stringify(body) });

async function openSession(credential: Record<string, string>): Promise<string> {
  const res = await post(initializeRequest(LEGACY_PROTOCOL), credential);
  expect(res.status).toBe(200);
  const id = res.headers.get('mcp-session-id')!;
  await res.text();
  const ack = await post({ jsonrpc: '2.0', method: 'notifications/initialized' }, { ...credential, 'mcp-session-id': id });
  await ack.text();
  return id;
}

const callDelete = async (session: string, credential: Record<string, string>) => {
  const res = await post(
    { jsonrpc: '2.0', id: 7, method: 'tools/call', params: { name: 'ops_delete', arguments: {} } },
    { ...credential, 'mcp-session-id': session },
  );
  return { status: res.status, messages: res.status === 200 ? jsonRpcMessagesOf(res.headers.get('content-type'), await res.text()) : [await res.json()] };
};

describe('seam 3: sessions bound to strategy, identity and credential', () => {
  it("refuses the viewer password of 'ops' on the admin API-key session of 'ops'", async () => {
    const session = await openSession({ 'x-api-key': ADMIN_KEY });
    const hijack = await callDelete(session, { authorization: BASIC });
    expect(hijack.status).toBe(404);
    expect(deletes).toBe(0);
    // The owner still drives it.
    const own = await callDelete(session, { 'x-api-key': ADMIN_KEY });
    expect(own.messages[0]).toMatchObject({ result: { content: [{ text: 'deleted' }] } });
    expect(deletes).toBe(1);
  });

  it('authorizes each message with the roles presented now, not those of the session start', async () => {
    const session = await openSession({ authorization: BASIC });
    const denied = await callDelete(session, { authorization: BASIC });
    expect(denied.messages[0]).toMatchObject({ error: { code: -32003 } });
    expect(deletes).toBe(1);
  });

  it('refuses a session over server.sessionLimits.perIdentity and over max with 429', async () => {
    // 'ops' by password holds one session from the test above; one more is allowed, the third is not.
    await openSession({ authorization: BASIC });
    const third = await post(initializeRequest(LEGACY_PROTOCOL), { authorization: BASIC });
    expect(third.status).toBe(429);
    expect(await third.json()).toMatchObject({ error: { message: expect.stringContaining('server.sessionLimits.perIdentity') } });
    // The API-key 'ops' holds one; max is 3 sessions in all: the server is full now.
    const full = await post(initializeRequest(LEGACY_PROTOCOL), { 'x-api-key': ADMIN_KEY });
    expect(full.status).toBe(429);
    expect(await full.json()).toMatchObject({ error: { message: expect.stringContaining('server.sessionLimits.max') } });
  });
});
