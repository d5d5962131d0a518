import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { startTestKernel, type TestKernel } from '@cnmcp/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import myPlugin from './index.js';

// The pack as users run it: selected by `use:`, its options validated, its tool called by the real kernel over MCP.
let server: TestKernel;
let client: Client;

beforeAll(async () => {
  server = await startTestKernel({ config: { toolPacks: [{ use: 'my-plugin', maxTextLength: 100 }] }, plugins: [myPlugin] });
  client = new Client({ name: 'my-plugin-test', version: '1.0.0' }, { versionNegotiation: { mode: { pin: '2026-07-28' } } });
  await client.connect(new StreamableHTTPClientTransport(server.url));
});

afterAll(async () => {
  await client?.close();
  await server?.close();
});

describe('my-plugin tool pack', () => {
  it('lists its tool with the configured limit and truthful annotations', async () => {
    const { tools } = await client.listTools();
    const tool = tools.find((t) => t.name === 'my_plugin_count_words');
    expect(tool?.annotations).toMatchObject({ readOnlyHint: true, destructiveHint: false });
    expect((tool?.inputSchema.properties as Record<string, { maxLength?: number }>).text?.maxLength).toBe(100);
  });

  it('answers with structured content', async () => {
    const result = await client.callTool({ name: 'my_plugin_count_words', arguments: { text: 'one two two', top: 1 } });
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).toEqual({ words: 3, distinct: 2, top: [{ word: 'two', count: 2 }] });
  });

  it('reports a text without words as a tool error the model can read', async () => {
    const result = await client.callTool({ name: 'my_plugin_count_words', arguments: { text: '?!' } });
    expect(result.isError).toBe(true);
    expect(JSON.stringify(result.content)).toContain('no words');
  });

  it('never runs the handler with arguments outside the schema', async () => {
    // Refused arguments answer as a tool error naming the field, so the model can correct its call.
    const result = await client.callTool({ name: 'my_plugin_count_words', arguments: { text: 'x'.repeat(101) } });
    expect(result.isError).toBe(true);
    expect(JSON.stringify(result.content)).toMatch(/text/);
  });

  it('refuses an invalid option at startup, naming its path', async () => {
    await expect(startTestKernel({ config: { toolPacks: [{ use: 'my-plugin', maxTextLength: 0 }] }, plugins: [myPlugin] })).rejects.toThrow(
      /\/toolPacks\/0\/maxTextLength/,
    );
  });
});
