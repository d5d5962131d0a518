// The MCP endpoints as the listener sees them, with the MCP SDK loaded on first need: importing it (and zod) costs
// about 300 ms of CPU, more than the whole start-up budget, and the fast path answers the hot methods without it.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../plugin/logger.js';
import type { McpSurface } from '../pipeline/mcp-surface.js';
import type { FastCaller, FastPath } from '../fast-path/fast-path.js';
import { LogLevels } from './log-levels.js';
import type { SessionLimits } from './session-book.js';
import type { McpHttpEndpoint, SseEndpoint } from './mcp-adapter.js';

export type Adapter = typeof import('./mcp-adapter.js');

/**
 * The one import of the MCP adapter (and so of the SDK) of a kernel: started by the first request that needs it,
 * or by `load()` after ready; every caller waits for the same promise.
 */
export class SdkLoader {
  #adapter?: Promise<Adapter>;

  load(): Promise<Adapter> {
    return (this.#adapter ??= import('./mcp-adapter.js'));
  }

  get started(): boolean {
    return this.#adapter !== undefined;
  }
}

/** What the HTTP listener needs of /mcp. */
export interface McpEntry {
  handle(req: IncomingMessage, res: ServerResponse, body: unknown, from: FastCaller): Promise<void>;
  readonly sessionCount: number;
  close(): Promise<void>;
}

/** What the HTTP listener needs of the legacy /sse and /messages. */
export interface SseEntry {
  open(res: ServerResponse, from: FastCaller, messagesPath: string): Promise<void>;
  post(res: ServerResponse, sessionId: string | null, body: unknown, from: FastCaller): Promise<void>;
  close(): Promise<void>;
}

export interface LazyHttpOptions {
  readonly sessions: 'auto' | 'stateless' | 'stateful';
  readonly sessionLimits: SessionLimits;
  readonly maxBodyBytes: number;
  readonly logger: Logger;
  /** cnmcp's own answers to tools/call and tools/list (server.fastPath); absent: the SDK answers everything. */
  readonly fastPath?: FastPath;
}

/**
 * Streamable HTTP at /mcp: the fast path first, which needs no SDK; everything else (handshakes, sessions, streams,
 * other methods, errors the SDK encodes) waits for the SDK's endpoint, built once when the adapter has loaded.
 */
export class LazyHttpEndpoint implements McpEntry {
  readonly #sdk: SdkLoader;
  readonly #surface: McpSurface;
  readonly #options: LazyHttpOptions;
  /** Shared with the SDK's endpoint: its logging/setLevel sets the thresholds the fast path filters by. */
  readonly #levels = new LogLevels();
  #endpoint?: Promise<McpHttpEndpoint>;
  #built?: McpHttpEndpoint;

  constructor(sdk: SdkLoader, surface: McpSurface, options: LazyHttpOptions) {
    this.#sdk = sdk;
    this.#surface = surface;
    this.#options = options;
  }

  async handle(req: IncomingMessage, res: ServerResponse, body: unknown, from: FastCaller): Promise<void> {
    const fast = this.#options.fastPath;
    if (fast) {
      const encode = async (settled: Parameters<McpHttpEndpoint['encode']>[4]) => (await this.#sdkEndpoint()).encode(req, res, body, from, settled);
      // Before the SDK has loaded, no logging/setLevel can have been served: every level passes, as it would there.
      if (await fast.serve(req, res, body, from, encode, (level) => this.#built?.logAllows(from, level) ?? true)) return;
    }
    return (await this.#sdkEndpoint()).handle(req, res, body, from);
  }

  get sessionCount(): number {
    return this.#built?.sessionCount ?? 0;
  }

  async close(): Promise<void> {
    if (this.#endpoint) await (await this.#endpoint).close();
  }

  #sdkEndpoint(): Promise<McpHttpEndpoint> {
    this.#endpoint ??= this.#sdk.load().then((adapter) => {
      const { sessions, sessionLimits, maxBodyBytes, logger } = this.#options;
      this.#built = new adapter.McpHttpEndpoint(this.#surface, { sessions, sessionLimits, maxBodyBytes, logger, levels: this.#levels });
      return this.#built;
    });
    return this.#endpoint;
  }
}

/** The legacy HTTP+SSE transport, built when its first request arrives (it is all SDK). */
export class LazySseEndpoint implements SseEntry {
  readonly #sdk: SdkLoader;
  readonly #build: (adapter: Adapter) => SseEndpoint;
  #endpoint?: Promise<SseEndpoint>;

  constructor(sdk: SdkLoader, build: (adapter: Adapter) => SseEndpoint) {
    this.#sdk = sdk;
    this.#build = build;
  }

  async open(res: ServerResponse, from: FastCaller, messagesPath: string): Promise<void> {
    return (await this.#sdkEndpoint()).open(res, from, messagesPath);
  }

  async post(res: ServerResponse, sessionId: string | null, body: unknown, from: FastCaller): Promise<void> {
    return (await this.#sdkEndpoint()).post(res, sessionId, body, from);
  }

  async close(): Promise<void> {
    if (this.#endpoint) await (await this.#endpoint).close();
  }

  #sdkEndpoint(): Promise<SseEndpoint> {
    return (this.#endpoint ??= this.#sdk.load().then(this.#build));
  }
}
