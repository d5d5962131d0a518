import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { startTestKernel } from '@cnmcp/core/testing';
import { describe, expect, expectTypeOf, it } from 'vitest';
import greeting, { type GreetingConfig } from '../../docs/examples/greeting-pack.js';

// docs/writing-a-plugin.md "Options typed by the schema": the example typechecks (the root tsc reads it through this
// import) and the kernel fills the default the type promises.
describe('docs/examples/greeting-pack.ts', { timeout: 120_000 }, () => {
  it('reads the options type from the schema', () => {
    expectTypeOf<GreetingConfig>().toEqualTypeOf<{ readonly greeting: string; readonly shout?: boolean }>();
    expectTypeOf(greeting.setup).parameter(0).toHaveProperty('config').toEqualTypeOf<Readonly<GreetingConfig>>();
  });

  it('gets the default filled by the kernel, and an option of the wrong type refused', async () => {
    const server = await startTestKernel({ config: { toolPacks: [{ use: 'greeting', shout: true }] }, plugins: [greeting] });
    const client = new Client({ name: 'test', version: '1' }, { versionNegotiation: { mode: { pin: '2026-07-28' } } });
    try {
      await client.connect(new StreamableHTTPClientTransport(server.url));
      const result = await client.callTool({ name: 'greeting_greet_person', arguments: { name: 'Ada' } });
      expect(result.content).toEqual([{ type: 'text', text: 'HELLO, ADA!' }]);
    } finally {
      await client.close();
      await server.close();
    }
    await expect(startTestKernel({ config: { toolPacks: [{ use: 'greeting', greeting: 42 }] }, plugins: [greeting] })).rejects.toThrow(/greeting/);
  });
});
