import type { ServerResponse } from 'node:http';

/**
 * A whole HTTP response, built before anything is sent. Admin endpoints return one from the pipeline's invoke, and
 * the server writes it only once the request's audit record is stored: with a fail-closed sink no answer leaves
 * unrecorded.
 */
export interface HttpAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | number>>;
  readonly body: string | Buffer;
}

export const jsonAnswer = (status: number, body: unknown, contentType = 'application/json'): HttpAnswer => ({
  status,
  headers: { 'Content-Type': contentType },
  body: JSON.stringify(body),
});

/** A JSON-RPC error body (id null), as `sendJsonRpcError` writes it. */
export const jsonRpcErrorAnswer = (status: number, code: number, message: string): HttpAnswer =>
  jsonAnswer(status, { jsonrpc: '2.0', error: { code, message }, id: null });

/** Set one by one, so an answer's own policy (the console's CSP) replaces the default security header of that name. */
export function writeAnswer(res: ServerResponse, answer: HttpAnswer): void {
  for (const [name, value] of Object.entries(answer.headers)) res.setHeader(name, value);
  res.writeHead(answer.status).end(answer.body);
}
