// The packs as users run them: selected by `use:` in config, behind API keys and rbac, called over Streamable HTTP
// by the MCP SDK v2 client. Not used at runtime.
import type { Logger } from '@cnmcp/core/plugin';
import { startTestKernel, type TestKernel } from '@cnmcp/core/testing';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';

export const KEYS = { admin: 'Admin-Key-0123456789abcdef!', viewer: 'Viewer-Key-0123456789abcdef!' } as const;

export interface PackKernel {
  readonly server: TestKernel;
  /** A client authenticated with the key of `who`. */
  connect(who: keyof typeof KEYS): Promise<Client>;
  close(): Promise<void>;
}

/** Boots a kernel with the given tool packs, apikey auth (admin and viewer keys) and rbac (`readOnly` for the whole server if asked). */
export async function startPackKernel(
  toolPacks: readonly Record<string, unknown>[],
  options: { readOnly?: boolean; sanitize?: Record<string, unknown>; env?: NodeJS.ProcessEnv; logger?: Logger } = {},
): Promise<PackKernel> {
  const server = await startTestKernel({
    ...(options.env ? { env: options.env } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
    config: {
      auth: [
        {
          use: 'apikey',
          keys: [
            { id: 'ops-admin', key: KEYS.admin, roles: ['admin'] },
            { id: 'ops-viewer', key: KEYS.viewer, roles: ['viewer'] },
          ],
        },
      ],
      authorization: { use: 'rbac', readOnly: options.readOnly === true, roles: { admin: { tools: ['*'] }, viewer: { tools: ['*'], readOnly: true } } },
      toolPacks,
      ...(options.sanitize ? { sanitize: options.sanitize } : {}),
    },
  });
  const clients: Client[] = [];
  return {
    server,
    async connect(who) {
      const client = new Client({ name: 'prometheus-pack-test', version: '0.0.0' }, { versionNegotiation: { mode: { pin: '2026-07-28' } } });
      await client.connect(new StreamableHTTPClientTransport(server.url, { requestInit: { headers: { 'X-API-Key': KEYS[who] } } }));
      clients.push(client);
      return client;
    },
    async close() {
      await Promise.all(clients.map((c) => c.close()));
      await server.close();
    },
  };
}

export interface Called {
  readonly isError: boolean;
  readonly text: string;
  readonly data: Record<string, unknown>;
}

/** Calls a tool and returns its text, its structuredContent and whether it failed. */
export async function call(client: Client, name: string, args: Record<string, unknown> = {}): Promise<Called> {
  const result = (await client.callTool({ name, arguments: args })) as {
    isError?: boolean;
    content: { type: string; text?: string }[];
    structuredContent?: Record<string, unknown>;
  };
  return {
    isError: result.isError === true,
    text: result.content
      .filter((b) => b.type === 'text')
      .map((b) => b.text ?? '')
      .join('\n'),
    data: result.structuredContent ?? {},
  };
}

/** The JSON-RPC error a rejected request carried. */
export async function rpcError(request: Promise<unknown>): Promise<{ code: unknown; message: string }> {
  const error = await request.then(
    () => undefined,
    (e: unknown) => e as { code?: unknown; message?: string },
  );
  if (!error) throw new Error('expected a JSON-RPC error, but the call succeeded');
  return { code: error.code, message: String(error.message) };
}
