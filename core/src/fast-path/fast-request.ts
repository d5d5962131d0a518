import type { IncomingHttpHeaders } from 'node:http';

/** The methods the fast path answers: the hot ones, on a single request whose shape is known to reach the handler. */
export type FastMethod = 'tools/call' | 'tools/list';

/** The two wire generations: the 2026-07-28 per-request envelope, or a stateless 2025-era request. */
export type FastEra = 'modern' | 'legacy';

/** A request the fast path may answer: everything it needs, read once. */
export interface FastRequest {
  readonly era: FastEra;
  readonly method: FastMethod;
  /** The JSON-RPC id as the client sent it (echoed as is). */
  readonly id: string | number;
  readonly params: Readonly<Record<string, unknown>>;
  /** tools/call: the tool named. */
  readonly tool?: string;
}

const MODERN = '2026-07-28';
// Stateless 2025-era revisions without batches; older ones (and a missing header) go to the SDK.
const LEGACY = new Set(['2025-11-25', '2025-06-18']);
const ENVELOPE = {
  version: 'io.modelcontextprotocol/protocolVersion',
  clientInfo: 'io.modelcontextprotocol/clientInfo',
  capabilities: 'io.modelcontextprotocol/clientCapabilities',
} as const;

const isRecord = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);
const onlyKeys = (value: Record<string, unknown>, allowed: readonly string[]) => Object.keys(value).every((k) => allowed.includes(k));
const JSON_TYPE = /^application\/json\s*(?:;|$)/i;

/**
 * Whether a POST to /mcp is one the fast path answers, and what it asks. The gate is a whitelist of the shapes the
 * SDK is known to hand to cnmcp's handler unchanged (the differential test holds it to that): one JSON-RPC request,
 * JSON in, both response types accepted, no session, the standard headers agreeing with the body, and for
 * 2026-07-28 an envelope carrying exactly the protocol version, client info and capabilities. Anything else,
 * including every malformed request, is undefined: the SDK answers it as before.
 */
export function fastRequestOf(headers: IncomingHttpHeaders, body: unknown): FastRequest | undefined {
  const message = fastMessageOf(body);
  if (!message) return undefined;
  const { id, method, params, tool } = message;
  if (!JSON_TYPE.test(headers['content-type'] ?? '')) return undefined;
  const accept = headers.accept ?? '';
  if (!accept.includes('application/json') || !accept.includes('text/event-stream')) return undefined;
  if (headers['mcp-session-id'] !== undefined || headers['last-event-id'] !== undefined) return undefined;
  const revision = headers['mcp-protocol-version'];
  const callKeys = method === 'tools/call' ? ['name', 'arguments'] : [];

  if (revision === MODERN) {
    if (!modernParams(params, callKeys)) return undefined;
    if (headers['mcp-method'] !== method) return undefined;
    // Mcp-Name must be the tool's name as is (a Base64 sentinel or padding with spaces goes to the SDK).
    if (tool !== undefined ? headers['mcp-name'] !== tool : headers['mcp-name'] !== undefined) return undefined;
    return { era: 'modern', method, id, params, tool };
  }
  if (typeof revision === 'string' && LEGACY.has(revision)) {
    if (!onlyKeys(params, callKeys) || headers['mcp-method'] !== undefined || headers['mcp-name'] !== undefined) return undefined;
    return { era: 'legacy', method, id, params, tool };
  }
  return undefined;
}

/**
 * The same gate for one stdio message (a line): stdio has no headers, so only the 2026-07-28 revision, whose
 * envelope names it in every request, is taken; 2025-era messages depend on the connection's handshake.
 */
export function fastStdioRequestOf(body: unknown): FastRequest | undefined {
  const message = fastMessageOf(body);
  if (!message || !modernParams(message.params, message.method === 'tools/call' ? ['name', 'arguments'] : [])) return undefined;
  return { era: 'modern', ...message };
}

/** One JSON-RPC request of a fast method, well formed, read once; undefined for anything else. */
function fastMessageOf(body: unknown): Omit<FastRequest, 'era'> | undefined {
  if (!isRecord(body) || body.jsonrpc !== '2.0' || !onlyKeys(body, ['jsonrpc', 'id', 'method', 'params'])) return undefined;
  const { id, method } = body;
  if (!(typeof id === 'string' && id.length > 0) && !(typeof id === 'number' && Number.isSafeInteger(id))) return undefined;
  if (method !== 'tools/call' && method !== 'tools/list') return undefined;
  const params = body.params ?? {};
  if (!isRecord(params)) return undefined;
  if (method === 'tools/call' && (typeof params.name !== 'string' || (params.arguments !== undefined && !isRecord(params.arguments)))) return undefined;
  return { method, id, params, tool: method === 'tools/call' ? (params.name as string) : undefined };
}

/** 2026-07-28 params: the method's own keys and the envelope, nothing else. */
const modernParams = (params: Record<string, unknown>, callKeys: readonly string[]) =>
  onlyKeys(params, [...callKeys, '_meta']) && isRecord(params._meta) && isModernEnvelope(params._meta);

/** Exactly the three envelope keys, well formed (a client's capabilities are not looked into: nothing here needs them). */
export function isModernEnvelope(meta: Record<string, unknown>): boolean {
  if (!onlyKeys(meta, Object.values(ENVELOPE)) || meta[ENVELOPE.version] !== MODERN) return false;
  const info = meta[ENVELOPE.clientInfo];
  if (!isRecord(info) || !onlyKeys(info, ['name', 'version']) || typeof info.name !== 'string' || typeof info.version !== 'string') return false;
  const capabilities = meta[ENVELOPE.capabilities];
  return isRecord(capabilities) && Object.keys(capabilities).length === 0;
}
