import { randomUUID } from 'node:crypto';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AuditEmitter, AuditSink } from '../plugin/ports/audit-sink.js';
import type { TlsProvider } from '../plugin/ports/tls-provider.js';
import { ANONYMOUS } from '../plugin/identity.js';
import type { Logger } from '../plugin/logger.js';
import { OwnCancellation } from '../pipeline/cancellation.js';
import type { RequestContext } from '../pipeline/request-context.js';
import type { Pipeline } from '../pipeline/run-pipeline.js';
import { httpStatusOf, jsonRpcCodeOf } from '../pipeline/stage-error.js';
import type { Stop } from '../pipeline/verdict.js';
import type { RequestSource } from '../pipeline/mcp-surface.js';
import type { CidrList } from '../net/cidr-list.js';
import { clientAddress } from '../net/client-address.js';
import { serveAuditPage, serveAuditStats } from './admin-audit.js';
import { jsonRpcErrorAnswer, writeAnswer, type HttpAnswer } from './http-answer.js';
import type { McpEntry, SseEntry } from './lazy-endpoints.js';
import { sendJsonRpcError } from './send-error.js';
import { Cors, isPreflight, type CorsConfig } from './cors.js';
import { keepResponseHeaders, responseHeaders } from './security-headers.js';
import { createTlsServer, peerCertificateOf, serverTimeouts, type ServerTimeouts } from './tls-listener.js';
import type { KernelMetrics } from '../telemetry/kernel-metrics.js';
import { serveMetrics } from '../telemetry/metrics-endpoint.js';
import type { AccessFacts } from '../telemetry/access-log.js';
import { observeRequest } from '../telemetry/http-observe.js';
import type { Tracing } from '../telemetry/tracing.js';
import { loggableHeaders } from '../telemetry/loggable-headers.js';
import { writesAt } from '../telemetry/logger.js';
import { HttpExchange } from '../pipeline/http-exchange.js';

/** The admin console (core/src/admin): GET-only pages and data under /admin/, behind the `console:read` permission. */
export interface ConsoleEndpoint {
  serves(path: string): boolean;
  /** The whole answer, which the server sends once the view's audit record is stored. */
  handle(req: IncomingMessage, url: URL, ctx: RequestContext): Promise<HttpAnswer>;
}

export interface HttpServerDeps {
  readonly host: string;
  readonly port: number;
  readonly timeouts: ServerTimeouts;
  readonly mcp: McpEntry;
  readonly sse?: SseEntry;
  /** The one request pipeline (stages.ts): every endpoint but health and public metadata runs it. */
  readonly pipeline: Pipeline;
  /** Peers whose X-Forwarded-For names the client (server.trustedProxies). */
  readonly trustedProxies: CidrList;
  /** The sink `/admin/audit` reads (the first configured sink that can query), if any. */
  readonly auditQuery?: AuditSink;
  /** Public documents (OAuth protected-resource metadata) served by GET without authentication. */
  readonly wellKnown: ReadonlyMap<string, unknown>;
  readonly audit: AuditEmitter;
  readonly logger: Logger;
  /** The `access` logger: one info line per request (`logging.levels.access: warn` turns it off). */
  readonly accessLog: Logger;
  readonly tls?: TlsProvider;
  /** `server.headers`: overrides of the default response headers (null removes one) and extra ones. */
  readonly headers?: Readonly<Record<string, string | null>>;
  readonly cors?: CorsConfig;
  readonly isReady: () => boolean;
  /** Present only when tracing is on. */
  readonly tracing?: Tracing;
  /** Present only when metrics are on. */
  readonly metrics?: KernelMetrics;
  /** Present only when `admin.console.enabled`. */
  readonly console?: ConsoleEndpoint;
  /** Serves GET /metrics here (metrics on, no separate `telemetry.metrics.listen`); with auth on it takes the admin or metrics role. */
  readonly scrapeMetrics?: () => Promise<string>;
}

export interface HttpListener {
  readonly url: URL;
  /**
   * Stops accepting connections and resolves once open requests have ended, or after `forceAfterMs` when the
   * remaining connections are cut. Keep-alive connections are closed as soon as their current response is done.
   */
  close(forceAfterMs: number): Promise<void>;
}

/**
 * The HTTP face of the kernel. Health endpoints and public metadata answer before the pipeline; every other
 * request runs the request stages of the one list (stages.ts), then each of its JSON-RPC messages runs the
 * message stages (inside the MCP adapter's handlers); admin and metrics requests run them as one message each.
 */
export async function startHttpServer(deps: HttpServerDeps): Promise<HttpListener> {
  let closing = false;
  const headers = responseHeaders(deps.headers, deps.tls !== undefined);
  const cors = deps.cors && new Cors(deps.cors);
  // The access log is the `access` logger: `logging.levels.access: warn` turns it off.
  const observers = {
    ...(deps.tracing ? { tracing: deps.tracing } : {}),
    ...(deps.metrics ? { metrics: deps.metrics } : {}),
    access: deps.logger.child('access'),
  };
  const keepHeaders = keepResponseHeaders(headers);
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    for (const [name, value] of headers) res.setHeader(name, value);
    keepHeaders(res);
    cors?.decorate(req, res);
    if (closing) res.setHeader('Connection', 'close');
    const cancellation = new OwnCancellation();
    const closed = () => {
      // Only a client that left before the answer was sent cancels: after a finished response nobody listens.
      if (!res.writableFinished) cancellation.cancel();
      // While draining, a keep-alive connection closes as soon as its response is done, not at the force timeout.
      if (closing) server.closeIdleConnections();
    };
    const routed = observeRequest(req, res, observers, (facts) => route(req, res, deps, cors, facts, cancellation), closed);
    routed.catch((error: Error) => {
      deps.logger.error('request failed', { error: error.message, path: req.url?.split('?')[0] });
      const ip = clientAddress(req.socket.remoteAddress, forwardedFor(req), deps.trustedProxies);
      deps.audit.emit({ type: 'error', outcome: 'error', source: { ip }, error: { code: 'INTERNAL', message: error.message } });
      sendJsonRpcError(res, 500, -32603, 'internal error');
    });
  };
  let server: Server;
  let unsubscribe: (() => void) | undefined;
  if (deps.tls) ({ server, unsubscribe } = await createTlsServer(deps.tls, handler, deps.logger, deps.timeouts));
  else server = createHttpServer(serverTimeouts(deps.timeouts), handler);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(deps.port, deps.host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = new URL(`${deps.tls ? 'https' : 'http'}://${host}:${address.port}/mcp`);
  return {
    url,
    close: async (forceAfterMs) => {
      closing = true;
      unsubscribe?.();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const timer = setTimeout(() => server.closeAllConnections(), forceAfterMs);
      await closed;
      clearTimeout(timer);
    },
  };
}

async function route(
  req: IncomingMessage,
  res: ServerResponse,
  deps: HttpServerDeps,
  cors: Cors | undefined,
  facts: AccessFacts,
  cancellation: OwnCancellation,
): Promise<void> {
  const path = pathOf(req.url ?? '/');
  if (path === '/healthz' && req.method === 'GET') return sendJson(res, 200, { status: 'ok' });
  if (req.method === 'GET' && deps.wellKnown.has(path)) {
    // Public metadata: browser-based clients must be able to read it cross-origin during OAuth discovery.
    res.setHeader('Access-Control-Allow-Origin', '*');
    return sendJson(res, 200, deps.wellKnown.get(path));
  }
  if (path === '/readyz' && req.method === 'GET') return deps.isReady() ? sendJson(res, 200, { status: 'ready' }) : sendJson(res, 503, { status: 'not ready' });

  const isMcp = path === '/mcp';
  const isConsole = deps.console?.serves(path) === true;
  // Read-only, so CSRF-safe: no method but GET reaches the console, not even to be authenticated.
  if (isConsole && req.method !== 'GET') return sendJsonRpcError(res, 405, -32601, 'the admin console is read-only: GET only', { Allow: 'GET' });
  const isAdmin = isConsole || (req.method === 'GET' && (path === '/admin/audit' || path === '/admin/audit/stats'));
  const isMetrics = deps.scrapeMetrics !== undefined && req.method === 'GET' && path === '/metrics';
  const isSse = deps.sse !== undefined && ((path === '/sse' && req.method === 'GET') || (path === '/messages' && req.method === 'POST'));
  const preflight = cors !== undefined && isPreflight(req) && (isMcp || path === '/messages' || path === '/sse' || path.startsWith('/admin/audit'));
  if (!isMcp && !isSse && !isAdmin && !isMetrics && !preflight)
    return sendJsonRpcError(res, 404, -32601, `no endpoint ${req.method} ${path}; MCP is served at /mcp`);

  // Every stage keyed by address (deny list, limits, lockout) and every audit record sees this one address.
  const ip = clientAddress(req.socket.remoteAddress, forwardedFor(req), deps.trustedProxies);
  const userAgent = req.headers['user-agent'];
  const source: RequestSource = userAgent ? { ip, userAgent } : { ip };
  facts.ip = ip;
  // Only descriptive header values are logged: credentials and session ids under any header name stay out. The
  // list is built only when the debug line is written.
  if (writesAt(deps.logger, 'debug')) deps.logger.debug('request', { method: req.method, path, ip, headers: loggableHeaders(req.headers) });
  // Parsed only by the stages and endpoints that read the query (auth strategies, the admin API, SSE).
  const http = new HttpExchange(req, deps.tls ? peerCertificateOf(req) : undefined);
  const ctx: RequestContext = {
    requestId: randomUUID(),
    transport: isSse ? 'sse' : 'http',
    entry: isAdmin ? 'admin' : isMetrics ? 'metrics' : 'mcp',
    source,
    cancellation,
    http,
    identity: ANONYMOUS,
    messages: 1,
    responseHeaders: {},
  };
  const refuse = (s: Stop) => sendJsonRpcError(res, httpStatusOf(s.code), jsonRpcCodeOf(s.code), s.message, s.headers);

  // Browsers send preflights without credentials: they are answered after the Origin check, before authentication.
  const refused = await deps.pipeline.request(ctx, preflight ? 'guard' : undefined);
  if (ctx.credential || !refused) facts.identity = ctx.identity.id;
  facts.body = ctx.body;
  if (refused) return refuse(refused);
  if (preflight) return cors.preflight(req, res);
  // RateLimit-* headers of the most specific limit passed (identity over ip) go out with the response.
  for (const name in ctx.responseHeaders) res.setHeader(name, ctx.responseHeaders[name]!);

  if (isMetrics || isAdmin) {
    // One message each: authorized by named permission, limited and audited like any other.
    ctx.target = { kind: 'permission', name: isConsole ? 'console:read' : isAdmin ? 'audit:read' : 'metrics:read' };
    ctx.invoke = async (): Promise<HttpAnswer | undefined> => {
      if (isConsole) return deps.console!.handle(req, http.url, ctx);
      if (isMetrics) return void (await serveMetrics(res, deps.scrapeMetrics!, deps.logger));
      if (!deps.auditQuery) return jsonRpcErrorAnswer(404, -32601, 'no configured audit sink can be queried (configure a file or postgres sink)');
      const { searchParams } = http.url;
      Object.assign(ctx, { auditAs: 'audit.read', auditDetails: { path, filters: Object.fromEntries(searchParams) } });
      return path === '/admin/audit' ? serveAuditPage(deps.auditQuery, searchParams) : serveAuditStats(deps.auditQuery, searchParams);
    };
    const outcome = await deps.pipeline.message(ctx);
    if (!outcome.continue) return refuse(outcome);
    // Written only now, after the read's audit record: a fail-closed sink that failed has refused it instead.
    if (outcome.result) writeAnswer(res, outcome.result as HttpAnswer);
  }
  const caller = { identity: ctx.identity, credential: ctx.credential, source, cancellation };
  if (isMcp) return deps.mcp.handle(req, res, ctx.body, caller);
  if (path === '/sse') return deps.sse!.open(res, caller, '/messages');
  return deps.sse!.post(res, http.url.searchParams.get('sessionId'), ctx.body, caller);
}

// A path the WHATWG URL parser would return unchanged (no dot segments, escapes or a leading `//`).
const PLAIN_PATH = /^\/(?!\/)[\w\-/]*$/;

/** The path of a request target, as `new URL(target, base).pathname` gives it, without parsing the common case. */
function pathOf(target: string): string {
  const query = target.indexOf('?');
  const path = query < 0 ? target : target.slice(0, query);
  return PLAIN_PATH.test(path) ? path : new URL(target, 'http://internal').pathname;
}

/** Every X-Forwarded-For line, in order (a proxy may add its own line rather than append to the first). */
const forwardedFor = (req: IncomingMessage) => req.headers['x-forwarded-for'];

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}
