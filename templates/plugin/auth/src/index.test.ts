import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { definePlugin } from '@cnmcp/core/plugin';
import { startTestKernel, type TestKernel } from '@cnmcp/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import myPlugin from './index.js';

const TOKEN = 'ci-bot-token-0123456789';

// A one-tool pack that reports who called, to see the identity the strategy produced.
const whoami = definePlugin({
  kind: 'tool-pack',
  name: 'whoami',
  configSchema: { type: 'object' },
  async setup() {
    return {
      tools: [
        {
          name: 'whoami_get_identity',
          description: 'Returns the caller identity.',
          inputSchema: { type: 'object', properties: {}, additionalProperties: false },
          annotations: { readOnlyHint: true },
          handler: async (_args, ctx) => ({
            content: [{ type: 'text', text: ctx.identity.id }],
            structuredContent: { id: ctx.identity.id, roles: [...ctx.identity.roles] },
          }),
        },
      ],
    };
  },
});

let server: TestKernel;

beforeAll(async () => {
  server = await startTestKernel({
    config: {
      authorization: { use: 'allow-all' },
      auth: [{ use: 'my-plugin', tokens: [{ id: 'ci-bot', token: TOKEN, roles: ['viewer'] }] }],
      toolPacks: [{ use: 'whoami' }],
    },
    plugins: [myPlugin, whoami],
  });
});

afterAll(async () => {
  await server?.close();
});

async function connect(headers: Record<string, string>): Promise<Client> {
  const client = new Client({ name: 'my-plugin-test', version: '1.0.0' }, { versionNegotiation: { mode: { pin: '2026-07-28' } } });
  await client.connect(new StreamableHTTPClientTransport(server.url, { requestInit: { headers } }));
  return client;
}

describe('my-plugin auth strategy in the kernel', () => {
  it('lets a caller with a known token in, as its identity', async () => {
    const client = await connect({ 'x-my-plugin-token': TOKEN });
    try {
      const result = await client.callTool({ name: 'whoami_get_identity', arguments: {} });
      expect(result.structuredContent).toEqual({ id: 'ci-bot', roles: ['viewer'] });
    } finally {
      await client.close();
    }
  });

  it('answers 401 with this scheme in WWW-Authenticate, with no token or a wrong one', async () => {
    for (const headers of [{}, { 'x-my-plugin-token': 'wrong-token-0123456789' }] as Record<string, string>[]) {
      const res = await fetch(server.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} }),
      });
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toContain('MyPlugin');
    }
  });
});
