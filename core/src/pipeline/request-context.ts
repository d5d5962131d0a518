import type { Context } from '@opentelemetry/api';
import type { IncomingMessage } from 'node:http';
import type { Identity } from '../plugin/identity.js';
import type { AuthRequest } from '../plugin/ports/auth-strategy.js';
import type { AccessTarget } from '../plugin/ports/authorizer.js';
import type { ClientCapability, ClientRequestMethod, ClientRequestOptions } from '../plugin/client-capability-error.js';
import type { LogLevel } from '../plugin/ports/tool-pack.js';
import type { SubjectClaim } from './auth-claim.js';
import type { Cancellation } from './cancellation.js';
import type { RequestSource, TransportName } from './mcp-surface.js';

export type { AccessTarget } from '../plugin/ports/authorizer.js';

/** One JSON-RPC request as the pipeline sees it (a batch element, an SSE POST, a stdio line). */
export interface PipelineMessage {
  readonly method: string;
  readonly params: Readonly<Record<string, unknown>>;
  readonly id: string;
}

/** The HTTP side of a request, for the stages that read headers and the body. */
export interface HttpPart {
  readonly req: IncomingMessage;
  readonly url: URL;
  /** The client certificate of an HTTPS connection, as auth strategies see it. */
  readonly peerCertificate?: AuthRequest['peerCertificate'];
}

/** What a handler may ask of the client that sent the message (MCP progress, logging, elicitation, sampling, roots). */
export interface ClientChannel {
  progress(progress: number, total?: number, message?: string): Promise<void>;
  log(level: LogLevel, data: unknown): Promise<void>;
  supports(capability: ClientCapability): boolean;
  request(method: ClientRequestMethod, params: Record<string, unknown>, options?: ClientRequestOptions): Promise<Record<string, unknown>>;
}

/** The request as auth strategies see it (headers, URL, address, client certificate). */
export const authRequestOf = (ctx: RequestContext, http: HttpPart): AuthRequest => new HttpAuthRequest(ctx.source.ip ?? '', http);

/** Its URL is read from the request only when a strategy looks at it (most never do): see http-exchange.ts. */
class HttpAuthRequest implements AuthRequest {
  readonly headers: AuthRequest['headers'];
  readonly remoteAddress: string;
  readonly peerCertificate?: AuthRequest['peerCertificate'];
  readonly #http: HttpPart;

  constructor(remoteAddress: string, http: HttpPart) {
    this.headers = http.req.headers;
    this.remoteAddress = remoteAddress;
    if (http.peerCertificate) this.peerCertificate = http.peerCertificate;
    this.#http = http;
  }

  get url(): URL {
    return this.#http.url;
  }
}

/** The credential a request presented, as a fingerprint only (a keyed hash, never the credential). */
export interface CredentialRef {
  readonly strategy: string;
  readonly fingerprint: string;
}

/**
 * Everything the stages of one request (or one message) see, declared once. Stages read it and enrich it; the
 * loop in run-pipeline.ts owns everything else (spans, metrics, refusals, audit).
 */
export interface RequestContext {
  readonly requestId: string;
  readonly transport: TransportName;
  /** What is being served: MCP messages, the audit admin API, or the metrics scrape. */
  readonly entry: 'mcp' | 'admin' | 'metrics';
  readonly source: RequestSource;
  /** Cancelled when the client leaves before its answer (or the SDK cancels the request). */
  readonly cancellation: Cancellation;
  readonly http?: HttpPart;
  /** The trace context stage spans hang under (the request span, or the message span). */
  trace?: Context;
  /** The span context of the stage running now (the loop sets it): work a stage starts hangs under its span. */
  stageTrace?: Context;
  identity: Identity;
  /** Who the request claims to be before anything is verified (the lockout's per-subject key). */
  claim?: SubjectClaim;
  credential?: CredentialRef;
  /** The Mcp-Session-Id (or SSE session) the message belongs to, if any. */
  session?: string;
  /** The parsed body of an HTTP POST. */
  body?: unknown;
  /** JSON-RPC messages this request carries: the rate limits count each one. */
  messages: number;
  message?: PipelineMessage;
  /** The client that sent the message, for handlers that report progress or ask back. */
  client?: ClientChannel;
  target?: AccessTarget;
  /** What the message asks done, once every stage before `call` let it through. */
  invoke?: (ctx: RequestContext) => Promise<unknown>;
  /** Which audit event records a completed call (`tool.call`, `resource.read`, `prompt.get`), if any. */
  auditAs?: string;
  /** Details for that record, when the entry has more to say than the target (the console names its view). */
  auditDetails?: Readonly<Record<string, unknown>>;
  /** tools/call: the arguments as they will reach the handler (after sanitize). */
  args?: Record<string, unknown>;
  /** What the `call` stage produced. */
  result?: unknown;
  /** Headers for the HTTP answer (RateLimit-*), from the most specific stage that set them. */
  readonly responseHeaders: Record<string, string>;
}
