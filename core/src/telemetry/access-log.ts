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
  facts: AccessFacts & { readonly endpoint: string; readonly started: number; readonly traceId?: string },
): void {
  const path = (req.url ?? '/').split('?')[0] ?? '/';
  const mcpMethod = mcpMethodsOf(facts.body);
  const line = {
    method: req.method,
    path: path.length > 200 ? `${path.slice(0, 200)}...` : path,
    ...(mcpMethod ? { mcp_method: mcpMethod } : {}),
    status: res.statusCode,
    duration_ms: Math.round((performance.now() - facts.started) * 10) / 10,
    ...(facts.identity ? { identity: facts.identity } : {}),
    ...(facts.ip ? { ip: facts.ip } : {}),
    ...(facts.traceId ? { trace_id: facts.traceId } : {}),
  };
  if (facts.endpoint === 'health' || facts.endpoint === 'metrics') logger.debug('access', line);
  else logger.info('access', line);
}
