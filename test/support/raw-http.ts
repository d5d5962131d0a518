// Plain HTTP against the kernel, below any MCP client: for what a client library would never send.
import { request } from 'node:http';

export interface RawResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: string;
}

/**
 * One request through node:http, which (unlike fetch) lets a test set the Host header. The agent is off, so
 * no pooled connection outlives the test.
 */
export function rawRequest(url: URL, options: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: options.method ?? 'GET', headers: options.headers, agent: false, timeout: 5_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`no answer from ${url.href} within 5 s`)));
    req.on('error', reject);
    req.end(options.body);
  });
}

/** The JSON-RPC messages of a Streamable HTTP answer, whether it came as JSON or as an SSE stream. */
export function jsonRpcMessagesOf(contentType: string | null | undefined, body: string): Record<string, unknown>[] {
  if (contentType?.startsWith('text/event-stream')) {
    return body
      .split('\n')
      .filter((line) => line.startsWith('data:') && line.slice('data:'.length).trim() !== '') // skips priming events
      .map((line) => JSON.parse(line.slice('data:'.length)) as Record<string, unknown>);
  }
  const parsed = JSON.parse(body) as Record<string, unknown> | Record<string, unknown>[];
  return Array.isArray(parsed) ? parsed : [parsed];
}

/** Headers every 2025-era Streamable HTTP POST carries. */
export const MCP_POST_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'Content-Type': 'application/json',
  Accept: 'application/json, text/event-stream',
});

export const initializeRequest = (protocolVersion: string, id = 1) => ({
  jsonrpc: '2.0',
  id,
  method: 'initialize',
  params: { protocolVersion, capabilities: {}, clientInfo: { name: 'cnmcp-e2e-raw', version: '0.0.0' } },
});

/**
 * A 2026-07-28 request as it goes on the wire: the per-request `_meta` envelope (revision, client info, client
 * capabilities) and the routing headers the revision requires.
 */
export function modernRequest(method: string, params: Record<string, unknown>, capabilities: Record<string, unknown> = {}, id: number | string = 1) {
  const name = typeof params.name === 'string' ? params.name : typeof params.uri === 'string' ? params.uri : undefined;
  return {
    headers: { ...MCP_POST_HEADERS, 'MCP-Protocol-Version': '2026-07-28', 'Mcp-Method': method, ...(name === undefined ? {} : { 'Mcp-Name': name }) },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id,
      method,
      params: {
        ...params,
        _meta: {
          'io.modelcontextprotocol/protocolVersion': '2026-07-28',
          'io.modelcontextprotocol/clientInfo': { name: 'cnmcp-e2e-raw', version: '0.0.0' },
          'io.modelcontextprotocol/clientCapabilities': capabilities,
        },
      },
    }),
  };
}
