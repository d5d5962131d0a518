// Client factories for the e2e suite: both SDK generations over every transport the kernel serves, behind one
// small face (E2eClient) so a test reads the same whichever client and transport it drives.
import type { Readable } from 'node:stream';
import { Client as ModernClient, StreamableHTTPClientTransport as ModernHttpTransport } from '@modelcontextprotocol/client';
import { StdioClientTransport as ModernStdioTransport, type StdioServerParameters } from '@modelcontextprotocol/client/stdio';
import { Client as LegacyClient } from '@modelcontextprotocol/sdk/client/index.js';
import { ElicitRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { SSEClientTransport as LegacySseTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StdioClientTransport as LegacyStdioTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport as LegacyHttpTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport as LegacyTransport } from '@modelcontextprotocol/sdk/shared/transport.js';

/** The 2026-07-28 revision, which the v2 client pins (stateless, no handshake). */
export const MODERN_PROTOCOL = '2026-07-28';
/** The revision the v1 client (SDK 1.x) asks for in its initialize handshake. */
export const LEGACY_PROTOCOL = '2025-11-25';

const CLIENT_INFO = { name: 'cnmcp-e2e', version: '0.0.0' };

export interface ListedTool {
  readonly name: string;
  readonly title?: string;
  readonly description?: string;
  readonly inputSchema: Readonly<Record<string, unknown>>;
  readonly annotations?: Readonly<Record<string, unknown>>;
}

export interface CallResult {
  readonly content: readonly { readonly type: string; readonly text?: string }[];
  readonly isError?: boolean;
}

/** One connected client, whichever SDK generation and transport is underneath. */
export interface E2eClient {
  /** The revision the connection settled on: from the initialize answer (v1) or discovery (v2). */
  readonly protocolVersion: string | undefined;
  readonly serverInfo: { readonly name: string; readonly version: string } | undefined;
  listTools(): Promise<readonly ListedTool[]>;
  callTool(name: string, args: Record<string, unknown>, options?: { signal?: AbortSignal }): Promise<CallResult>;
  close(): Promise<void>;
}

/** A client of a server it spawned on stdio; `logs()` holds the child's stderr, one parsed JSON line each. */
export interface StdioE2eClient extends E2eClient {
  readonly pid: number | null;
  logs(): readonly Record<string, unknown>[];
}

/** What a client answers when the server asks it (declared as a capability only when given). */
export interface ClientAnswers {
  /** Answers elicitation/create (an ElicitResult). */
  readonly elicit?: (params: { message?: string; requestedSchema?: unknown }) => {
    action: 'accept' | 'decline' | 'cancel';
    content?: Record<string, string | number | boolean | string[]>;
  };
}

const capabilitiesFor = (answers: ClientAnswers) => (answers.elicit ? { elicitation: {} } : {});

function modernClient(answers: ClientAnswers): ModernClient {
  const client = new ModernClient(CLIENT_INFO, { capabilities: capabilitiesFor(answers), versionNegotiation: { mode: { pin: MODERN_PROTOCOL } } });
  const { elicit } = answers;
  if (elicit) client.setRequestHandler('elicitation/create', async (request) => elicit(request.params as never));
  return client;
}

function modern(client: ModernClient): E2eClient {
  return {
    get protocolVersion() {
      return client.getNegotiatedProtocolVersion();
    },
    get serverInfo() {
      return client.getServerVersion();
    },
    listTools: async () => (await client.listTools()).tools,
    callTool: async (name, args, options = {}) => (await client.callTool({ name, arguments: args }, options)) as CallResult,
    close: () => client.close(),
  };
}

/**
 * The v1 client tells the transport which revision the initialize answer named through the optional
 * Transport.setProtocolVersion; recording that call works the same for HTTP, SSE and stdio.
 */
async function legacy(transport: LegacyTransport, answers: ClientAnswers = {}): Promise<E2eClient> {
  let protocolVersion: string | undefined;
  const forward = transport.setProtocolVersion?.bind(transport);
  transport.setProtocolVersion = (version: string) => {
    protocolVersion = version;
    forward?.(version);
  };
  const client = new LegacyClient(CLIENT_INFO, { capabilities: capabilitiesFor(answers) });
  const { elicit } = answers;
  if (elicit) client.setRequestHandler(ElicitRequestSchema, async (request) => elicit(request.params));
  await client.connect(transport);
  return {
    get protocolVersion() {
      return protocolVersion;
    },
    get serverInfo() {
      return client.getServerVersion();
    },
    listTools: async () => (await client.listTools()).tools,
    callTool: async (name, args, options = {}) => {
      const result = await client.callTool({ name, arguments: args }, undefined, options);
      if (!('content' in result)) throw new Error(`tools/call of ${name} answered without content`);
      return result as CallResult;
    },
    close: () => client.close(),
  };
}

/** How HTTP clients reach the server: a custom fetch (e.g. trusting a test CA, see tls-fetch.ts). */
export interface HttpClientOptions extends ClientAnswers {
  readonly fetch?: typeof globalThis.fetch;
}

/** SDK v2 client pinned to 2026-07-28 over Streamable HTTP. */
export async function connectModernHttp(url: URL, options: HttpClientOptions = {}): Promise<E2eClient> {
  const client = modernClient(options);
  await client.connect(new ModernHttpTransport(url, options.fetch ? { fetch: options.fetch } : undefined));
  return modern(client);
}

/** SDK v1 client (2025-11-25 initialize handshake) over Streamable HTTP. */
export function connectLegacyHttp(url: URL, options: HttpClientOptions = {}): Promise<E2eClient> {
  return legacy(new LegacyHttpTransport(url, options.fetch ? { fetch: options.fetch } : undefined), options);
}

/** SDK v1 client over the legacy HTTP+SSE transport (GET /sse, POST /messages). */
export function connectLegacySse(origin: string, answers: ClientAnswers = {}): Promise<E2eClient> {
  return legacy(new LegacySseTransport(new URL('/sse', origin)), answers);
}

/** How to spawn `cnmcp serve --transport stdio` from the built CLI. */
export function stdioServerParameters(cliPath: string, configPath: string): StdioServerParameters {
  return { command: process.execPath, args: [cliPath, 'serve', '--transport', 'stdio', '--config', configPath], stderr: 'pipe' };
}

/** Collects a child's stderr as parsed JSON lines (the kernel logs JSON when stderr is not a terminal). */
function collectJsonLines(stream: Readable | null): () => readonly Record<string, unknown>[] {
  const lines: Record<string, unknown>[] = [];
  let pending = '';
  stream?.on('data', (chunk: Buffer) => {
    pending += chunk.toString('utf8');
    const complete = pending.split('\n');
    pending = complete.pop() ?? '';
    for (const line of complete) {
      try {
        lines.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        // Not a log record (e.g. a Node warning): nothing to assert on.
      }
    }
  });
  return () => lines;
}

/** SDK v1 client that spawns the server on stdio. */
export async function connectLegacyStdio(params: StdioServerParameters, answers: ClientAnswers = {}): Promise<StdioE2eClient> {
  const transport = new LegacyStdioTransport(params);
  const logs = collectJsonLines(transport.stderr as Readable | null);
  const client = await legacy(transport, answers);
  return Object.assign(client, { pid: transport.pid, logs });
}

/**
 * SDK v2 client pinned to 2026-07-28 that spawns the server on stdio. The pinned connect probes with
 * server/discover on a short-lived sibling process first, then starts the real child.
 */
export async function connectModernStdio(params: StdioServerParameters, answers: ClientAnswers = {}): Promise<StdioE2eClient> {
  const transport = new ModernStdioTransport(params);
  const logs = collectJsonLines(transport.stderr as Readable | null);
  const client = modernClient(answers);
  await client.connect(transport);
  return Object.assign(modern(client), { pid: transport.pid, logs });
}

/** The JSON-RPC error a rejected request carried (v1 McpError and v2 ProtocolError both expose `code`). */
export async function rpcErrorOf(request: Promise<unknown>): Promise<{ code: unknown; message: string }> {
  const error = await request.then(
    () => undefined,
    (e: unknown) => e as { code?: unknown; message?: string },
  );
  if (!error) throw new Error('expected the request to fail with a JSON-RPC error, but it succeeded');
  return { code: error.code, message: String(error.message) };
}

/** All text blocks of a result, in order. */
export const textsOf = (result: CallResult): string[] => result.content.filter((b) => b.type === 'text').map((b) => b.text ?? '');
