import { startTestKernel, type TestKernel } from '@cnmcp/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The pack as users run it: selected by `use: utilities` in config, loaded, validated and called by the real kernel.
let server: TestKernel;
let session: Record<string, string> = {};
let nextId = 1;

async function rpc(method: string, params: Record<string, unknown>): Promise<Record<string, unknown>> {
  const res = await fetch(server.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...session },
    body: JSON.stringify({ jsonrpc: '2.0', id: nextId++, method, params }),
  });
  const sessionId = res.headers.get('mcp-session-id');
  if (sessionId) session = { 'mcp-session-id': sessionId, 'mcp-protocol-version': '2025-06-18' };
  const body = await res.text();
  const json = res.headers.get('content-type')?.startsWith('text/event-stream')
    ? body
        .split('\n')
        .filter((l) => l.startsWith('data:'))
        .map((l) => JSON.parse(l.slice(5)) as Record<string, unknown>)
        .at(-1)
    : (JSON.parse(body) as Record<string, unknown>);
  return json ?? {};
}

beforeAll(async () => {
  server = await startTestKernel({ config: { toolPacks: [{ use: 'utilities', sleep: { maxSeconds: 3 }, webFetch: { maxBytes: 2048 } }] } });
  await rpc('initialize', { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'utilities-test', version: '0.0.0' } });
  await fetch(server.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...session },
    body: JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }),
  });
});

afterAll(async () => {
  await server?.close();
});

describe('utilities pack in the kernel', () => {
  it('lists its tools with schemas and annotations', async () => {
    const { result } = (await rpc('tools/list', {})) as {
      result: { tools: { name: string; inputSchema: { properties: Record<string, { maximum?: number }> }; annotations?: object }[] };
    };
    const byName = new Map(result.tools.map((t) => [t.name, t]));
    expect([...byName.keys()]).toEqual(
      expect.arrayContaining(['utilities_get_time', 'utilities_web_fetch', 'utilities_sleep', 'utilities_hash', 'utilities_base64', 'utilities_get_timestamp']),
    );
    expect(byName.get('utilities_sleep')?.inputSchema.properties.seconds?.maximum).toBe(3);
    expect(byName.get('utilities_web_fetch')?.annotations).toMatchObject({ openWorldHint: true, readOnlyHint: true });
  });

  it('calls a tool and returns structured content', async () => {
    const { result } = (await rpc('tools/call', { name: 'utilities_hash', arguments: { input: 'abc' } })) as {
      result: { structuredContent: { digest: string } };
    };
    expect(result.structuredContent.digest).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('passes tool errors through as isError results', async () => {
    const { result } = (await rpc('tools/call', { name: 'utilities_get_time', arguments: { timezone: 'Nowhere/Special' } })) as {
      result: { isError: boolean; content: { text: string }[] };
    };
    expect(result.isError).toBe(true);
    expect(result.content[0]?.text).toContain('Nowhere/Special');
  });

  it('refuses loopback fetches with the default guard', async () => {
    const { result } = (await rpc('tools/call', { name: 'utilities_web_fetch', arguments: { url: `${server.origin}/healthz` } })) as {
      result: { isError: boolean; content: { text: string }[] };
    };
    expect(result.isError).toBe(true);
    expect(result.content[0]?.text).toContain('loopback');
  });

  it('serves the summarize prompt with the URL checked before it reaches the text', async () => {
    const { result: listed } = (await rpc('prompts/list', {})) as { result: { prompts: { name: string; arguments: { name: string; required: boolean }[] }[] } };
    expect(listed.prompts.map((p) => p.name)).toEqual(['utilities_summarize_page']);
    expect(listed.prompts[0]!.arguments.map((a) => [a.name, a.required])).toEqual([
      ['url', true],
      ['question', false],
    ]);
    const { result } = (await rpc('prompts/get', {
      name: 'utilities_summarize_page',
      arguments: { url: 'https://example.com/a?b=1', question: 'Who\nwrote it?' },
    })) as {
      result: { messages: { content: { text: string } }[] };
    };
    const text = result.messages[0]!.content.text;
    expect(text).toContain('Call utilities_web_fetch with url: "https://example.com/a?b=1", method: "GET".');
    expect(text).toContain('"Who wrote it?"');
    const { error } = (await rpc('prompts/get', { name: 'utilities_summarize_page', arguments: { url: 'file:///etc/passwd' } })) as {
      error: { code: number; message: string };
    };
    expect(error.code).toBe(-32602);
    expect(error.message).toContain('argument url: give an absolute http:// or https:// URL');
  });
});
