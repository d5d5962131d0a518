// The memory store as users run it: `rateLimit: { use: memory }` plus `limits:` rules, in the real kernel.
import { definePlugin } from '@cnmcp/core/plugin';
import { startTestKernel, type TestKernel } from '@cnmcp/core/testing';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterEach, describe, expect, it } from 'vitest';
import plugins from './index.js';

const memory = plugins[0]!;

const pack = definePlugin({
  kind: 'tool-pack',
  name: 'pack',
  configSchema: { type: 'object', additionalProperties: false },
  async setup() {
    return {
      tools: [
        {
          name: 'pack_get_item',
          description: 'Reads an item',
          inputSchema: { type: 'object', properties: {}, additionalProperties: false },
          annotations: { readOnlyHint: true },
          handler: async () => ({ content: [{ type: 'text', text: 'item' }] }),
        },
      ],
    };
  },
});

let server: TestKernel | undefined;
let client: Client | undefined;

afterEach(async () => {
  await client?.close();
  await server?.close();
  client = server = undefined;
});

describe('memory rate-limit store in the kernel', () => {
  it('refuses the call after a perTool rule’s points with JSON-RPC -31029', async () => {
    server = await startTestKernel({
      config: { rateLimit: { use: 'memory' }, limits: { perTool: [{ tools: 'pack_*', points: 2, durationSeconds: 60 }] }, toolPacks: [{ use: 'pack' }] },
      plugins: [memory, pack],
    });
    client = new Client({ name: 'rate-limit-test', version: '0.0.0' }, { versionNegotiation: { mode: { pin: '2026-07-28' } } });
    await client.connect(new StreamableHTTPClientTransport(server.url));

    for (let i = 0; i < 2; i++) expect((await client.callTool({ name: 'pack_get_item', arguments: {} })).content).toEqual([{ type: 'text', text: 'item' }]);
    const error = await client.callTool({ name: 'pack_get_item', arguments: {} }).then(
      () => undefined,
      (e: unknown) => e as { code?: unknown; message?: string },
    );
    expect(error?.code).toBe(-31029);
    expect(error?.message).toMatch(/rate limit exceeded .*retry after \d+s/);
  });

  it('answers HTTP 429 with Retry-After once a perIp rule is used up', async () => {
    server = await startTestKernel({
      config: { rateLimit: { use: 'memory' }, limits: { perIp: { points: 2, durationSeconds: 60 } }, toolPacks: [{ use: 'pack' }] },
      plugins: [memory, pack],
    });
    const post = () =>
      fetch(server!.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' }),
      });
    for (let i = 0; i < 2; i++) expect((await post()).status).not.toBe(429);
    const refused = await post();
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(59);
    expect(((await refused.json()) as { error: { code: number } }).error.code).toBe(-31029);
  });

  it('refuses unknown options: the memory store takes none', async () => {
    await expect(startTestKernel({ config: { rateLimit: { use: 'memory', max: 5 } }, plugins: [memory] })).rejects.toThrow(
      /\/rateLimit\/max: unknown key "max"/,
    );
  });
});
