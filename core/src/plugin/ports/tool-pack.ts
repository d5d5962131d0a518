import type { Identity } from '../identity.js';
import type { Logger } from '../logger.js';
import type { ClientCapability, ClientRequestMethod, ClientRequestOptions } from '../client-capability-error.js';

/** A JSON Schema (2020-12) object schema, as MCP sends it to clients. */
export type JsonSchemaObject = { readonly type: 'object'; readonly [keyword: string]: unknown };

/** MCP's tool annotations, with MCP's own words. */
export interface ToolAnnotations {
  readonly title?: string;
  readonly readOnlyHint?: boolean;
  readonly destructiveHint?: boolean;
  readonly idempotentHint?: boolean;
  readonly openWorldHint?: boolean;
}

export type ContentBlock =
  | { readonly type: 'text'; readonly text: string }
  | { readonly type: 'image'; readonly data: string; readonly mimeType: string }
  | { readonly type: 'audio'; readonly data: string; readonly mimeType: string }
  | { readonly type: 'resource'; readonly resource: ResourceContents }
  | { readonly type: 'resource_link'; readonly uri: string; readonly name: string; readonly mimeType?: string; readonly description?: string };

export type ResourceContents =
  { readonly uri: string; readonly mimeType?: string; readonly text: string } | { readonly uri: string; readonly mimeType?: string; readonly blob: string };

/** What a tool handler returns: MCP's CallToolResult. `isError: true` reports a tool failure to the model. */
export interface ToolResult {
  readonly content: readonly ContentBlock[];
  readonly structuredContent?: Readonly<Record<string, unknown>>;
  readonly isError?: boolean;
}

export type LogLevel = 'debug' | 'info' | 'notice' | 'warning' | 'error' | 'critical' | 'alert' | 'emergency';

/** Per-call context, built fresh for every call. */
export interface ToolContext {
  readonly identity: Identity;
  readonly logger: Logger;
  /**
   * Aborted on the call's timeout, at shutdown, and on MCP cancellation where the protocol can deliver it to this
   * call: 2026-07-28 requests, stdio, SSE and stateful sessions. A 2025-era client on stateless HTTP sends its
   * cancellation in a separate request that cannot reach this call; the timeout still bounds it. Made on first
   * read (an accessor of the context's class): pass `ctx` on, or `ctx.signal`, rather than a spread copy of `ctx`.
   */
  readonly signal: AbortSignal;
  /** Epoch milliseconds after which the kernel abandons the call. */
  readonly deadline: number;
  readonly requestId: string;
  /** Reports progress when the client asked for it (a progress token); otherwise does nothing. */
  progress(progress: number, total?: number, message?: string): Promise<void>;
  /** Sends an MCP log notification to the client (2025-era sessions), filtered by its `logging/setLevel`. */
  log(level: LogLevel, data: unknown): Promise<void>;
  /**
   * Whether the client declared this capability: in its 2025 handshake, or in the 2026-07-28 request's own client
   * capabilities. Stateless 2025-era HTTP requests carry none, so there it is always false.
   */
  clientSupports(capability: ClientCapability): boolean;
  /**
   * Asks the client for something (elicitation, sampling, roots) and resolves with its answer (MCP's
   * ElicitResult, CreateMessageResult or ListRootsResult). On 2025-era sessions this is an in-band
   * server-to-client request. On 2026-07-28 the call answers an input-required result; the client answers it and
   * calls the tool again, which runs the handler again from the start, this time with the answer: ask before you
   * change anything. Where the client did not declare the capability it rejects with `ClientCapabilityError`.
   *
   * @example
   * if (!ctx.clientSupports('elicitation')) return { content: [{ type: 'text', text: 'pass confirm: true to delete' }], isError: true };
   * const answer = await ctx.request('elicitation/create', { message: `Delete pod ${name}?`, requestedSchema: { type: 'object', properties: { confirm: { type: 'boolean' } } } });
   * if (answer.action !== 'accept' || (answer.content as { confirm?: boolean })?.confirm !== true) return { content: [{ type: 'text', text: 'not deleted' }] };
   */
  request(method: ClientRequestMethod, params: Record<string, unknown>, options?: ClientRequestOptions): Promise<Record<string, unknown>>;
  /**
   * Runs one backend call (an HTTP request to Prometheus, a Kubernetes API call) as a child span of this tool
   * call, timed into `cnmcp_backend_call_duration_seconds{backend=name}`. `name` is a fixed operation name, never
   * a value from the arguments; the same goes for attributes set on the span. With telemetry off it just runs `fn`.
   *
   * @example
   * const res = await ctx.span('prometheus.query', (span) => { span.setAttribute('http.request.method', 'GET'); return fetch(url, { signal: ctx.signal }); });
   */
  span<T>(name: string, fn: (span: BackendSpan) => Promise<T>): Promise<T>;
}

/** The part of an OpenTelemetry span a backend call may annotate (status code, retries). */
export interface BackendSpan {
  setAttribute(key: string, value: string | number | boolean): unknown;
  /**
   * The W3C `traceparent` (and `tracestate`) naming this span, to add to the backend request so the backend's own
   * spans join the trace; empty when tracing is off. Send it only to backends you configured, never to a URL
   * from the arguments.
   *
   * @example
   * await ctx.span('prometheus GET /api/v1/query', (span) => fetch(url, { headers: { ...span.traceHeaders(), accept: 'application/json' } }));
   */
  traceHeaders(): Readonly<Record<string, string>>;
}

/**
 * One tool. Names follow `<pack>_<verb>_<noun>` (e.g. `utilities_get_time`).
 *
 * @example
 * const getTime: ToolDefinition<{ zone?: string }> = {
 *   name: 'utilities_get_time', description: 'Current time in an IANA zone',
 *   inputSchema: { type: 'object', properties: { zone: { type: 'string' } }, additionalProperties: false },
 *   annotations: { readOnlyHint: true },
 *   handler: async ({ zone }) => ({ content: [{ type: 'text', text: new Date().toLocaleString('en-US', { timeZone: zone }) }] }),
 * };
 */
export interface ToolDefinition<Args = Record<string, unknown>> {
  readonly name: string;
  readonly title?: string;
  readonly description: string;
  readonly inputSchema: JsonSchemaObject;
  readonly outputSchema?: JsonSchemaObject;
  readonly annotations?: ToolAnnotations;
  handler(args: Args, ctx: ToolContext): Promise<ToolResult>;
}

export interface PromptArgument {
  readonly name: string;
  readonly description?: string;
  readonly required?: boolean;
}

export interface PromptMessage {
  readonly role: 'user' | 'assistant';
  readonly content: ContentBlock;
}

/**
 * What a resource read, a prompt get or a completion runs with: the same context a tool call gets (the caller,
 * its deadline and cancellation, backend spans), so a pack reads through the code paths its tools use. A prompt's
 * `get` may ask the client as a tool does (`clientSupports`, `request`: on 2026-07-28 the get answers
 * input_required and runs again with the answer); in reads and completions `clientSupports` is false and `request`
 * rejects.
 */
export type ReadContext = ToolContext;

/**
 * One prompt: a workflow over the pack's tools, with typed arguments.
 *
 * @example
 * const diagnose: PromptDefinition = {
 *   name: 'diagnose_workload', arguments: [{ name: 'namespace', required: true }], tools: ['kubernetes_describe_resource'],
 *   get: async ({ namespace }) => ({ messages: [{ role: 'user', content: { type: 'text', text: `Call kubernetes_describe_resource in ${namespace}...` } }] }),
 * };
 */
export interface PromptDefinition {
  readonly name: string;
  readonly title?: string;
  readonly description?: string;
  readonly arguments?: readonly PromptArgument[];
  /**
   * The tools the prompt tells the model to call. Core serves the prompt only when every one of them is served,
   * so a prompt that spans packs appears only when all of those packs are configured.
   */
  readonly tools?: readonly string[];
  get(args: Readonly<Record<string, string>>, ctx: ReadContext): Promise<{ readonly description?: string; readonly messages: readonly PromptMessage[] }>;
  /** Completion suggestions for an argument's partial value. */
  complete?(argument: string, value: string, ctx: ReadContext): Promise<readonly string[]>;
}

export interface ResourceDefinition {
  readonly uri: string;
  readonly name: string;
  readonly title?: string;
  readonly description?: string;
  readonly mimeType?: string;
  read(ctx: ReadContext): Promise<readonly ResourceContents[]>;
}

export interface ResourceTemplateDefinition {
  /** RFC 6570 template, e.g. `k8s://namespaces/{namespace}/pods/{name}`. */
  readonly uriTemplate: string;
  readonly name: string;
  readonly title?: string;
  readonly description?: string;
  readonly mimeType?: string;
  read(uri: string, variables: Readonly<Record<string, string>>, ctx: ReadContext): Promise<readonly ResourceContents[]>;
  complete?(variable: string, value: string, ctx: ReadContext): Promise<readonly string[]>;
}

/** Port of plugin kind `tool-pack`. */
export interface ToolPack {
  readonly tools: readonly ToolDefinition[];
  readonly prompts?: readonly PromptDefinition[];
  readonly resources?: readonly ResourceDefinition[];
  readonly resourceTemplates?: readonly ResourceTemplateDefinition[];
}
