// One info line per request, as platform teams read them: method, path, MCP method, status, duration, identity,
// client address and trace id, and nothing a client could use to smuggle a credential or a fake line into the log.
import { PassThrough } from 'node:stream';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { startTestKernel, type TestKernel } from '@cnmcp/core/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

const KEY = 'Access-Log-Key-424242!';
const TRACE_ID = '7bf92f3577b34da6a3ce929d0e0e4736';
const lines: Record<string, unknown>[] = [];
const raw: string[] = [];
let server: TestKernel;

beforeAll(async () => {
  const logs = new PassThrough();
  let buffered = '';
  logs.on('data', (chunk: Buffer) => {
    buffered += chunk.toString('utf8');
    const parts = buffered.split('\n');
    buffered = parts.pop() ?? '';
    for (const line of parts.filter((l) => l.trim())) {
      raw.push(line);
      lines.push(JSON.parse(line) as Record<string, unknown>);
    }
  });
  server = await startTestKernel({
    config: {
      logging: { level: 'info', format: 'json' },
      auth: [{ use: 'apikey', keys: [{ id: 'ops-bot', key: '${env:ACCESS_KEY}', roles: ['admin'] }] }],
      authorization: { use: 'rbac', roles: { admin: { tools: ['*'] } } },
      toolPacks: [{ use: 'utilities' }],
    },
    env: { ACCESS_KEY: KEY },
    spanExporter: new InMemorySpanExporter(),
    logStream: logs,
  });
});
afterAll(async () => {
  await server?.close();
});

const accessLines = () => lines.filter((l) => l.message === 'access');

describe('access log', () => {
  it('writes one info line per request with the MCP method, status, duration, identity and trace id', async () => {
    const client = new Client({ name: 'access', version: '1' }, { versionNegotiation: { mode: { pin: '2026-07-28' } } });
    await client.connect(
      new StreamableHTTPClientTransport(server.url, { requestInit: { headers: { 'x-api-key': KEY, traceparent: `00-${TRACE_ID}-00f067aa0ba902b7-01` } } }),
    );
    const before = accessLines().length;
    await client.callTool({ name: 'utilities_get_timestamp', arguments: {} });
    const line = await vi.waitFor(() => {
      const found = accessLines()
        .slice(before)
        .find((l) => l.mcp_method === 'tools/call');
      if (!found) throw new Error('no access line yet');
      return found;
    });
    await client.close();
    expect(line).toMatchObject({
      level: 'info',
      name: 'access',
      method: 'POST',
      path: '/mcp',
      status: 200,
      identity: 'ops-bot',
      ip: '127.0.0.1',
      trace_id: TRACE_ID,
    });
    expect(line.duration_ms).toEqual(expect.any(Number));
  });

  it('logs a refused request without an identity, and never a credential, a query string or a forged method', async () => {
    const bad = await fetch(new URL('/mcp?session=Query-Secret-777', server.origin), {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': 'Wrong-Key-Value-0000!' },
      body: '{}',
    });
    expect(bad.status).toBe(401);
    await bad.text();
    const forged = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'x-api-key': KEY },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list\n{"message":"access","identity":"root"}', params: {} }),
    });
    await forged.text();
    const refused = await vi.waitFor(() => {
      const found = accessLines().find((l) => l.status === 401);
      if (!found) throw new Error('no 401 line yet');
      return found;
    });
    expect(refused).toMatchObject({ method: 'POST', path: '/mcp' });
    expect(refused.identity).toBeUndefined();
    await vi.waitFor(() => expect(accessLines().some((l) => l.mcp_method === '(invalid)')).toBe(true));
    const all = raw.join('\n');
    for (const secret of [KEY, 'Wrong-Key-Value-0000!', 'Query-Secret-777']) expect(all).not.toContain(secret);
    expect(accessLines().some((l) => l.identity === 'root')).toBe(false);
  });

  it('keeps probes at debug: no info line for /healthz', async () => {
    const res = await fetch(new URL('/healthz', server.origin));
    await res.text();
    expect(res.status).toBe(200);
    // A request after it proves the log is flowing; the probe left no line.
    await (await fetch(new URL('/nowhere', server.origin))).text();
    await vi.waitFor(() => expect(accessLines().some((l) => l.path === '/nowhere')).toBe(true));
    expect(accessLines().some((l) => l.path === '/healthz')).toBe(false);
  });
});
