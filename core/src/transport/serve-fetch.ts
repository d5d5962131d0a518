import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../plugin/logger.js';

/** A fetch-shaped MCP handler with its per-request inputs (the SDK's `McpHandlerRequestOptions`). */
type FetchHandler<A> = (request: Request, options?: { authInfo?: A; parsedBody?: unknown }) => Promise<Response>;

// The body is handed over parsed; these describe the bytes on the wire, which the Request no longer carries.
const BODY_HEADERS = new Set(['content-length', 'transfer-encoding', 'content-encoding']);

const INTERNAL_ERROR = JSON.stringify({ jsonrpc: '2.0', error: { code: -32603, message: 'Internal server error' }, id: null });

/**
 * Serves one Node request through a fetch-shaped handler. Unlike a generic Node adapter it does not serialise the
 * already parsed body back into the Request (the handler takes it as `parsedBody`), and it writes a JSON answer in
 * one piece; only a streamed (SSE) answer is piped. A client that goes away aborts the Request's signal.
 */
export async function serveFetch<A>(
  fetch: FetchHandler<A>,
  req: IncomingMessage,
  res: ServerResponse,
  parsedBody: unknown,
  authInfo: A,
  logger: Logger,
): Promise<void> {
  const abort = new AbortController();
  let finished = false;
  res.once('close', () => {
    if (!finished) abort.abort();
  });
  if (res.destroyed) abort.abort();
  let response: Response;
  try {
    response = await fetch(toRequest(req, abort.signal), { authInfo, ...(parsedBody !== undefined ? { parsedBody } : {}) });
  } catch (error) {
    logger.error('mcp handler failed', { error: (error as Error).message });
    finished = true;
    if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
    return void res.end(INTERNAL_ERROR);
  }
  const headers: Record<string, string> = {};
  for (const [name, value] of response.headers) headers[name] = value;
  if (response.body === null) {
    finished = true;
    return void res.writeHead(response.status, headers).end();
  }
  if (!String(headers['content-type']).startsWith('text/event-stream')) {
    // A whole answer goes out with its length: no chunked framing for the client to undo.
    const bytes = Buffer.from(await response.arrayBuffer());
    finished = true;
    headers['content-length'] = String(bytes.length);
    return void res.writeHead(response.status, headers).end(bytes);
  }
  res.writeHead(response.status, headers);
  await pipeStream(response.body, res, abort.signal);
  finished = true;
  res.end();
}

function toRequest(req: IncomingMessage, signal: AbortSignal): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined || name.startsWith(':') || BODY_HEADERS.has(name)) continue;
    if (Array.isArray(value)) for (const item of value) headers.append(name, item);
    else headers.set(name, value);
  }
  return new Request(`http://${req.headers.host ?? 'localhost'}${req.url ?? '/'}`, { method: req.method ?? 'GET', headers, signal });
}

/** Writes an event stream as it comes, honouring back-pressure; stops when the client goes away. */
async function pipeStream(body: ReadableStream<Uint8Array>, res: ServerResponse, signal: AbortSignal): Promise<void> {
  const reader = body.getReader();
  const gone = new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
  try {
    while (!signal.aborted) {
      const { done, value } = await Promise.race([reader.read(), gone.then(() => ({ done: true as const, value: undefined }))]);
      if (done) break;
      if (!res.write(value)) await Promise.race([new Promise<void>((resolve) => res.once('drain', resolve)), gone]);
    }
  } catch {
    // A stream that errors ends the response, as a closed one does.
  } finally {
    if (signal.aborted) await reader.cancel().catch(() => undefined);
    try {
      reader.releaseLock();
    } catch {
      // Already released by the cancel.
    }
  }
}
