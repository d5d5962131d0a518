// Resource reads, prompt gets and completions run as tool calls do: with the caller, against the call timeout,
// their backend spans under the call, known secrets masked, and a prompt whose tools are not all served left out.
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { definePlugin } from '../plugin/define-plugin.js';
import { CnmcpError } from '../plugin/errors.js';
import type { ReadContext } from '../plugin/ports/tool-pack.js';
import { jsonContents, readThroughTool } from '../plugin/read-through-tool.js';
import { startTestKernel, type TestKernel } from '../testing/start-test-kernel.js';

// The API key comes from a reference, so the server knows it as a secret value.
const SECRET = 'Backend-Token-0123456789X!';
const exporter = new InMemorySpanExporter();
let aborted: unknown;

const echo = {
  name: 'probe_echo_caller',
  description: 'Says who calls.',
  inputSchema: { type: 'object', properties: {}, additionalProperties: false },
  annotations: { readOnlyHint: true },
  handler: async (_args: unknown, ctx: ReadContext) => ({
    content: [{ type: 'text' as const, text: ctx.identity.id }],
    structuredContent: { caller: ctx.identity.id },
  }),
} as const;
const change = { ...echo, name: 'probe_change_things', annotations: { readOnlyHint: false } };

const probe = definePlugin({
  kind: 'tool-pack',
  name: 'probe',
  configSchema: { type: 'object', additionalProperties: false },
  setup: async () => ({
    tools: [echo, change],
    resources: [
      {
        uri: 'probe://caller',
        name: 'caller',
        read: async (ctx) => ctx.span('probe.backend', async () => jsonContents('probe://caller', await readThroughTool(echo, {}, ctx))),
      },
      {
        uri: 'probe://hang',
        name: 'hang',
        read: (ctx) =>
          new Promise((_, reject) =>
            ctx.signal.addEventListener('abort', () => {
              aborted = ctx.signal.reason;
              reject(new Error('aborted'));
            }),
          ),
      },
      { uri: 'probe://secret', name: 'secret', read: async () => [{ uri: 'probe://secret', text: `token=${SECRET}` }] },
      { uri: 'probe://writes', name: 'writes', read: async (ctx) => jsonContents('probe://writes', await readThroughTool(change, {}, ctx)) },
    ],
    resourceTemplates: [{ uriTemplate: 'probe://items/{name}', name: 'item', read: async (uri, { name }) => [{ uri, text: name ?? '' }] }],
    prompts: [
      {
        name: 'probe_served',
        tools: ['probe_echo_caller'],
        get: async (_args, ctx) => ({ messages: [{ role: 'user', content: { type: 'text', text: `for ${ctx.identity.id}` } }] }),
        complete: async (_argument, value, ctx) => [`${value}-${ctx.identity.id}`],
      },
      { name: 'probe_orphan', tools: ['other_pack_tool'], get: async () => ({ messages: [] }) },
      {
        name: 'probe_rejects',
        get: async () => {
          throw new CnmcpError('INVALID_PARAMS', 'argument x: not a name');
        },
      },
    ],
  }),
});

let server: TestKernel;
let client: Client;

beforeAll(async () => {
  server = await startTestKernel({
    plugins: [probe],
    spanExporter: exporter,
    env: { PROBE_TOKEN: SECRET },
    config: {
      server: { toolTimeoutMs: 300 },
      toolPacks: [{ use: 'probe' }],
      authorization: { use: 'allow-all' },
      auth: [{ use: 'apikey', keys: [{ id: 'reader', key: '${env:PROBE_TOKEN}', roles: ['r'] }] }],
    },
  });
  client = new Client({ name: 'read-runner', version: '0' }, { versionNegotiation: { mode: { pin: '2026-07-28' } } });
  await client.connect(new StreamableHTTPClientTransport(server.url, { requestInit: { headers: { 'x-api-key': SECRET } } }));
});

afterAll(async () => {
  await client?.close();
  await server?.close();
});

const error = (request: Promise<unknown>) =>
  request.then(
    () => {
      throw new Error('expected an error');
    },
    (e: { code?: number; message?: string }) => ({ code: e.code, message: String(e.message) }),
  );

describe('reads run as tool calls do', () => {
  it('gives the read the caller and puts its backend spans under the call', async () => {
    exporter.reset();
    const read = await client.readResource({ uri: 'probe://caller' });
    expect(JSON.parse((read.contents[0] as { text: string }).text)).toEqual({ caller: 'reader' });
    const spans = exporter.getFinishedSpans();
    const backend = spans.find((s) => s.name === 'probe.backend')!;
    const call = spans.find((s) => s.name === 'call')!;
    expect(backend.parentSpanContext?.spanId).toBe(call.spanContext().spanId);
  });

  it('stops a read at the call timeout, aborting its signal, with READ_FAILED', async () => {
    const failed = await error(client.readResource({ uri: 'probe://hang' }));
    expect(failed).toMatchObject({ code: -31060 });
    expect(failed.message).toContain('resource probe://hang timed out after 300 ms');
    expect(aborted).toBeInstanceOf(DOMException);
  });

  it('masks secrets the server holds, and never runs a tool that changes things for a read', async () => {
    const read = await client.readResource({ uri: 'probe://secret' });
    expect((read.contents[0] as { text: string }).text).toBe('token=***');
    expect(await error(client.readResource({ uri: 'probe://writes' }))).toMatchObject({ code: -31060, message: expect.stringContaining('changes things') });
  });

  it('serves a prompt only when its tools are served, with the caller in get and complete', async () => {
    expect((await client.listPrompts()).prompts.map((p) => p.name).sort()).toEqual(['probe_rejects', 'probe_served']);
    const got = await client.getPrompt({ name: 'probe_served' });
    expect(got.messages[0]?.content).toEqual({ type: 'text', text: 'for reader' });
    const done = await client.complete({ ref: { type: 'ref/prompt', name: 'probe_served' }, argument: { name: 'a', value: 'v' } });
    expect(done.completion.values).toEqual(['v-reader']);
    expect(await error(client.getPrompt({ name: 'probe_rejects' }))).toMatchObject({
      code: -32602,
      message: expect.stringContaining('argument x: not a name'),
    });
  });

  it('answers a malformed %-escape in a resource URI as not found, not as an internal error', async () => {
    const failed = await error(client.readResource({ uri: 'probe://items/%E0%A4%A' }));
    expect(failed.message).toContain('probe://items/%E0%A4%A');
  });
});
