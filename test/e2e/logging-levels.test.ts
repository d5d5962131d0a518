// logging/setLevel and the level of each request: on a stateless 2025-era server the level is kept for the
// identity (a fresh SDK instance serves each request and would forget it), on a session for the session, and on
// 2026-07-28 each request carries its own level in `_meta` (the revision has no logging/setLevel).
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { LoggingMessageNotificationSchema, type LoggingLevel } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonRpcMessagesOf, modernRequest, rawRequest } from '../support/raw-http.js';
import { startContractKernel, type ContractKernel } from '../support/tool-call-contract.js';

let stateless: ContractKernel | undefined;
beforeAll(async () => {
  stateless = await startContractKernel();
});
afterAll(() => stateless?.kernel.close());

/** The log levels one e2e_log call delivered to a v1 client after it set `level` (or none). */
async function levelsSeen(transport: StreamableHTTPClientTransport | SSEClientTransport, level?: LoggingLevel): Promise<string[]> {
  const client = new Client({ name: 'log-levels', version: '0' });
  const seen: string[] = [];
  client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => void seen.push(n.params.level));
  await client.connect(transport);
  try {
    if (level) expect(await client.setLoggingLevel(level)).toEqual({});
    await client.callTool({ name: 'e2e_log', arguments: {} });
    return seen;
  } finally {
    await client.close();
  }
}

describe('log levels', () => {
  it('stateless 2025-era HTTP: a level set by one request filters the log of the next one', async () => {
    expect(await levelsSeen(new StreamableHTTPClientTransport(stateless!.kernel.url))).toEqual(['info', 'error']);
    expect(await levelsSeen(new StreamableHTTPClientTransport(stateless!.kernel.url), 'error')).toEqual(['error']);
    expect(await levelsSeen(new StreamableHTTPClientTransport(stateless!.kernel.url), 'debug')).toEqual(['info', 'error']);
  });

  it('a legacy SSE session keeps its own level', async () => {
    expect(await levelsSeen(new SSEClientTransport(new URL('/sse', stateless!.kernel.origin)), 'error')).toEqual(['error']);
  });

  it('2026-07-28: each request carries its level in _meta; without one no log messages are sent', async () => {
    const seen = async (logLevel?: string) => {
      const { headers, body } = modernRequest('tools/call', { name: 'e2e_log', arguments: {} });
      const withLevel = JSON.parse(body) as { params: { _meta: Record<string, unknown> } };
      if (logLevel) withLevel.params._meta['io.modelcontextprotocol/logLevel'] = logLevel;
      const res = await rawRequest(stateless!.kernel.url, { method: 'POST', headers, body: JSON.stringify(withLevel) });
      return jsonRpcMessagesOf(res.headers['content-type'] as string, res.body)
        .filter((m) => m.method === 'notifications/message')
        .map((m) => (m.params as { level: string }).level);
    };
    expect(await seen('error')).toEqual(['error']);
    expect(await seen('info')).toEqual(['info', 'error']);
    expect(await seen()).toEqual([]);
  });
});
