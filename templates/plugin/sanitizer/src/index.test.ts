import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { definePlugin } from '@cnmcp/core/plugin';
import { startTestKernel, type TestKernel } from '@cnmcp/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import myPlugin from './index.js';

// A pack that echoes what its handler received, once as free text and once as a raw field.
const echo = definePlugin({
  kind: 'tool-pack',
  name: 'echo',
  configSchema: { type: 'object' },
  async setup() {
    const tool = (name: string, policy: string) => ({
      name,
      description: `Echoes text (${policy}).`,
      inputSchema: {
        type: 'object' as const,
        properties: { text: { type: 'string', 'x-cnmcp-sanitize': policy } },
        required: ['text'],
        additionalProperties: false,
      },
      annotations: { readOnlyHint: true },
      handler: async (args: Record<string, unknown>) => ({ content: [{ type: 'text' as const, text: String(args.text) }] }),
    });
    return { tools: [tool('echo_say_text', 'filter'), tool('echo_say_raw', 'raw')] };
  },
});

let server: TestKernel;
let client: Client;

beforeAll(async () => {
  server = await startTestKernel({
    config: { sanitize: { use: 'my-plugin', denyPatterns: ['forbidden'] }, toolPacks: [{ use: 'echo' }] },
    plugins: [myPlugin, echo],
  });
  client = new Client({ name: 'my-plugin-test', version: '1.0.0' }, { versionNegotiation: { mode: { pin: '2026-07-28' } } });
  await client.connect(new StreamableHTTPClientTransport(server.url));
});

afterAll(async () => {
  await client?.close();
  await server?.close();
});

const textOf = (result: Awaited<ReturnType<Client['callTool']>>) => (result.content as { text: string }[])[0]?.text;

describe('my-plugin sanitizer in the kernel', () => {
  it('rejects a denied value before the handler runs', async () => {
    const result = await client.callTool({ name: 'echo_say_text', arguments: { text: 'a forbidden word' } });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/deny pattern/);
  });

  it('hands the handler free text without control characters, and raw fields untouched', async () => {
    expect(textOf(await client.callTool({ name: 'echo_say_text', arguments: { text: 'be\u0007ll' } }))).toBe('bell');
    expect(textOf(await client.callTool({ name: 'echo_say_raw', arguments: { text: 'forbidden\u0007' } }))).toBe('forbidden\u0007');
  });
});
