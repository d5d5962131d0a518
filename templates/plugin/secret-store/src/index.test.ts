import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { definePlugin } from '@cnmcp/core/plugin';
import { startTestKernel, type TestKernel } from '@cnmcp/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import myPlugin from './index.js';

const VALUE = 'value-kept-in-the-store';

// A pack whose `expected` option comes from the store; its tool says whether it received the stored value.
const probe = definePlugin<'tool-pack', { expected: string }>({
  kind: 'tool-pack',
  name: 'probe',
  configSchema: { type: 'object', properties: { expected: { type: 'string' } }, required: ['expected'] },
  async setup({ config }) {
    return {
      tools: [
        {
          name: 'probe_check_secret',
          description: 'Says whether the configured value is the stored one.',
          inputSchema: { type: 'object', properties: {}, additionalProperties: false },
          annotations: { readOnlyHint: true },
          handler: async () => ({ content: [{ type: 'text', text: 'checked' }], structuredContent: { matches: config.expected === VALUE } }),
        },
      ],
    };
  },
});

let server: TestKernel;

beforeAll(async () => {
  server = await startTestKernel({
    config: { secrets: { use: 'my-plugin', initial: { 'probe-value': VALUE } }, toolPacks: [{ use: 'probe', expected: '${secret:probe-value}' }] },
    plugins: [myPlugin, probe],
  });
});

afterAll(async () => {
  await server?.close();
});

describe('my-plugin secret store in the kernel', () => {
  it('resolves ${secret:NAME} references in other plugins’ options', async () => {
    const client = new Client({ name: 'my-plugin-test', version: '1.0.0' }, { versionNegotiation: { mode: { pin: '2026-07-28' } } });
    await client.connect(new StreamableHTTPClientTransport(server.url));
    try {
      expect((await client.callTool({ name: 'probe_check_secret', arguments: {} })).structuredContent).toEqual({ matches: true });
    } finally {
      await client.close();
    }
  });

  it('stops startup naming the reference when the secret does not exist', async () => {
    await expect(
      startTestKernel({ config: { secrets: { use: 'my-plugin' }, toolPacks: [{ use: 'probe', expected: '${secret:nowhere}' }] }, plugins: [myPlugin, probe] }),
    ).rejects.toThrow(/nowhere/);
  });
});
