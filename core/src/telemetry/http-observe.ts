import type { Span } from '@opentelemetry/api';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../plugin/logger.js';
import { logAccess, type AccessFacts } from './access-log.js';
import type { KernelMetrics } from './kernel-metrics.js';
import { otelApi } from './otel-api.js';
import { ATTR, type Tracing } from './tracing.js';

/** Paths with a name of their own in metrics and span names; anything else is `other` (clients choose paths). */
const ENDPOINTS: Readonly<Record<string, string>> = {
  '/mcp': 'mcp',
  '/sse': 'sse',
  '/messages': 'sse',
  '/healthz': 'health',
  '/readyz': 'health',
  '/metrics': 'metrics',
  '/admin/audit': 'admin',
  '/admin/audit/stats': 'admin',
};

/**
 * Wraps one HTTP request: its SERVER span (continuing a client's traceparent) is the active context while the
 * request is routed, and when the response closes the span ends and `cnmcp_http_requests_total` counts it.
 * /healthz, /readyz and /metrics are counted but never traced. With `access`, it also writes the access-log line.
 * `onClose` runs first on that one 'close' listener (the server's own bookkeeping for the response).
 */
export function observeRequest(
  req: IncomingMessage,
  res: ServerResponse,
  deps: { tracing?: Tracing; metrics?: KernelMetrics; access?: Logger },
  route: (facts: AccessFacts) => Promise<void>,
  onClose?: () => void,
): Promise<void> {
  const started = performance.now();
  const facts: AccessFacts = {};
  const path = (req.url ?? '/').split('?')[0] ?? '/';
  const endpoint = ENDPOINTS[path] ?? (path.startsWith('/.well-known/') ? 'well-known' : 'other');
  const transport = endpoint === 'mcp' ? 'streamable-http' : endpoint === 'sse' ? 'sse' : 'none';
  const { tracing, metrics } = deps;
  let span: Span | undefined;
  let done: (() => void) | undefined;
  let run = () => route(facts);
  // Probes and scrapes arrive every few seconds and say nothing about MCP traffic: they count, but start no trace.
  if (tracing && (endpoint === 'health' || endpoint === 'metrics')) run = () => tracing.untraced(() => route(facts));
  else if (tracing) {
    const method = req.method ?? 'GET';
    const context = tracing.startRequest(ENDPOINTS[path] ? `${method} ${path}` : method, req.headers, {
      'http.request.method': method,
      'url.path': path,
      [ATTR.transport]: transport,
    });
    span = otelApi().trace.getSpan(context);
    run = () => {
      // The request's scope is released once the route has settled and the response closed (request-scope.ts).
      const [routed, release] = tracing.scope.enter(context, () => route(facts));
      let open = 2;
      done = () => void (--open === 0 && release());
      return routed.finally(done);
    };
  }
  // 'close' also fires when the client goes away mid-response: every request is counted and its span ended.
  res.once('close', () => {
    onClose?.();
    metrics?.request(endpoint, transport, res.statusCode);
    if (deps.access) logAccess(deps.access, req, res, facts, endpoint, started, span?.spanContext().traceId);
    done?.();
    if (!span) return;
    span.setAttribute('http.response.status_code', res.statusCode);
    if (res.statusCode >= 500) span.setStatus({ code: otelApi().SpanStatusCode.ERROR });
    span.end();
  });
  return run();
}
