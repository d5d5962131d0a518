import type { ServerResponse } from 'node:http';

/** Answers with a JSON-RPC error body (id null: the request was refused before any message was read). */
export function sendJsonRpcError(
  res: ServerResponse,
  status: number,
  code: number,
  message: string,
  headers: Readonly<Record<string, string | readonly string[]>> = {},
): void {
  if (res.headersSent) return void res.end();
  res.writeHead(status, { 'Content-Type': 'application/json', ...(headers as Record<string, string | string[]>) });
  res.end(JSON.stringify({ jsonrpc: '2.0', error: { code, message }, id: null }));
}
