// Helpers for driving the apikey and basic strategies through the real kernel, as users will: a tiny tool pack
// that reports who called it, a memory audit sink, the SDK v2 client with headers, and plain fetch.
import { definePlugin, type AuditEvent } from '@cnmcp/core/plugin';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';

const MODERN_PROTOCOL = '2026-07-28';

/** A tool pack with one read-only tool, `probe_whoami_caller`, answering the caller's identity id. */
export const probePack = definePlugin<'tool-pack'>({
  kind: 'tool-pack',
  name: 'auth-probe',
  configSchema: { type: 'object', additionalProperties: false },
  async setup() {
    return {
      tools: [
        {
          name: 'probe_whoami_caller',
          description: 'Answers the id of the identity that called it.',
          inputSchema: { type: 'object', properties: {}, additionalProperties: false },
          annotations: { readOnlyHint: true },
          handler: async (_args, ctx) => ({ content: [{ type: 'text', text: ctx.identity.id }] }),
        },
      ],
    };
  },
});

/** An audit sink that keeps every event in `events`; select it with `audit: [{ use: auth-test-memory }]`. */
export function memoryAuditSink() {
  const events: AuditEvent[] = [];
  const plugin = definePlugin<'audit-sink'>({
    kind: 'audit-sink',
    name: 'auth-test-memory',
    configSchema: { type: 'object', additionalProperties: false },
    async setup() {
      return {
        write: async (batch) => void events.push(...batch),
        close: async () => undefined,
      };
    },
  });
  return { plugin, events };
}

/** Connects the SDK v2 client (pinned to 2026-07-28) sending `headers` on every request. */
export async function connectWith(url: URL, headers: Record<string, string>): Promise<Client> {
  const client = new Client({ name: 'cnmcp-auth-test', version: '0.0.0' }, { versionNegotiation: { mode: { pin: MODERN_PROTOCOL } } });
  await client.connect(new StreamableHTTPClientTransport(url, { requestInit: { headers } }));
  return client;
}

/** Lists tool names and calls `probe_whoami_caller` as the client presenting `headers`. */
export async function whoAmI(url: URL, headers: Record<string, string>): Promise<{ tools: string[]; caller: string | undefined }> {
  const client = await connectWith(url, headers);
  try {
    const tools = (await client.listTools()).tools.map((t) => t.name);
    const result = await client.callTool({ name: 'probe_whoami_caller', arguments: {} });
    const first = (result.content as { type: string; text?: string }[])[0];
    return { tools, caller: first?.text };
  } finally {
    await client.close();
  }
}

/** A plain JSON-RPC POST to the MCP endpoint, below any client library. */
export function postMcp(url: URL | string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': MODERN_PROTOCOL, ...headers },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} }),
  });
}

/** Whatever a promise rejected with (the test fails if it resolved). */
export async function rejectionOf(promise: Promise<unknown>): Promise<Error> {
  const outcome = await promise.then(
    () => undefined,
    (error: unknown) => error as Error,
  );
  if (outcome === undefined) throw new Error('expected a rejection, but the promise resolved');
  return outcome;
}
