import type { Identity } from '../plugin/identity.js';
import { CnmcpError } from '../plugin/errors.js';
import type { ToolDefinition } from '../plugin/ports/tool-pack.js';
import type { Cancellation } from './cancellation.js';
import type { ClientChannel, CredentialRef, PipelineMessage, RequestContext } from './request-context.js';
import type { Pipeline } from './run-pipeline.js';
import { toolInputError } from './tool-input-error.js';

/** Which transport a request came through: recorded in audit events and metrics. */
export type TransportName = 'http' | 'sse' | 'stdio';

/** One JSON-RPC request handed over by the MCP adapter, with who sent it and how to talk back. */
export interface MessageInput {
  readonly message: PipelineMessage;
  readonly identity: Identity;
  readonly credential?: CredentialRef;
  readonly transport: TransportName;
  readonly source: RequestSource;
  readonly session?: string;
  readonly cancellation: Cancellation;
  readonly client: ClientChannel;
}

/** What the kernel offers the MCP adapter: server info, tool lookup, and the one entry point every message takes. */
export interface McpSurface {
  readonly info: { readonly name: string; readonly version: string };
  /** A tool by name (the adapter projects results against its output schema). */
  tool(name: string): ToolDefinition | undefined;
  /**
   * Runs one message through the message stages and its method; a refusal throws CnmcpError with the stop code,
   * except refused tool arguments, which answer an `isError` tool result (tool-input-error.ts).
   */
  handle(input: MessageInput): Promise<unknown>;
}

/** The surface over a compiled pipeline. */
export function createSurface(info: McpSurface['info'], tools: ReadonlyMap<string, ToolDefinition>, pipeline: Pick<Pipeline, 'message'>): McpSurface {
  return {
    info,
    tool: (name) => tools.get(name),
    async handle(input) {
      const ctx: RequestContext = {
        requestId: input.message.id,
        transport: input.transport,
        entry: 'mcp',
        source: input.source,
        cancellation: input.cancellation,
        identity: input.identity,
        messages: 1,
        message: input.message,
        client: input.client,
        responseHeaders: {},
      };
      // Optional fields assigned, not spread in: a spread in the middle of a literal is slow in V8, on every message.
      if (input.credential) ctx.credential = input.credential;
      if (input.session) ctx.session = input.session;
      const outcome = await pipeline.message(ctx);
      if (outcome.continue) return outcome.result;
      const inputError = toolInputError(input.message.method, outcome);
      if (inputError) return inputError;
      throw new CnmcpError(outcome.code, outcome.message);
    },
  };
}

/** Who sent an HTTP request, for audit: taken from the socket, never from client headers. */
export interface RequestSource {
  readonly ip?: string;
  readonly userAgent?: string;
}
