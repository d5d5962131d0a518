import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestKernel, type TestKernel } from '@cnmcp/core/testing';
import injectionFilter from './index.js';
import { echoPack } from './testing/echo-pack.js';

const doc = readFileSync(new URL('../../../docs/security/sanitization.md', import.meta.url), 'utf8');
const block = /^```yaml\n([\s\S]*?)^```/m.exec(doc)![1]!;

describe('docs/security/sanitization.md', () => {
  let server: TestKernel;
  let client: Client;

  beforeAll(async () => {
    const config = { ...(parse(block) as Record<string, unknown>), toolPacks: [{ use: 'utilities' }, { use: 'echo', tool: 'kubernetes_echo_args' }] };
    server = await startTestKernel({ config, plugins: [injectionFilter, echoPack] });
    client = new Client({ name: 'docs-test', version: '1' }, { versionNegotiation: { mode: { pin: '2026-07-28' } } });
    await client.connect(new StreamableHTTPClientTransport(server.url));
  });

  afterAll(async () => {
    await client?.close();
    await server?.close();
  });

  it('boots as written, with the sanitize stage on', () => {
    expect(server.kernel.pipeline().find((s) => s.stage === 'sanitize')).toMatchObject({ status: 'on', detail: 'sanitizer/injection-filter' });
  });

  it('kubernetes_* tools reject, except the raw annotations', async () => {
    expect(await client.callTool({ name: 'kubernetes_echo_args', arguments: { note: 'a; b' } })).toMatchObject({
      isError: true,
      content: [{ type: 'text', text: expect.stringContaining('/note: contains ";"') }],
    });
    const result = await client.callTool({ name: 'kubernetes_echo_args', arguments: { annotations: { 'app/description': "O'Brien's app; v2" } } });
    expect(JSON.parse((result.content as { text: string }[])[0]!.text)).toEqual({ annotations: { 'app/description': "O'Brien's app; v2" } });
  });

  it('utilities_hash and utilities_base64 take their input as sent (the pack marks it raw)', async () => {
    const hash = await client.callTool({ name: 'utilities_hash', arguments: { input: "it's" } });
    expect(hash.structuredContent).toMatchObject({ digest: createHash('sha256').update("it's").digest('hex') });
    const base64 = await client.callTool({ name: 'utilities_base64', arguments: { operation: 'encode', input: "it's" } });
    expect(JSON.stringify(base64.structuredContent)).toContain(Buffer.from("it's").toString('base64'));
  });

  it('utilities_web_fetch gets its URL unchecked here and guards it itself', async () => {
    const result = await client.callTool({ name: 'utilities_web_fetch', arguments: { url: 'http://127.0.0.1:9/?a=1&b=2' } });
    expect(result.isError).toBe(true);
    expect(JSON.stringify(result.content)).toMatch(/loopback/);
  });
});
