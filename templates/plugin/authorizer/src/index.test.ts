import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { definePlugin } from '@cnmcp/core/plugin';
import { startTestKernel, type TestKernel } from '@cnmcp/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import myPlugin from './index.js';

// A pack with one read-only tool and one that changes state.
const notes = definePlugin({
  kind: 'tool-pack',
  name: 'notes',
  configSchema: { type: 'object' },
  async setup() {
    const handler = async () => ({ content: [{ type: 'text' as const, text: 'done' }] });
    const inputSchema = { type: 'object' as const, properties: {}, additionalProperties: false };
    return {
      tools: [
        { name: 'notes_read_note', description: 'Reads a note.', inputSchema, annotations: { readOnlyHint: true }, handler },
        { name: 'notes_delete_note', description: 'Deletes a note.', inputSchema, annotations: { readOnlyHint: false, destructiveHint: true }, handler },
      ],
    };
  },
});

let server: TestKernel;
let client: Client;

beforeAll(async () => {
  // No auth configured: callers are the anonymous identity, which has no roles.
  server = await startTestKernel({
    config: { authorization: { use: 'my-plugin', writerRoles: ['admin'] }, toolPacks: [{ use: 'notes' }] },
    plugins: [myPlugin, notes],
  });
  client = new Client({ name: 'my-plugin-test', version: '1.0.0' }, { versionNegotiation: { mode: { pin: '2026-07-28' } } });
  await client.connect(new StreamableHTTPClientTransport(server.url));
});

afterAll(async () => {
  await client?.close();
  await server?.close();
});

describe('my-plugin authorizer in the kernel', () => {
  it('lists only the tools the caller may call', async () => {
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toEqual(['notes_read_note']);
  });

  it('allows the read-only tool and denies the other one', async () => {
    expect((await client.callTool({ name: 'notes_read_note', arguments: {} })).isError).toBeFalsy();
    await expect(client.callTool({ name: 'notes_delete_note', arguments: {} })).rejects.toThrow(/not permitted/);
  });
});
