import { trace } from '@opentelemetry/api';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AuditEmitter } from '../plugin/ports/audit-sink.js';
import type { TlsProvider } from '../plugin/ports/tls-provider.js';
import { ANONYMOUS, type Identity } from '../plugin/identity.js';
import type { Logger } from '../plugin/logger.js';
import type { AuthenticateStage } from '../pipeline/authenticate.js';
import type { AdmitStage } from '../pipeline/address-lists.js';
import type { LimitStage, LimitVerdict } from '../pipeline/limit.js';
import type { LockoutStage } from '../pipeline/lockout.js';
import { httpStatusOf, jsonRpcCodeOf } from '../pipeline/stage-error.js';
import { auditTypeOf, stop, type Stop, type Verdict } from '../pipeline/verdict.js';
import type { AuditedEndpoint } from '../pipeline/audit-gate.js';
import type { AuditSink } from '../plugin/ports/audit-sink.js';
import { serveAuditPage, serveAuditStats } from './admin-audit.js';
import { guardRequest, type GuardOptions } from './guard.js';
import type { McpHttpEndpoint, SseEndpoint } from './mcp-adapter.js';
import { sendJsonRpcError } from './send-error.js';
import type { RequestSource } from './mcp-surface.js';
import { readJsonBody } from './read-body.js';
import type { CidrList } from './cidr-list.js';
import { clientAddress } from './client-address.js';
import { Cors, isPreflight, type CorsConfig } from './cors.js';
import { keepResponseHeaders, responseHeaders } from './security-headers.js';
import { createTlsServer, peerCertificateOf } from './tls-listener.js';
import type { KernelMetrics } from '../telemetry/kernel-metrics.js';
import { serveMetrics } from '../telemetry/metrics-endpoint.js';
import { annotateRequest, observeRequest, refusedSpan, stageDone, stageStart } from '../telemetry/http-observe.js';
import type { Tracing } from '../telemetry/tracing.js';
import { loggableHeaders } from '../telemetry/loggable-headers.js';

export interface HttpServerDeps {
  readonly host: string;
  readonly port: number;
  readonly guard: GuardOptions;
  readonly maxBodyBytes: number;
  readonly mcp: McpHttpEndpoint;
  readonly sse?: SseEndpoint;
  readonly stages: {
    readonly admitIp?: AdmitStage;
    readonly limitIp?: LimitStage;
    readonly lockout?: LockoutStage;
    readonly authenticate?: AuthenticateStage;
    readonly limitIdentity?: LimitStage;
  };
  /** Peers whose X-Forwarded-For names the client (server.trustedProxies). */
  readonly trustedProxies: CidrList;
  /** The sink `/admin/audit` reads (the first configured sink that can query), if any. */
  readonly auditQuery?: AuditSink;
  /** Public documents (OAuth protected-resource metadata) served by GET without authentication. */
  readonly wellKnown: ReadonlyMap<string, unknown>;
  readonly audit: AuditEmitter;
  /** Refuses requests while the audit log cannot record them (`auditGate`). */
  readonly auditGate?: (endpoint: AuditedEndpoint) => Verdict;
  readonly logger: Logger;
  readonly tls?: TlsProvider;
  /** `server.headers`: overrides of the default response headers (null removes one) and extra ones. */
  readonly headers?: Readonly<Record<string, string | null>>;
  readonly cors?: CorsConfig;
  readonly isReady: () => boolean;
  /** Present only when tracing is on. */
  readonly tracing?: Tracing;
  /** Present only when metrics are on. */
  readonly metrics?: KernelMetrics;
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
 * The HTTP face of the kernel: deny list -> guard -> limit(ip) -> authenticate -> limit(identity) -> MCP.
 * Health endpoints answer before the pipeline; everything else passes every stage that is configured.
 */
export async function startHttpServer(deps: HttpServerDeps): Promise<HttpListener> {
  let closing = false;
  const headers = responseHeaders(deps.headers, deps.tls !== undefined);
  const cors = deps.cors && new Cors(deps.cors);
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    for (const [name, value] of headers) res.setHeader(name, value);
    keepResponseHeaders(res, headers);
    cors?.decorate(req, res);
    if (closing) res.setHeader('Connection', 'close');
    // While draining, a keep-alive connection closes as soon as its response is done, not at the force timeout.
    res.once('finish', () => closing && server.closeIdleConnections());
    const routed = deps.tracing || deps.metrics ? observeRequest(req, res, deps, () => route(req, res, deps, cors)) : route(req, res, deps, cors);
    routed.catch((error: Error) => {
      deps.logger.error('request failed', { error: error.message, path: req.url?.split('?')[0] });
      const ip = clientAddress(req.socket.remoteAddress, req.headers['x-forwarded-for'], deps.trustedProxies);
      deps.audit.emit({ type: 'error', outcome: 'error', source: { ip }, error: { code: 'INTERNAL', message: error.message } });
      sendJsonRpcError(res, 500, -32603, 'internal error');
    });
  };
  let server: Server;
  let unsubscribe: (() => void) | undefined;
  if (deps.tls) ({ server, unsubscribe } = await createTlsServer(deps.tls, handler, deps.logger));
  else server = createHttpServer(handler);
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

async function route(req: IncomingMessage, res: ServerResponse, deps: HttpServerDeps, cors: Cors | undefined): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://internal');
  const path = url.pathname;
  if (path === '/healthz' && req.method === 'GET') return sendJson(res, 200, { status: 'ok' });
  if (req.method === 'GET' && deps.wellKnown.has(path)) {
    // Public metadata: browser-based clients must be able to read it cross-origin during OAuth discovery.
    res.setHeader('Access-Control-Allow-Origin', '*');
    return sendJson(res, 200, deps.wellKnown.get(path));
  }
  if (path === '/readyz' && req.method === 'GET') return deps.isReady() ? sendJson(res, 200, { status: 'ready' }) : sendJson(res, 503, { status: 'not ready' });

  const isMcp = path === '/mcp';
  const isAdmin = req.method === 'GET' && (path === '/admin/audit' || path === '/admin/audit/stats');
  const isMetrics = deps.scrapeMetrics !== undefined && req.method === 'GET' && path === '/metrics';
  const isSse = deps.sse !== undefined && ((path === '/sse' && req.method === 'GET') || (path === '/messages' && req.method === 'POST'));
  const preflight = cors !== undefined && isPreflight(req) && (isMcp || path === '/messages' || path === '/sse' || path.startsWith('/admin/audit'));
  if (!isMcp && !isSse && !isAdmin && !isMetrics && !preflight)
    return sendJsonRpcError(res, 404, -32601, `no endpoint ${req.method} ${path}; MCP is served at /mcp`);

  // Every stage keyed by address (deny list, limits, lockout) and every audit record sees this one address.
  const ip = clientAddress(req.socket.remoteAddress, req.headers['x-forwarded-for'], deps.trustedProxies);
  const source: RequestSource = { ip, ...(req.headers['user-agent'] ? { userAgent: req.headers['user-agent'] } : {}) };
  const { tracing, metrics } = deps;
  // Only descriptive header values are logged: credentials and session ids under any header name stay out.
  deps.logger.debug('request', { method: req.method, path, ip, headers: loggableHeaders(req.headers) });
  const refuse = (s: Stop, identity?: Identity) => {
    if (tracing) refusedSpan(tracing, s.code);
    deps.audit.emit({
      type: auditTypeOf(s.code),
      outcome: s.code === 'UNAUTHENTICATED' ? 'failure' : 'denied',
      source: { ...source, transport: isSse ? 'sse' : 'http' },
      ...(identity ? { actor: { id: identity.id, authMethod: identity.authMethod, roles: identity.roles } } : {}),
      error: { code: s.code, message: s.message },
      ...(s.details ? { details: s.details } : {}),
      ...(tracing ? traceIdOf(tracing) : {}),
    });
    sendJsonRpcError(res, httpStatusOf(s.code), jsonRpcCodeOf(s.code), s.message, s.headers as Record<string, string>);
  };

  // Nothing that would be recorded is answered while it cannot be: before the guard, authentication and the rest.
  const recordable = deps.auditGate?.(isAdmin ? 'admin' : isMetrics ? 'metrics' : 'mcp');
  if (recordable && !recordable.continue) return refuse(recordable);

  const { admitIp, limitIp, lockout, authenticate, limitIdentity } = deps.stages;
  const admitted = admitIp?.(ip);
  if (admitted && !admitted.continue) return refuse(admitted);

  const guardSpan = tracing && stageStart(tracing, 'guard');
  const guarded = guardRequest(req, deps.guard);
  if (guardSpan) stageDone(guardSpan, guarded);
  if (!guarded.continue) return refuse(guarded);
  // RateLimit-* headers of the most specific limit passed (identity over ip) go out with the response.
  const passLimit = (verdict: LimitVerdict) => {
    for (const [name, value] of Object.entries(verdict.continue ? (verdict.headers ?? {}) : {})) res.setHeader(name, value);
  };
  // Browsers send preflights without credentials: they are answered before authentication, after the Origin check.
  if (preflight) return cors.preflight(req, res);

  if (limitIp) {
    const span = tracing && stageStart(tracing, 'limit(ip)');
    const verdict = await limitIp(ip);
    if (span) stageDone(span, verdict, true);
    if (!verdict.continue) {
      metrics?.rateLimited('ip');
      return refuse(verdict);
    }
    passLimit(verdict);
  }

  let body: unknown;
  if (req.method === 'POST') {
    const read = await readJsonBody(req, deps.maxBodyBytes);
    if (!read.continue) return refuse(read);
    body = read.value;
  }

  let identity: Identity = ANONYMOUS;
  if (authenticate) {
    const span = tracing && stageStart(tracing, 'authenticate');
    const peerCertificate = deps.tls ? peerCertificateOf(req) : undefined;
    const request = { headers: req.headers, url, remoteAddress: ip, ...(peerCertificate ? { peerCertificate } : {}) };
    // ── lockout (issue 14 seams 1-2): a locked source or claimed subject is refused before any credential is
    // checked, with one answer whatever was presented; failures count per source and per (strategy, subject).
    const claim = lockout?.claim(request);
    const unlocked = await lockout?.check(claim, ip);
    if (unlocked && !unlocked.continue) {
      if (span) stageDone(span, unlocked);
      metrics?.rateLimited('lockout');
      return refuse(unlocked);
    }
    const verdict = await authenticate(request);
    if (span) stageDone(span, verdict, false, verdict.continue ? verdict.value : undefined);
    // Only a rejected credential counts: clients probe without one first (OAuth discovery) and must not lock out.
    if (!verdict.continue && lockout && verdict.details?.strategy !== undefined) {
      // A claim read by another strategy than the one that rejected the request is not what failed.
      const locked = await lockout.failed(claim?.strategy === verdict.details.strategy ? claim : undefined, ip);
      if (locked.length > 0) {
        deps.audit.emit({
          type: 'auth.lockout',
          outcome: 'denied',
          source: { ...source, transport: isSse ? 'sse' : 'http' },
          details: { scope: locked.join('+'), ...(locked.includes('subject') ? { strategy: claim!.strategy, subject: claim!.subject } : {}) },
          ...(tracing ? traceIdOf(tracing) : {}),
        });
      }
    }
    // ── end lockout
    if (!verdict.continue) {
      metrics?.auth(authMethodOf(verdict), 'failure');
      return refuse(verdict);
    }
    identity = verdict.value;
    metrics?.auth(identity.authMethod, 'success');
    if (tracing) annotateRequest(tracing, identity);
    deps.audit.emit({
      type: 'auth.success',
      outcome: 'success',
      actor: { id: identity.id, authMethod: identity.authMethod, roles: identity.roles },
      source: { ...source, transport: isSse ? 'sse' : 'http' },
      ...(tracing ? traceIdOf(tracing) : {}),
    });
  }
  if (limitIdentity) {
    const span = tracing && stageStart(tracing, 'limit(identity)');
    const verdict = await limitIdentity(identity.id);
    if (span) stageDone(span, verdict, true);
    if (!verdict.continue) {
      metrics?.rateLimited('identity');
      return refuse(verdict, identity);
    }
    passLimit(verdict);
  }

  if (isMetrics) {
    // With auth on, metrics are for operators: the admin role or a dedicated metrics role (a scraper's key).
    if (authenticate && !identity.roles.some((r) => r === 'admin' || r === 'metrics'))
      return refuse(stop('FORBIDDEN', 'the admin or metrics role is required', { details: { path } }), identity);
    return serveMetrics(res, deps.scrapeMetrics!, deps.logger);
  }

  if (isAdmin) {
    // The original server exposed its audit log to anyone; here it takes the admin role, whoever asks.
    if (!identity.roles.includes('admin')) return refuse(stop('FORBIDDEN', 'the admin role is required', { details: { path } }), identity);
    if (!deps.auditQuery) return sendJsonRpcError(res, 404, -32601, 'no configured audit sink can be queried (configure a file or postgres sink)');
    return path === '/admin/audit' ? serveAuditPage(res, deps.auditQuery, url.searchParams) : serveAuditStats(res, deps.auditQuery, url.searchParams);
  }
  if (isMcp) return deps.mcp.handle(req, res, body, identity, source);
  if (path === '/sse') return deps.sse!.open(res, identity, source, '/messages');
  return deps.sse!.post(res, url.searchParams.get('sessionId'), body, identity);
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}

/** The trace id for audit events of the request being served. */
function traceIdOf(tracing: Tracing): { traceId?: string } {
  const id = trace.getSpanContext(tracing.scope.active())?.traceId;
  return id ? { traceId: id } : {};
}

/** The method label of a failed authentication: the rejecting strategy's name (as identities name it), or none. */
export const authMethodOf = (verdict: Stop): string =>
  typeof verdict.details?.strategy === 'string' ? (verdict.details.strategy.split('/')[1] ?? 'none') : 'none';
