import type { Identity } from '../plugin/identity.js';
import type {
  LogLevel,
  PromptDefinition,
  ResourceContents,
  ResourceDefinition,
  ResourceTemplateDefinition,
  ToolDefinition,
  ToolResult,
} from '../plugin/ports/tool-pack.js';

/** Which transport a request came through: recorded in audit events and metrics. */
export type TransportName = 'http' | 'sse' | 'stdio';

/** One tools/call as the kernel sees it, with the MCP facilities the adapter provides. */
export interface ToolCallInput {
  readonly name: string;
  readonly args: Record<string, unknown>;
  readonly identity: Identity;
  readonly requestId: string;
  readonly transport: TransportName;
  readonly source: { readonly ip?: string; readonly userAgent?: string };
  readonly signal: AbortSignal;
  progress(progress: number, total?: number, message?: string): Promise<void>;
  log(level: LogLevel, data: unknown): Promise<void>;
  request(method: 'elicitation/create' | 'sampling/createMessage', params: Record<string, unknown>): Promise<Record<string, unknown>>;
}

/** What the kernel offers the MCP adapter: the catalog and the one entry point that runs the tool pipeline. */
export interface McpSurface {
  readonly info: { readonly name: string; readonly version: string };
  visibleTools(identity: Identity): readonly ToolDefinition[];
  /** A tool by name, whoever may see it (the tool-call pipeline decides who may call it). */
  tool(name: string): ToolDefinition | undefined;
  callTool(call: ToolCallInput): Promise<ToolResult>;
  readonly prompts: readonly PromptDefinition[];
  readonly resources: readonly ResourceDefinition[];
  readonly resourceTemplates: readonly ResourceTemplateDefinition[];
  readResource(uri: string, identity: Identity, signal: AbortSignal): Promise<readonly ResourceContents[]>;
}

/** Who sent an HTTP request, for audit: taken from the socket, never from client headers. */
export interface RequestSource {
  readonly ip?: string;
  readonly userAgent?: string;
}
