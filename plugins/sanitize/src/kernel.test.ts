import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import type { AuditEvent } from '@cnmcp/core/plugin';
import { startTestKernel, type TestKernel } from '@cnmcp/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import injectionFilter from './index.js';
import { echoPack, memorySink } from './testing/echo-pack.js';

const events: AuditEvent[] = [];
let server: TestKernel | undefined;
let client: Client | undefined;

afterEach(async () => {
  await client?.close();
  await server?.close();
  client = server = undefined;
  events.length = 0;
});

async function connect(sanitize: Record<string, unknown>): Promise<Client> {
  server = await startTestKernel({
    config: { sanitize: { use: 'injection-filter', ...sanitize }, audit: [{ use: 'memory' }], toolPacks: [{ use: 'echo' }] },
    plugins: [injectionFilter, echoPack, memorySink(events)],
  });
  client = new Client({ name: 'sanitize-test', version: '1' }, { versionNegotiation: { mode: { pin: '2026-07-28' } } });
  await client.connect(new StreamableHTTPClientTransport(server.url));
  return client;
}

/** A call the kernel refused before the tool ran: its isError result, which names the field for the model. */
const refused = async (c: Client, args: Record<string, unknown>) => {
  const result = await c.callTool({ name: 'echo_show_args', arguments: args });
  expect(result.isError).toBe(true);
  return (result.content as { text: string }[])[0]!.text;
};

const echo = async (c: Client, args: Record<string, unknown>) => {
  const result = await c.callTool({ name: 'echo_show_args', arguments: args });
  return JSON.parse((result.content as { text: string }[])[0]!.text) as Record<string, unknown>;
};

/** Stops the server so every audit event is flushed to the memory sink. */
const auditTrail = async () => {
  await server!.kernel.stop();
  return events.filter((e) => e.type === 'input.sanitized' || e.type === 'input.rejected');
};

describe('injection-filter through the kernel', () => {
  it('strip mode hands the tool cleaned values, leaves the other policies alone, and audits the changed fields', async () => {
    const c = await connect({ mode: 'strip' });
    const args = {
      note: "'; DROP TABLE users; --",
      labels: ['app=web', 'tier|db'],
      annotations: { 'a/b': '<script>x' },
      namespace: 'kube-system',
      link: 'https://example.com/a?x=1&y=2',
      query: 'sum(rate(x{job="a"}[5m])) by (code)',
      body: '{"k":"v;w"}',
    };
    expect(await echo(c, args)).toEqual({ ...args, note: ' DROP TABLE users ', labels: ['app=web', 'tierdb'], annotations: { 'a/b': 'x' } });
    expect(await echo(c, { note: 'clean' })).toEqual({ note: 'clean' });
    const trail = await auditTrail();
    expect(trail).toHaveLength(1);
    expect(trail[0]).toMatchObject({
      type: 'input.sanitized',
      outcome: 'success',
      tool: 'echo_show_args',
      details: { fields: ['/note', '/labels/1', '/annotations/a~1b'] },
    });
  });

  it('reject mode answers an isError result naming the field and what was found, never the value', async () => {
    const c = await connect({ mode: 'reject' });
    const text = await refused(c, { note: 'fine', labels: ['ok', 'a | b'] });
    expect(text).toContain('input rejected for tool echo_show_args: /labels/1: contains the character "|"');
    expect(text).not.toContain('a | b');
    expect(await echo(c, { note: 'fine', labels: ['app=web'] })).toEqual({ note: 'fine', labels: ['app=web'] });
    const trail = await auditTrail();
    expect(trail).toEqual([
      expect.objectContaining({
        type: 'input.rejected',
        outcome: 'failure',
        tool: 'echo_show_args',
        error: expect.objectContaining({ code: 'INPUT_REJECTED' }),
      }),
    ]);
  });

  it.each(['strip', 'reject'] as const)('%s mode rejects a javascript: URL and an invalid name', async (mode) => {
    const c = await connect({ mode });
    expect(await refused(c, { link: 'javascript:alert(1)' })).toContain('/link: scheme "javascript:" is not allowed');
    expect(await refused(c, { link: 'http://169.254.169.254/latest/meta-data/' })).toContain('/link: address 169.254.169.254');
    expect(await refused(c, { namespace: 'Bad_Name' })).toContain('/namespace: is not a valid name');
  });

  it('validation comes first: a schema error lists the JSON paths before the sanitizer sees anything', async () => {
    const c = await connect({ mode: 'reject' });
    expect(await refused(c, { note: 5, labels: ['a;', 7], extra: true })).toContain(
      'invalid arguments for tool echo_show_args: /extra: unknown argument; /note: must be string; /labels/1: must be string',
    );
  });

  it('per-tool and per-field overrides apply through the kernel', async () => {
    const c = await connect({ mode: 'strip', overrides: { 'echo_*': { mode: 'reject', fields: { '/note': 'raw', '/labels/*': 'strip' } } } });
    expect(await echo(c, { note: 'a;b', labels: ['c;d'] })).toEqual({ note: 'a;b', labels: ['cd'] });
    expect(await refused(c, { annotations: { k: 'x;y' } })).toContain('/annotations/k: contains ";"');
  });

  it('refuses a bad configuration at load time, naming the path', async () => {
    await expect(connect({ mode: 'scrub' })).rejects.toThrow('/sanitize/mode: must be one of "strip", "reject", got "scrub"');
    await expect(connect({ overrides: { t: { fields: { note: 'raw' } } } })).rejects.toThrow('/sanitize/overrides/t/fields: must match pattern "^/"');
    await expect(connect({ overrides: { t: { fields: { '/note': 'skip' } } } })).rejects.toThrow('/sanitize/overrides/t/fields/~1note: must be one of');
  });
});
