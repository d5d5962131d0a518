import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../plugin/logger.js';

/** What routing learns about a request that its access-log line reports; filled as the stages pass. */
export interface AccessFacts {
  ip?: string;
  identity?: string;
  body?: unknown;
}

// A JSON-RPC method name as the MCP spec spells them; anything else is reported as (invalid), never echoed.
const METHOD = /^[A-Za-z0-9_/.$-]{1,64}$/;
const MAX_METHODS = 5;

/** The MCP method(s) of a parsed body: `tools/call`, or `initialize,notifications/initialized` for a batch. */
export function mcpMethodsOf(body: unknown): string | undefined {
  const messages = Array.isArray(body) ? body : body !== undefined ? [body] : [];
  const methods = new Set<string>();
  for (const message of messages) {
    const method = (message as { method?: unknown } | null)?.method;
    if (method === undefined) continue;
    methods.add(typeof method === 'string' && METHOD.test(method) ? method : '(invalid)');
  }
  if (methods.size === 0) return undefined;
  const list = [...methods];
  return list.length > MAX_METHODS ? `${list.slice(0, MAX_METHODS).join(',')},...` : list.join(',');
}

/**
 * One line per answered request at info (probes and scrapes at debug): method, path without the query (it can
 * hold a session id), MCP method, status, duration, identity id, client address and trace id. Never a header or
 * a body value.
 */
export function logAccess(
  logger: Logger,
  req: IncomingMessage,
  res: ServerResponse,
  facts: AccessFacts,
  endpoint: string,
  started: number,
  traceId: string | undefined,
): void {
  const path = (req.url ?? '/').split('?')[0] ?? '/';
  const mcpMethod = mcpMethodsOf(facts.body);
  // Fields assigned one by one: this runs for every request, and spreads in a literal are slow in V8.
  const line: Record<string, unknown> = { method: req.method, path: path.length > 200 ? `${path.slice(0, 200)}...` : path };
  if (mcpMethod) line.mcp_method = mcpMethod;
  line.status = res.statusCode;
  line.duration_ms = Math.round((performance.now() - started) * 10) / 10;
  if (facts.identity) line.identity = facts.identity;
  if (facts.ip) line.ip = facts.ip;
  if (traceId) line.trace_id = traceId;
  if (endpoint === 'health' || endpoint === 'metrics') logger.debug('access', line);
  else logger.info('access', line);
}
