import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { definePlugin, type AuditEvent } from '@cnmcp/core/plugin';
import { startTestKernel, type TestKernel } from '@cnmcp/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import injectionFilter from './index.js';

const events: AuditEvent[] = [];
const sink = definePlugin({
  kind: 'audit-sink',
  name: 'memory',
  configSchema: { type: 'object' },
  setup: async () => ({ write: async (batch) => void events.push(...batch), close: async () => {} }),
});
const pack = definePlugin({
  kind: 'tool-pack',
  name: 'echo',
  configSchema: { type: 'object' },
  setup: async () => ({
    tools: [
      {
        name: 'echo_show_args',
        description: 'returns its arguments',
        inputSchema: {
          type: 'object',
          properties: {
            note: { type: 'string' },
            namespace: { type: 'string', 'x-cnmcp-sanitize': 'identifier' },
            link: { type: 'string', 'x-cnmcp-sanitize': 'url' },
            query: { type: 'string', 'x-cnmcp-sanitize': 'query' },
          },
          additionalProperties: false,
        },
        annotations: { readOnlyHint: true },
        handler: async (args: Record<string, unknown>) => ({ content: [{ type: 'text' as const, text: JSON.stringify(args) }] }),
      },
    ],
  }),
});

let server: TestKernel | undefined;
let client: Client | undefined;
afterEach(async () => {
  await client?.close();
  await server?.close();
  events.length = 0;
});

async function connect(mode: 'strip' | 'reject') {
  server = await startTestKernel({ config: { sanitize: { use: 'injection-filter', mode }, audit: [{ use: 'memory' }], toolPacks: [{ use: 'echo' }] }, plugins: [injectionFilter, pack, sink] });
  client = new Client({ name: 't', version: '1' }, { versionNegotiation: { mode: { pin: '2026-07-28' } } });
  await client.connect(new StreamableHTTPClientTransport(server.url));
  return client;
}

const textOf = (result: Awaited<ReturnType<Client['callTool']>>) => JSON.parse((result.content as { text: string }[])[0]!.text) as Record<string, string>;

describe('injection-filter through the kernel', () => {
  it('strip mode hands the tool cleaned values, leaves queries alone, and audits the fields it changed', async () => {
    const c = await connect('strip');
    const result = await c.callTool({ name: 'echo_show_args', arguments: { note: "'; DROP TABLE users; --", query: 'up{job="a"} or vector(1)' } });
    expect(textOf(result)).toEqual({ note: ' DROP TABLE users ', query: 'up{job="a"} or vector(1)' });
    await server!.kernel.stop();
    expect(events.find((e) => e.type === 'input.sanitized')).toMatchObject({ tool: 'echo_show_args', details: { fields: ['/note'] } });
  });

  it('reject mode fails the call naming the field and what was found', async () => {
    const c = await connect('reject');
    await expect(c.callTool({ name: 'echo_show_args', arguments: { note: 'a | b' } })).rejects.toMatchObject({ code: -32602, message: expect.stringContaining('/note: contains the character "|"') });
    expect(textOf(await c.callTool({ name: 'echo_show_args', arguments: { note: 'fine' } }))).toEqual({ note: 'fine' });
  });

  it.each(['strip', 'reject'] as const)('%s mode rejects javascript: URLs and invalid names', async (mode) => {
    const c = await connect(mode);
    await expect(c.callTool({ name: 'echo_show_args', arguments: { link: 'javascript:alert(1)' } })).rejects.toMatchObject({ code: -32602, message: expect.stringContaining('/link') });
    await expect(c.callTool({ name: 'echo_show_args', arguments: { namespace: 'Bad_Name' } })).rejects.toMatchObject({ code: -32602, message: expect.stringContaining('/namespace') });
  });
});
