import type { IncomingHttpHeaders } from 'node:http';

/**
 * Headers whose values say how a request was made and never who made it. Every other header value is logged as
 * `***`: a custom API-key header, a session id or a proxy's credential header is then masked without anyone having
 * to name it in `logging.redactKeys` first.
 */
const DESCRIPTIVE = new Set([
  'accept',
  'accept-encoding',
  'accept-language',
  'connection',
  'content-length',
  'content-type',
  'host',
  'mcp-protocol-version',
  'origin',
  'traceparent',
  'user-agent',
  'x-forwarded-for',
  'x-forwarded-proto',
]);

/** The request headers for a log line: every name, and the values of descriptive headers only. */
export function loggableHeaders(headers: IncomingHttpHeaders): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) if (value !== undefined) out[name] = DESCRIPTIVE.has(name) ? value : '***';
  return out;
}
