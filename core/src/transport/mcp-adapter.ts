// The one file that touches the MCP SDK (v2). Everything MCP-specific the kernel needs goes through here,
// through the SDK's public API only, so an SDK upgrade stays local to this file.
import { randomBytes, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Readable, Writable } from 'node:stream';
import { NodeStreamableHTTPServerTransport, toWebRequest } from '@modelcontextprotocol/node';
import {
  CLIENT_CAPABILITIES_META_KEY,
  MissingRequiredClientCapabilityError,
  ProtocolError,
  ResourceNotFoundError,
  SUPPORTED_PROTOCOL_VERSIONS,
  Server,
  createMcpHandler,
  createRequestStateCodec,
  isInitializeRequest,
  isLegacyRequest,
  type AuthInfo,
  type CallToolResult,
  type JSONRPCMessage,
  type ServerContext,
  type Transport,
} from '@modelcontextprotocol/server';
import { StdioServerTransport, serveStdio } from '@modelcontextprotocol/server/stdio';
import { CnmcpError } from '../plugin/errors.js';
import {
  CAPABILITY_OF,
  ClientCapabilityError,
  type ClientCapability,
  type ClientRequestMethod,
  type ClientRequestOptions,
} from '../plugin/client-capability-error.js';
import type { Identity } from '../plugin/identity.js';
import type { Logger } from '../plugin/logger.js';
import type { LogLevel, PromptDefinition, ResourceDefinition, ResourceTemplateDefinition, ToolDefinition } from '../plugin/ports/tool-pack.js';
import { httpStatusOf, jsonRpcCodeOf } from '../pipeline/stage-error.js';
import { ElicitationAnswers } from '../pipeline/elicitation-answer.js';
import { InputRounds, type AnswerCheck, type RoundState } from '../pipeline/input-rounds.js';
import { isLogLevel, LogLevels } from './log-levels.js';
import { MemoryEventStore } from './memory-event-store.js';
import { SessionBook, type SessionLimits } from './session-book.js';
import type { McpSurface, RequestSource, TransportName } from '../pipeline/mcp-surface.js';
import type { ClientChannel, CredentialRef } from '../pipeline/request-context.js';
import { sendJsonRpcError } from './send-error.js';
import { serveFetch } from './serve-fetch.js';
import { followSignal } from '../pipeline/cancellation.js';
import type { FastCaller, Settled } from '../fast-path/fast-path.js';

/** Everything a server instance needs to know about the caller it serves. */
interface Caller {
  readonly identity: Identity;
  readonly credential?: CredentialRef;
  readonly transport: TransportName;
  readonly source: RequestSource;
  /** Set by the fast path when it ran the message itself and hands the SDK only the encoding of its outcome. */
  readonly settled?: Settled;
}

const CALLER = 'cnmcp.caller';

/** Identity travels to per-request servers inside the SDK's pass-through AuthInfo; never the credential itself. */
const toAuthInfo = (caller: Caller): AuthInfo => ({
  token: '',
  clientId: caller.identity.id,
  scopes: [...(caller.identity.scopes ?? [])],
  extra: { [CALLER]: caller },
});

const callerOf = (authInfo: AuthInfo | undefined): Caller | undefined => authInfo?.extra?.[CALLER] as Caller | undefined;

/** Maps kernel errors to JSON-RPC errors; anything unexpected becomes an internal error without internals. */
function toProtocolError(error: unknown, uri?: string): Error {
  if (error instanceof ProtocolError) return error;
  // The spec's own error for this (2026-07-28: HTTP 400), naming what the client should declare.
  if (error instanceof ClientCapabilityError)
    return new MissingRequiredClientCapabilityError({ requiredCapabilities: { [error.capability]: {} } }, error.message);
  if (error instanceof CnmcpError && error.code === 'RESOURCE_NOT_FOUND' && uri !== undefined) return new ResourceNotFoundError(uri);
  if (error instanceof CnmcpError) return new ProtocolError(jsonRpcCodeOf(error.code), error.message, { code: error.code });
  return new ProtocolError(-32603, 'internal error');
}

/** How a handler finds who it serves: fixed for a connection (stdio, SSE), or per request (HTTP, a session message). */
type CallerOf = (ctx: ServerContext) => Caller;

const requestCaller: CallerOf = (ctx) => {
  const caller = callerOf(ctx.http?.authInfo);
  if (!caller) throw new Error('request reached the MCP handler without an authenticated caller');
  return caller;
};

type Handlers = ReturnType<typeof createHandlers>;
type Params = Record<string, unknown>;

/**
 * The request handlers of a surface, made once per endpoint (or connection), not per request. Every method hands
 * its message to the kernel's pipeline (surface.handle) and only converts the answer to the SDK's shapes.
 */
function createHandlers(surface: McpSurface, callerFor: CallerOf, levels = new LogLevels()) {
  // Multi-round state (2026-07-28) is signed with a key of this endpoint's own (one per kernel), bound to the
  // caller's identity, and expires: a client can carry it, never forge, alter, replay elsewhere or keep it.
  const rounds = createRequestStateCodec<RoundState>({ key: randomBytes(32), ttlSeconds: 600, bind: (ctx) => identityOf(callerFor(ctx)) });
  const elicitations = new ElicitationAnswers();
  const checkAnswer: AnswerCheck = (key, method, params, answer) =>
    method === 'elicitation/create' ? elicitations.check(key, params, answer) : (answer as Record<string, unknown>);
  // The session's level where there is a session; a stateless 2025-era client's level follows its identity.
  const levelKey = (ctx: ServerContext) => (ctx.sessionId ? `session\n${ctx.sessionId}` : `identity\n${identityOf(callerFor(ctx))}`);
  const run = (server: Server, method: string, request: { params?: unknown }, ctx: ServerContext, asking?: InputRounds): Promise<unknown> => {
    const caller = callerFor(ctx);
    const outcome = caller.settled
      ? caller.settled.ok
        ? Promise.resolve(caller.settled.value)
        : Promise.reject(caller.settled.error)
      : surface.handle({
          message: { method, params: (request.params ?? {}) as Params, id: String(ctx.mcpReq.id) },
          identity: caller.identity,
          ...(caller.credential ? { credential: caller.credential } : {}),
          transport: caller.transport,
          source: caller.source,
          ...(ctx.sessionId ? { session: ctx.sessionId } : {}),
          cancellation: followSignal(ctx.mcpReq.signal),
          client: clientChannel(server, ctx, asking, (level) => levels.allows(levelKey(ctx), level)),
        });
    return outcome.catch((error: unknown) => {
      throw toProtocolError(error, method === 'resources/read' ? String((request.params as Params | undefined)?.uri) : undefined);
    });
  };
  /**
   * 2026-07-28: runs a tool call or prompt get whose handler may ask the client (ctx.request); its open questions
   * become an input_required answer, and the client answers them by sending the request again with the state.
   * `subject` names what the state is for (a tool, `prompt:<name>`), so it never unlocks another request.
   */
  const inRounds = async (
    server: Server,
    method: 'tools/call' | 'prompts/get',
    subject: string,
    request: { params?: unknown },
    ctx: ServerContext,
    complete: (result: unknown) => unknown,
  ) => {
    let asking: InputRounds;
    try {
      const args = (request.params as Params | undefined)?.arguments;
      asking = InputRounds.resume(subject, args, ctx.mcpReq.requestState<RoundState>(), ctx.mcpReq.inputResponses, checkAnswer);
    } catch (error) {
      throw toProtocolError(error);
    }
    let result: unknown;
    try {
      result = await run(server, method, request, ctx, asking);
    } catch (error) {
      if (asking.pending.size === 0) throw error;
    }
    if (asking.pending.size > 0) {
      const inputRequests = Object.fromEntries([...asking.pending].map(([key, { method, params }]) => [key, { method, params }]));
      return { resultType: 'input_required' as const, inputRequests: inputRequests as never, requestState: await rounds.mint(asking.next(), ctx) };
    }
    return complete(result);
  };
  return {
    verifyRoundState: rounds.verify,
    /** Whether a stateless 2025-era caller's `logging/setLevel` lets a line at `level` through (for the fast path). */
    logAllows: (from: Omit<Caller, 'transport'>, level: LogLevel) => levels.allows(`identity\n${identityOf(from)}`, level),

    /** 2025-era logging/setLevel (2026-07-28 has none: a request carries its level in `_meta`). */
    setLevel: async (_server: Server, request: { params?: unknown }, ctx: ServerContext) => {
      const level = (request.params as Params | undefined)?.level;
      if (!isLogLevel(level)) throw new ProtocolError(-32602, `unknown log level ${JSON.stringify(level)}`);
      levels.set(levelKey(ctx), level);
      return {};
    },

    toolsList: async (server: Server, request: { params?: unknown }, ctx: ServerContext) => ({
      tools: ((await run(server, 'tools/list', request, ctx)) as ToolDefinition[]).map((t) => ({
        name: t.name,
        ...(t.title ? { title: t.title } : {}),
        description: t.description,
        inputSchema: t.inputSchema as CallToolInputSchema,
        ...(t.outputSchema ? { outputSchema: t.outputSchema as CallToolInputSchema } : {}),
        ...(t.annotations ? { annotations: { ...t.annotations } } : {}),
      })),
    }),

    toolsCall: async (server: Server, request: { params: { name: string; arguments?: Record<string, unknown> } }, ctx: ServerContext) => {
      const project = (result: unknown) => server.projectCallToolResult(result as CallToolResult, surface.tool(request.params.name)?.outputSchema);
      if (!servesModern(server)) return project(await run(server, 'tools/call', request, ctx));
      return inRounds(server, 'tools/call', request.params.name, request, ctx, project);
    },

    promptsList: async (server: Server, request: { params?: unknown }, ctx: ServerContext) => ({
      prompts: ((await run(server, 'prompts/list', request, ctx)) as PromptDefinition[]).map((p) => ({
        name: p.name,
        ...(p.title ? { title: p.title } : {}),
        ...(p.description ? { description: p.description } : {}),
        ...(p.arguments ? { arguments: p.arguments.map((a) => ({ ...a })) } : {}),
      })),
    }),

    promptsGet: async (server: Server, request: { params?: unknown }, ctx: ServerContext) => {
      const project = (result: unknown) => structuredClone(result) as never;
      if (!servesModern(server)) return project(await run(server, 'prompts/get', request, ctx));
      return inRounds(server, 'prompts/get', `prompt:${String((request.params as Params | undefined)?.name)}`, request, ctx, project);
    },

    resourcesList: async (server: Server, request: { params?: unknown }, ctx: ServerContext) => ({
      resources: ((await run(server, 'resources/list', request, ctx)) as ResourceDefinition[]).map(({ read: _read, ...meta }) => ({ ...meta })),
    }),

    resourceTemplatesList: async (server: Server, request: { params?: unknown }, ctx: ServerContext) => ({
      resourceTemplates: ((await run(server, 'resources/templates/list', request, ctx)) as ResourceTemplateDefinition[]).map(
        ({ read: _read, complete: _complete, ...meta }) => ({ ...meta }),
      ),
    }),

    resourcesRead: async (server: Server, request: { params?: unknown }, ctx: ServerContext) => ({
      contents: structuredClone(await run(server, 'resources/read', request, ctx)) as never,
    }),

    subscribe: async (server: Server, request: { params?: unknown }, ctx: ServerContext) =>
      (await run(server, 'resources/subscribe', request, ctx)) as Record<string, never>,
    unsubscribe: async (server: Server, request: { params?: unknown }, ctx: ServerContext) =>
      (await run(server, 'resources/unsubscribe', request, ctx)) as Record<string, never>,

    complete: async (server: Server, request: { params?: unknown }, ctx: ServerContext) => {
      const values = (await run(server, 'completion/complete', request, ctx)) as readonly string[];
      return { completion: { values: values.slice(0, 100), total: values.length, hasMore: values.length > 100 } };
    },
  };
}

/** One SDK server instance over prebuilt handlers. The SDK wants a fresh instance per stateless request and per connection. */
function buildServer(surface: McpSurface, handlers: Handlers, logger: Logger): Server {
  const server = new Server(surface.info, {
    capabilities: { tools: {}, prompts: {}, resources: { subscribe: true }, completions: {}, logging: {} },
    // Sampling/elicitation go only to a client that declared them; a stateless instance never saw the
    // handshake, so ctx.request() rejects at once there instead of waiting out the tool's deadline.
    enforceStrictCapabilities: true,
    // A tampered, expired or foreign requestState is refused before any handler runs (-32602).
    requestState: { verify: handlers.verifyRoundState },
  });
  server.onerror = (error) => logger.debug('mcp protocol error', { error: error.message });
  // Each handler learns the instance it serves on: the client's capabilities live there (2025 handshake).
  const on =
    <R>(handler: (server: Server, request: R, ctx: ServerContext) => Promise<unknown>) =>
    (request: R, ctx: ServerContext) =>
      handler(server, request, ctx) as never;
  server.setRequestHandler('tools/list', on(handlers.toolsList));
  server.setRequestHandler('tools/call', on(handlers.toolsCall));
  server.setRequestHandler('prompts/list', on(handlers.promptsList));
  server.setRequestHandler('prompts/get', on(handlers.promptsGet));
  server.setRequestHandler('resources/list', on(handlers.resourcesList));
  server.setRequestHandler('resources/templates/list', on(handlers.resourceTemplatesList));
  server.setRequestHandler('resources/read', on(handlers.resourcesRead));
  server.setRequestHandler('resources/subscribe', on(handlers.subscribe));
  server.setRequestHandler('resources/unsubscribe', on(handlers.unsubscribe));
  server.setRequestHandler('completion/complete', on(handlers.complete));
  server.setRequestHandler('logging/setLevel', on(handlers.setLevel));
  return server;
}

/**
 * A server for one connection (legacy SSE, a handshake session). Each message carries the caller of the HTTP
 * request that delivered it, so it is authorized with the roles presented now, not those of the session's start.
 */
const connectionServer = (surface: McpSurface, logger: Logger): Server => buildServer(surface, createHandlers(surface, requestCaller), logger);

/** Who may use a session: the same strategy, identity and credential (by fingerprint) as the request that opened it. */
const ownerOf = (caller: Omit<Caller, 'transport'>) => `${identityOf(caller)}\n${caller.credential?.fingerprint ?? ''}`;
/** Whose session cap a session counts against: the identity, whatever credential it came with. */
const identityOf = (caller: Omit<Caller, 'transport'>) => `${caller.identity.authMethod}\n${caller.identity.id}`;

/** A capped session is refused with 429, through the stop-code table like every other refusal. */
const tooMany = (res: ServerResponse, why: string) => sendJsonRpcError(res, httpStatusOf('TOO_MANY_SESSIONS'), jsonRpcCodeOf('TOO_MANY_SESSIONS'), why);

type CallToolInputSchema = { type: 'object'; [key: string]: unknown };

function progressReporter(ctx: ServerContext) {
  const token = ctx.mcpReq._meta?.progressToken;
  return async (progress: number, total?: number, message?: string) => {
    if (token === undefined) return;
    await ctx.mcpReq.notify({
      method: 'notifications/progress',
      params: { progressToken: token, progress, ...(total !== undefined ? { total } : {}), ...(message !== undefined ? { message } : {}) },
    });
  };
}

/** Revisions from 2026-07-28 on carry the client's capabilities in every request and have no server-to-client requests. */
const servesModern = (server: Server) => (server.getNegotiatedProtocolVersion() ?? '') >= '2026-07-28';

/** What the client declared: in the request itself (2026-07-28), or in the handshake of its session (2025). */
function declaredCapabilities(server: Server, ctx: ServerContext): Record<string, unknown> | undefined {
  if (!servesModern(server)) return server.getClientCapabilities() as Record<string, unknown> | undefined;
  const envelope = ctx.mcpReq.envelope as Record<string, unknown> | undefined;
  const declared = envelope?.[CLIENT_CAPABILITIES_META_KEY];
  return typeof declared === 'object' && declared !== null ? (declared as Record<string, unknown>) : undefined;
}

/** The client of one message, as a handler sees it (progress, logging, capabilities, requests back). */
function clientChannel(server: Server, ctx: ServerContext, asking: InputRounds | undefined, logs: (level: LogLevel) => boolean): ClientChannel {
  const supports = (capability: ClientCapability) => {
    const declared = declaredCapabilities(server, ctx)?.[capability];
    return typeof declared === 'object' && declared !== null;
  };
  return {
    progress: progressReporter(ctx),
    // On 2026-07-28 the SDK filters by the request's own `_meta` level; on 2025 revisions by the kept level.
    log: async (level: LogLevel, data: unknown) => (servesModern(server) || logs(level) ? ctx.mcpReq.log(level, data) : undefined),
    supports,
    async request(method: ClientRequestMethod, params: Record<string, unknown>, options?: ClientRequestOptions) {
      const capability = CAPABILITY_OF[method];
      if (!supports(capability)) throw new ClientCapabilityError(capability, method);
      if (servesModern(server)) {
        if (!asking) throw new CnmcpError('CLIENT_REQUEST_UNSUPPORTED', `${method} can only be asked from a tool call`);
        return asking.ask(method, params, options?.key);
      }
      try {
        if (method === 'elicitation/create') return (await ctx.mcpReq.elicitInput(params as never)) as Record<string, unknown>;
        if (method === 'sampling/createMessage') return (await ctx.mcpReq.requestSampling(params as never)) as Record<string, unknown>;
        return (await ctx.mcpReq.send({ method, params })) as Record<string, unknown>;
      } catch (error) {
        throw new CnmcpError('CLIENT_REQUEST_FAILED', `the client could not answer ${method}: ${(error as Error).message}`);
      }
    },
  };
}

export interface HttpEndpointOptions {
  readonly sessions: 'auto' | 'stateless' | 'stateful';
  readonly sessionLimits: SessionLimits;
  readonly maxBodyBytes: number;
  readonly logger: Logger;
  /** The 2025-era `logging/setLevel` thresholds, shared with the fast path that filters log lines by them. */
  readonly levels: LogLevels;
}

/** The `retry` (ms) a session's SSE streams advise: how soon a client reconnects to a closed stream (SEP-1699). */
const SSE_RETRY_MS = 1000;

/**
 * Streamable HTTP at /mcp for both protocol generations. 2026-07-28 requests are stateless by design; 2025-era
 * requests are served in handshake sessions keyed by Mcp-Session-Id and bound to the identity that opened them
 * (`auto`: those that ask for one with initialize; `stateful`: all), or stateless (a fresh instance per request).
 */
export class McpHttpEndpoint {
  readonly #surface: McpSurface;
  readonly #options: HttpEndpointOptions;
  readonly #handler: ReturnType<typeof createMcpHandler>;
  readonly #sessions: SessionBook<NodeStreamableHTTPServerTransport>;
  /** Each session's server instance: its negotiated revision frames the session's streams. */
  readonly #servers = new WeakMap<NodeStreamableHTTPServerTransport, Server>();

  readonly #logAllows: (from: Omit<Caller, 'transport'>, level: LogLevel) => boolean;

  constructor(surface: McpSurface, options: HttpEndpointOptions) {
    this.#surface = surface;
    this.#options = options;
    this.#sessions = new SessionBook(options.sessionLimits);
    const handlers = createHandlers(surface, requestCaller, options.levels);
    this.#logAllows = handlers.logAllows;
    this.#handler = createMcpHandler(() => buildServer(surface, handlers, options.logger), {
      legacy: options.sessions === 'stateful' ? 'reject' : 'stateless',
      maxRequestBodySize: options.maxBodyBytes,
      onerror: (error) => options.logger.debug('mcp request rejected', { error: error.message }),
    });
  }

  /** Whether a 2025-era caller's `logging/setLevel` lets a line at `level` through (for the fast path). */
  logAllows(from: Omit<Caller, 'transport'>, level: LogLevel): boolean {
    return this.#logAllows(from, level);
  }

  /** Answers a request the fast path already ran: the SDK only encodes the pipeline's outcome (`settled`). */
  encode(req: IncomingMessage, res: ServerResponse, body: unknown, from: FastCaller, settled: Settled): Promise<void> {
    const caller: Caller = Object.assign({ transport: 'http' as const, settled }, from);
    return serveFetch(this.#handler.fetch, req, res, body, toAuthInfo(caller), this.#options.logger);
  }

  /** Serves one request to /mcp. `body` is the parsed JSON body of a POST (the body stage already read and capped it). */
  async handle(req: IncomingMessage, res: ServerResponse, body: unknown, from: FastCaller): Promise<void> {
    const caller: Caller = Object.assign({ transport: 'http' as const }, from);
    if (this.#options.sessions !== 'stateless' && (await this.#inSession(req, body))) return this.#handleSession(req, res, body, caller);
    await serveFetch(this.#handler.fetch, req, res, body, toAuthInfo(caller), this.#options.logger);
  }

  /** Whether a request belongs to a session: every 2025-era one (`stateful`), or one that has or opens a session (`auto`). */
  async #inSession(req: IncomingMessage, body: unknown): Promise<boolean> {
    const hasSession = typeof req.headers['mcp-session-id'] === 'string';
    if (req.method !== 'POST') return hasSession || (this.#options.sessions === 'stateful' && req.method === 'DELETE');
    // The parsed body is the predicate's second argument itself (not an options object): the stream is already read.
    if (!(await isLegacyRequest(await toWebRequest(req, body), body))) return false;
    if (this.#options.sessions === 'stateful' || hasSession) return true;
    return (Array.isArray(body) ? body : [body]).some((message) => isInitializeRequest(message));
  }

  async #handleSession(req: IncomingMessage, res: ServerResponse, body: unknown, caller: Caller): Promise<void> {
    const auth = toAuthInfo(caller);
    (req as IncomingMessage & { auth?: AuthInfo }).auth = auth;
    const id = req.headers['mcp-session-id'];
    if (typeof id === 'string') {
      const session = this.#sessions.use(id, ownerOf(caller));
      // Another identity's or credential's session id is answered exactly like an unknown one: nothing to learn.
      if (!session) return sendJsonRpcError(res, 404, -32001, 'session not found');
      this.#frameBySession(req, session);
      return session.handleRequest(req, res, body);
    }
    const refused = this.#sessions.refusal(identityOf(caller));
    // auto: a session is a bonus. At the cap the initialize is served stateless (no callbacks), not refused, so a
    // client that initializes for every request keeps working; stateful refuses with 429.
    if (refused && this.#options.sessions === 'auto') return serveFetch(this.#handler.fetch, req, res, body, auth, this.#options.logger);
    if (refused) return tooMany(res, refused);
    const transport: NodeStreamableHTTPServerTransport = new NodeStreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      eventStore: new MemoryEventStore(),
      retryInterval: SSE_RETRY_MS,
      maxRequestBodySize: this.#options.maxBodyBytes,
      onsessioninitialized: (sessionId) => {
        this.#sessions.add(sessionId, transport, ownerOf(caller), identityOf(caller));
      },
      onsessionclosed: (sessionId) => {
        this.#sessions.delete(sessionId);
      },
    });
    transport.onclose = () => {
      if (transport.sessionId) this.#sessions.delete(transport.sessionId);
    };
    const server = connectionServer(this.#surface, this.#options.logger);
    this.#servers.set(transport, server);
    await server.connect(transport);
    await transport.handleRequest(req, res, body);
  }

  /**
   * A session's POST streams are framed for the revision the session negotiated, not for an older one (or none)
   * the request's MCP-Protocol-Version names: a client that negotiated 2025-11-25 reads the SEP-1699 priming event
   * (an id, empty data and `retry`) that lets it resume a closed stream; the SDK decides that from the header.
   */
  #frameBySession(req: IncomingMessage, session: NodeStreamableHTTPServerTransport): void {
    const negotiated = this.#servers.get(session)?.getNegotiatedProtocolVersion();
    const named = req.headers['mcp-protocol-version'];
    if (
      req.method === 'POST' &&
      negotiated &&
      (named === undefined || (typeof named === 'string' && SUPPORTED_PROTOCOL_VERSIONS.includes(named) && named < negotiated))
    )
      req.headers['mcp-protocol-version'] = negotiated;
  }

  get sessionCount(): number {
    return this.#sessions.size;
  }

  async close(): Promise<void> {
    await this.#sessions.close();
    await this.#handler.close();
  }
}

/**
 * The legacy HTTP+SSE transport (protocol 2024-11-05): GET /sse opens an event stream whose first event names
 * the POST endpoint; each POST /messages?sessionId=... delivers one message into that session.
 */
class SseServerTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage, extra?: { authInfo?: AuthInfo }) => void;
  readonly sessionId = randomUUID();
  readonly #res: ServerResponse;
  readonly #endpoint: string;
  #closed = false;

  constructor(res: ServerResponse, endpoint: string) {
    this.#res = res;
    this.#endpoint = endpoint;
  }

  async start(): Promise<void> {
    this.#res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache, no-store', Connection: 'keep-alive' });
    this.#res.write(`event: endpoint\ndata: ${this.#endpoint}?sessionId=${this.sessionId}\n\n`);
    this.#res.on('close', () => void this.close());
  }

  async send(message: JSONRPCMessage): Promise<void> {
    if (this.#closed) throw new Error('SSE stream closed');
    this.#res.write(`event: message\ndata: ${JSON.stringify(message)}\n\n`);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#res.end();
    this.onclose?.();
  }
}

const isJsonRpcMessage = (value: unknown): boolean => {
  const message = value as Record<string, unknown> | null;
  return (
    typeof message === 'object' &&
    message !== null &&
    !Array.isArray(message) &&
    message.jsonrpc === '2.0' &&
    (typeof message.method === 'string' || 'id' in message)
  );
};

export class SseEndpoint {
  readonly #surface: McpSurface;
  readonly #logger: Logger;
  readonly #sessions: SessionBook<SseServerTransport>;

  constructor(surface: McpSurface, logger: Logger, limits: SessionLimits) {
    this.#sessions = new SessionBook(limits);
    this.#surface = surface;
    this.#logger = logger;
  }

  async open(res: ServerResponse, from: Omit<Caller, 'transport'>, messagesPath: string): Promise<void> {
    const refused = this.#sessions.refusal(identityOf(from));
    if (refused) return tooMany(res, refused);
    const transport = new SseServerTransport(res, messagesPath);
    this.#sessions.add(transport.sessionId, transport, ownerOf(from), identityOf(from));
    transport.onclose = () => this.#sessions.delete(transport.sessionId);
    await connectionServer(this.#surface, this.#logger).connect(transport);
  }

  /**
   * Delivers the POSTed message(s) to their session; 202 as the transport prescribes, answers go on the stream.
   * Each message carries this POST's caller: it runs the message stages with the credential presented now.
   */
  post(res: ServerResponse, sessionId: string | null, body: unknown, from: Omit<Caller, 'transport'>): void {
    const session = sessionId ? this.#sessions.use(sessionId, ownerOf(from)) : undefined;
    if (!session) return sendJsonRpcError(res, 404, -32001, 'session not found');
    const messages = Array.isArray(body) ? body : [body];
    // As the SDK's own transports do: what is not JSON-RPC is refused here, not accepted and dropped on the stream.
    if (messages.length === 0 || !messages.every(isJsonRpcMessage)) return sendJsonRpcError(res, 400, -32600, 'the body is not a JSON-RPC message');
    res.writeHead(202).end('Accepted');
    const authInfo = toAuthInfo({ ...from, transport: 'sse' });
    for (const message of messages) session.onmessage?.(message as JSONRPCMessage, { authInfo });
  }

  async close(): Promise<void> {
    await this.#sessions.close();
  }
}

/** Where a stdio connection's messages come from and its answers go, and what the fast path already ran. */
export interface StdioWire {
  /** Lines of JSON-RPC (batches already split by StdioBatches). */
  readonly input: Readable;
  readonly output: Writable;
  /** The pipeline's outcome of a request the stdio fast path ran and hands over for encoding only. */
  readonly settledFor: (id: string | number) => Settled | undefined;
}

/**
 * Serves one stdio client (both protocol generations) as the configured local identity, over the lines of `wire`
 * (stdio-front.ts reads stdin, answers what its fast path may and hands the rest here).
 */
export function serveStdioClient(surface: McpSurface, identity: Identity, logger: Logger, wire: StdioWire): { close(): Promise<void> } {
  const caller: Caller = { identity, transport: 'stdio', source: {} };
  const callerOf: CallerOf = (ctx) => {
    const settled = wire.settledFor(ctx.mcpReq.id);
    return settled ? { ...caller, settled } : caller;
  };
  const handlers = createHandlers(surface, callerOf);
  const transport = new StdioServerTransport(wire.input, wire.output);
  return serveStdio(() => buildServer(surface, handlers, logger), {
    transport,
    onerror: (error) => logger.debug('stdio protocol error', { error: error.message }),
  });
}
