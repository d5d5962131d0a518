import { fileURLToPath } from 'node:url';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { startTestKernel } from '@cnmcp/core/testing';
import { describe, expect, it } from 'vitest';
import { runCli } from '../cli/run-cli.js';
// @ts-expect-error: the documented example is plain JavaScript
import hello from '../../docs/examples/hello-pack.mjs';

const examples = fileURLToPath(new URL('../../docs/examples/', import.meta.url));

describe('docs/writing-a-plugin.md examples', () => {
  it('the example config validates and lists the hello tool next to utilities', async () => {
    const { code, stdout, stderr } = await runCli(['tools', 'list', '--json', '--config', `${examples}cnmcp.config.yaml`]);
    expect(stderr).not.toContain('cnmcp:');
    expect(code).toBe(0);
    const names = (JSON.parse(stdout) as { name: string }[]).map((t) => t.name);
    expect(names).toEqual(expect.arrayContaining(['hello_greet_person', 'utilities_get_time']));
  });

  it('the testing snippet works as written', async () => {
    const server = await startTestKernel({ config: { toolPacks: [{ use: 'hello' }] }, plugins: [hello] });
    const client = new Client({ name: 'test', version: '1' }, { versionNegotiation: { mode: { pin: '2026-07-28' } } });
    try {
      await client.connect(new StreamableHTTPClientTransport(server.url));
      const result = await client.callTool({ name: 'hello_greet_person', arguments: { name: 'Ada' } });
      expect(result.structuredContent).toEqual({ greeting: 'Hello, Ada!' });
      const prompt = await client.getPrompt({ name: 'hello_welcome', arguments: { name: 'Ada' } });
      expect(prompt.messages[0]?.content).toEqual({ type: 'text', text: 'Call hello_greet_person with name "Ada", then write a short welcome.' });
      const read = await client.readResource({ uri: 'hello://greeting' });
      expect(read.contents).toEqual([
        { uri: 'hello://greeting', mimeType: 'application/json', text: JSON.stringify({ greeting: 'Hello, anonymous!' }, null, 1) },
      ]);
    } finally {
      await client.close();
      await server.close();
    }
  });
});
