import type { IncomingMessage, ServerResponse } from 'node:http';
import { CnmcpError } from '../plugin/errors.js';
import type { Identity } from '../plugin/identity.js';
import { jsonRpcCodeOf } from '../pipeline/stage-error.js';
import type { LogLevel, ToolDefinition } from '../plugin/ports/tool-pack.js';
import type { McpSurface, MessageInput, RequestSource } from '../pipeline/mcp-surface.js';
import type { Cancellation } from '../pipeline/cancellation.js';
import type { CredentialRef } from '../pipeline/request-context.js';
import { FastAnswers } from './fast-answer.js';
import { fastClient } from './fast-client.js';
import { fastRequestOf, type FastRequest } from './fast-request.js';

/** What the kernel's pipeline made of a message: its value, or the error it failed with. */
export type Settled = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: unknown };

/** Who sent the request, as the authenticated request stages left it. */
export interface FastCaller {
  readonly identity: Identity;
  readonly credential?: CredentialRef;
  readonly source: RequestSource;
  /** Cancelled when the client leaves before its answer. */
  readonly cancellation: Cancellation;
}

/** Serves the request through the SDK with the pipeline's outcome already settled: the SDK only encodes it. */
export type SdkEncoder = (settled: Settled) => Promise<void>;

const SSE_HEADERS = { connection: 'keep-alive', 'content-type': 'text/event-stream', 'x-accel-buffering': 'no' };

/**
 * cnmcp's own answer to the hot methods (tools/call, tools/list) of stateless Streamable HTTP, both generations.
 * The message runs the same message stages, call and audit (surface.handle) as on the SDK path; what is skipped is
 * the SDK's per-request server instance, its zod schemas and the web Request/Response around it. The SDK stays
 * the reference: the gate (fast-request.ts) takes only shapes it hands to cnmcp unchanged, an error or a result
 * outside the plain-text shapes is encoded by the SDK itself (`sdk`), and test/e2e/fast-path-differential.test.ts
 * holds both paths to the same answers.
 */
export class FastPath {
  readonly #surface: McpSurface;
  readonly #answers: FastAnswers;
  /** Tools whose calls the SDK treats specially (structured output, x-mcp-header parameters): always the SDK's. */
  readonly #sdkOnly: ReadonlySet<string>;

  /** Session-less 2025-era requests too (`server.sessions` auto or stateless); with `stateful` the SDK keeps them. */
  readonly #legacy: boolean;

  constructor(surface: McpSurface, tools: Iterable<ToolDefinition>, options: { readonly legacy: boolean }) {
    this.#surface = surface;
    this.#legacy = options.legacy;
    const list = [...tools];
    this.#answers = new FastAnswers(surface.info, list);
    this.#sdkOnly = new Set(list.filter((t) => t.outputSchema !== undefined || JSON.stringify(t.inputSchema).includes('"x-mcp-header"')).map((t) => t.name));
  }

  /** Whether the fast path answers this request (a tool the SDK treats specially is the SDK's). */
  takes(request: FastRequest): boolean {
    return request.tool === undefined || !this.#sdkOnly.has(request.tool);
  }

  /** Runs the message through the pipeline (surface.handle): its value, or the error it failed with. */
  async settle(input: MessageInput): Promise<Settled> {
    try {
      return { ok: true, value: await this.#surface.handle(input) };
    } catch (error) {
      return { ok: false, error };
    }
  }

  /** The JSON-RPC answer to `request`, or undefined when the SDK must encode it (an error, a result it projects). */
  encode(request: FastRequest, settled: Settled): string | undefined {
    return settled.ok ? this.#answers.encode(request, settled.value) : undefined;
  }

  /** Answers the request and resolves true, or resolves false at once (nothing run) when it is not one for the fast path. */
  async serve(
    req: IncomingMessage,
    res: ServerResponse,
    body: unknown,
    caller: FastCaller,
    sdk: SdkEncoder,
    logAllows: (level: LogLevel) => boolean = () => true,
  ): Promise<boolean> {
    const request = fastRequestOf(req.headers, body);
    if (!request || (request.era === 'legacy' && !this.#legacy) || !this.takes(request)) return false;
    // 2025-era answers are an event stream: a handler's log line goes out as it is written, as the SDK sends it.
    const notify = (message: Record<string, unknown>) => {
      if (!res.headersSent) res.writeHead(200, SSE_HEADERS);
      res.write(`event: message\ndata: ${JSON.stringify(message)}\n\n`);
    };
    const settled = await this.settle({
      message: messageOf(request),
      identity: caller.identity,
      credential: caller.credential,
      transport: 'http',
      source: caller.source,
      cancellation: caller.cancellation,
      client: fastClient(request.era, notify, logAllows),
    });
    const text = this.encode(request, settled);
    if (res.headersSent) {
      // A stream already under way: only a 2025-era call that logged. Its answer is the SDK's encoding of the same.
      res.end(`event: message\ndata: ${text ?? streamedAnswer(request.id, settled)}\n\n`);
      return true;
    }
    if (text === undefined) {
      await sdk(settled);
      return true;
    }
    if (request.era === 'modern') res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) }).end(text);
    else res.writeHead(200, SSE_HEADERS).end(`event: message\ndata: ${text}\n\n`);
    return true;
  }
}

/** The pipeline's view of a fast request. */
export const messageOf = (request: FastRequest): MessageInput['message'] => ({ method: request.method, params: request.params, id: String(request.id) });

/** The rare answer after a streamed log line that is not plain text: the result as is, or the error as the adapter maps it. */
function streamedAnswer(id: string | number, settled: Settled): string {
  if (settled.ok) return JSON.stringify({ result: settled.value, jsonrpc: '2.0', id });
  const error =
    settled.error instanceof CnmcpError
      ? { code: jsonRpcCodeOf(settled.error.code), message: settled.error.message, data: { code: settled.error.code } }
      : { code: -32603, message: 'internal error' };
  return JSON.stringify({ jsonrpc: '2.0', id, error });
}
