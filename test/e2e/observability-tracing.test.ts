import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { definePlugin, type AuditEvent } from '@cnmcp/core/plugin';
import { startTestKernel, type TestKernel } from '@cnmcp/core/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';

const KEY = 'Obs-Trace-Key-0042!';
const MARKER = 'arg-value-must-never-show-7731';
const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const CLIENT_SPAN = '00f067aa0ba902b7';
/** What each pretend backend call would send as trace headers. */
const backendHeaders: Readonly<Record<string, string>>[] = [];

const pack = definePlugin({
  kind: 'tool-pack',
  name: 'obs',
  configSchema: { type: 'object' },
  setup: async () => ({
    tools: [
      {
        name: 'obs_echo_note',
        description: 'echoes a note after a pretend backend call',
        inputSchema: { type: 'object', properties: { note: { type: 'string' } }, required: ['note'] },
        annotations: { readOnlyHint: true },
        handler: async (args: Record<string, unknown>, ctx) => {
          ctx.logger.debug('echoing', { authorization: `Bearer ${KEY}`, length: String(args.note).length, note: `key ${KEY}` });
          const text = await ctx.span('obs.backend', async (span) => {
            backendHeaders.push(span.traceHeaders());
            span.setAttribute('http.response.status_code', 200);
            return String(args.note);
          });
          return { content: [{ type: 'text' as const, text }] };
        },
      },
      {
        name: 'obs_delete_thing',
        description: 'destructive',
        inputSchema: { type: 'object' },
        annotations: { destructiveHint: true },
        handler: async () => ({ content: [] }),
      },
    ],
  }),
});

const exporter = new InMemorySpanExporter();
const logs = new PassThrough();
const logLines: Record<string, unknown>[] = [];
let auditPath: string;
let server: TestKernel;

beforeAll(async () => {
  let buffered = '';
  logs.on('data', (chunk: Buffer) => {
    buffered += chunk.toString('utf8');
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines) if (line.trim()) logLines.push(JSON.parse(line) as Record<string, unknown>);
  });
  auditPath = join(mkdtempSync(join(tmpdir(), 'cnmcp-obs-')), 'audit.jsonl');
  server = await startTestKernel({
    config: {
      logging: { level: 'warn', format: 'json', levels: { 'tool-pack/obs': 'debug' } },
      // From the environment, as in production: the resolved value becomes a known secret the logger masks anywhere.
      auth: [{ use: 'apikey', keys: [{ id: 'viewer-bot', key: '${env:OBS_API_KEY}', roles: ['viewer'] }] }],
      authorization: { use: 'rbac', roles: { viewer: { tools: ['obs_*'], readOnly: true } } },
      sanitize: { use: 'injection-filter', mode: 'strip' },
      rateLimit: { use: 'memory' },
      limits: {
        perIp: { points: 1000, durationSeconds: 60 },
        perIdentity: { points: 1000, durationSeconds: 60 },
        perTool: [{ tools: 'obs_*', points: 1000, durationSeconds: 60 }],
      },
      audit: [{ use: 'file', path: auditPath }],
      toolPacks: [{ use: 'obs' }],
    },
    plugins: [pack],
    env: { OBS_API_KEY: KEY },
    spanExporter: exporter,
    logStream: logs,
  });
});
afterAll(async () => {
  await server?.close();
});
beforeEach(() => exporter.reset());

async function call(name: string, args: Record<string, unknown>, headers: Record<string, string> = {}) {
  const client = new Client({ name: 'obs', version: '1' }, { versionNegotiation: { mode: { pin: '2026-07-28' } } });
  await client.connect(new StreamableHTTPClientTransport(server.url, { requestInit: { headers: { 'x-api-key': KEY, ...headers } } }));
  try {
    return await client.callTool({ name, arguments: args });
  } finally {
    await client.close();
  }
}

const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;
const childrenOf = (spans: readonly ReadableSpan[], parent: ReadableSpan) =>
  spans
    .filter((s) => parentOf(s) === parent.spanContext().spanId)
    .sort((a, b) => a.startTime[0] - b.startTime[0] || a.startTime[1] - b.startTime[1])
    .map((s) => s.name);
const eventsOf = (span: ReadableSpan) => span.events.map((e) => e.name);
const event = (span: ReadableSpan, name: string) => span.events.find((e) => e.name === name)!;
const only = (spans: readonly ReadableSpan[], name: string) => {
  const found = spans.filter((s) => s.name === name);
  expect(found, name).toHaveLength(1);
  return found[0]!;
};

describe('tracing (in-memory exporter)', () => {
  it('draws one tree per call: request -> tools/call -> call -> backend span, each stage an event on its span, continuing traceparent', async () => {
    await call('obs_echo_note', { note: MARKER }, { traceparent: `00-${TRACE_ID}-${CLIENT_SPAN}-01` });
    const spans = exporter.getFinishedSpans().filter((s) => s.spanContext().traceId === TRACE_ID);
    const callSpan = only(spans, 'tools/call obs_echo_note');
    const request = spans.find((s) => s.spanContext().spanId === parentOf(callSpan))!;
    expect(request.name).toBe('POST /mcp');
    expect(request.kind).toBe(1); // SpanKind.SERVER
    expect(parentOf(request)).toBe(CLIENT_SPAN);
    expect(request.attributes).toMatchObject({
      'http.request.method': 'POST',
      'http.response.status_code': 200,
      'cnmcp.identity.id': 'viewer-bot',
      'cnmcp.auth.method': 'apikey',
    });
    expect(childrenOf(spans, request)).toEqual(['tools/call obs_echo_note']);
    // telemetry.tracing.stages: events (the default): every stage is an event on the span it runs under.
    expect(eventsOf(request)).toEqual(['audit-gate', 'guard', 'lockout', 'authenticate', 'body', 'limit(ip)', 'limit(identity)']);
    expect(event(request, 'authenticate').attributes).toMatchObject({
      'cnmcp.identity.id': 'viewer-bot',
      'cnmcp.auth.method': 'apikey',
      'cnmcp.outcome': 'allowed',
      'cnmcp.stage.duration_ms': expect.any(Number),
    });
    expect(event(request, 'limit(ip)').attributes!['cnmcp.rate_limit.decision']).toBe('allowed');
    expect(event(request, 'limit(identity)').attributes!['cnmcp.rate_limit.decision']).toBe('allowed');

    expect(childrenOf(spans, callSpan)).toEqual(['call']);
    // Writing the audit record is an event too, after the call: its duration is the wait for the (fail-closed) sink.
    expect(eventsOf(callSpan)).toEqual(['resolve', 'authorize', 'limit(tool)', 'validate', 'sanitize', 'audit']);
    expect(event(callSpan, 'audit').attributes).toMatchObject({ 'cnmcp.outcome': 'recorded', 'cnmcp.stage.duration_ms': expect.any(Number) });
    expect(callSpan.attributes).toMatchObject({
      'cnmcp.tool.name': 'obs_echo_note',
      'cnmcp.identity.id': 'viewer-bot',
      'cnmcp.auth.method': 'apikey',
      'cnmcp.outcome': 'success',
      // The OpenTelemetry MCP semantic conventions, beside our own names.
      'mcp.method.name': 'tools/call',
      'gen_ai.tool.name': 'obs_echo_note',
      'gen_ai.operation.name': 'execute_tool',
      'jsonrpc.protocol.version': '2.0',
      'network.transport': 'tcp',
    });
    expect(callSpan.attributes['jsonrpc.request.id']).toEqual(expect.any(String));
    expect(callSpan.kind).toBe(1); // SpanKind.SERVER: the MCP server span of the message
    const tool = only(spans, 'call');
    expect(childrenOf(spans, tool)).toEqual(['obs.backend']);
    const backend = only(spans, 'obs.backend');
    expect(backend.kind).toBe(2); // SpanKind.CLIENT
    expect(backend.attributes).toMatchObject({ 'cnmcp.backend': 'obs.backend', 'http.response.status_code': 200, 'cnmcp.outcome': 'ok' });
    expect(backendHeaders.at(-1)).toEqual({ traceparent: `00-${TRACE_ID}-${backend.spanContext().spanId}-01` });

    // Never argument values or credentials, anywhere in any span.
    const dump = JSON.stringify(exporter.getFinishedSpans().map((s) => ({ name: s.name, attributes: s.attributes, events: s.events, status: s.status })));
    expect(dump).not.toContain(MARKER);
    expect(dump).not.toContain(KEY);
  });

  it('puts the trace id on the audit event and trace/span ids on log lines written inside the call (redacted at debug)', async () => {
    await call('obs_echo_note', { note: 'hello' }, { traceparent: `00-${TRACE_ID}-${CLIENT_SPAN}-01` });
    const tool = only(exporter.getFinishedSpans(), 'call');
    const line = logLines.filter((l) => l.message === 'echoing').at(-1)!;
    expect(line).toMatchObject({ level: 'debug', name: 'obs_echo_note', trace_id: TRACE_ID, span_id: tool.spanContext().spanId });
    expect(JSON.stringify(logLines)).not.toContain(KEY);
    expect(line.authorization).toBe('***');

    await server.kernel.audit.hub.flush();
    const events = readFileSync(auditPath, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as AuditEvent);
    const toolCall = events.filter((e) => e.type === 'tool.call').at(-1)!;
    expect(toolCall.traceId).toBe(TRACE_ID);
    expect(events.filter((e) => e.type === 'auth.success').at(-1)!.traceId).toBe(TRACE_ID);
  });

  it('starts a new trace without traceparent and marks a denied call on its authorize event', async () => {
    await expect(call('obs_delete_thing', {})).rejects.toMatchObject({ code: -32003 });
    const spans = exporter.getFinishedSpans();
    const callSpan = only(spans, 'tools/call obs_delete_thing');
    const request = spans.find((s) => s.spanContext().spanId === parentOf(callSpan))!;
    expect(parentOf(request)).toBeUndefined();
    expect(request.spanContext().traceId).not.toBe(TRACE_ID);
    expect(childrenOf(spans, callSpan)).toEqual([]);
    expect(eventsOf(callSpan)).toEqual(['resolve', 'authorize', 'audit']);
    expect(event(callSpan, 'authorize').attributes).toMatchObject({ 'cnmcp.outcome': 'denied', 'cnmcp.error.code': 'ACCESS_DENIED' });
    expect(callSpan.status.code).toBe(2); // SpanStatusCode.ERROR
  });

  it('records a refused request: authenticate fails with the scheme, no identity, and the request span says why', async () => {
    const res = await fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': 'Not-The-Key-At-All-1!' }, body: '{}' });
    expect(res.status).toBe(401);
    const spans = exporter.getFinishedSpans();
    const request = only(spans, 'POST /mcp');
    expect(request.attributes).toMatchObject({ 'http.response.status_code': 401, 'cnmcp.outcome': 'failure', 'cnmcp.error.code': 'UNAUTHENTICATED' });
    expect(event(request, 'authenticate').attributes).toMatchObject({ 'cnmcp.auth.method': 'apikey', 'cnmcp.outcome': 'failure' });
    expect(JSON.stringify(spans.map((s) => s.attributes))).not.toContain('Not-The-Key-At-All-1!');
  });
});

describe('telemetry.tracing.stages: spans', () => {
  it('gives every stage a child span of its own: request -> request stages, tools/call -> message stages, a refusal on its stage span', async () => {
    const spansOut = new InMemorySpanExporter();
    const kernel = await startTestKernel({
      config: {
        auth: [{ use: 'apikey', keys: [{ id: 'viewer-bot', key: '${env:OBS_API_KEY}', roles: ['viewer'] }] }],
        authorization: { use: 'rbac', roles: { viewer: { tools: ['obs_*'], readOnly: true } } },
        sanitize: { use: 'injection-filter', mode: 'strip' },
        rateLimit: { use: 'memory' },
        limits: { perIp: { points: 1000, durationSeconds: 60 }, perTool: [{ tools: 'obs_*', points: 1000, durationSeconds: 60 }] },
        toolPacks: [{ use: 'obs' }],
        telemetry: { tracing: { stages: 'spans' } },
      },
      plugins: [pack],
      env: { OBS_API_KEY: KEY },
      spanExporter: spansOut,
    });
    try {
      const client = new Client({ name: 'obs', version: '1' }, { versionNegotiation: { mode: { pin: '2026-07-28' } } });
      await client.connect(new StreamableHTTPClientTransport(kernel.url, { requestInit: { headers: { 'x-api-key': KEY } } }));
      await client.callTool({ name: 'obs_echo_note', arguments: { note: 'hi' } });
      await expect(client.callTool({ name: 'obs_delete_thing', arguments: {} })).rejects.toMatchObject({ code: -32003 });
      await client.close();
      const spans = spansOut.getFinishedSpans();
      const callSpan = only(spans, 'tools/call obs_echo_note');
      const request = spans.find((s) => s.spanContext().spanId === parentOf(callSpan))!;
      expect(childrenOf(spans, request)).toEqual(['audit-gate', 'guard', 'lockout', 'authenticate', 'body', 'limit(ip)', 'tools/call obs_echo_note']);
      const authenticate = spans.find((s) => s.name === 'authenticate' && parentOf(s) === request.spanContext().spanId)!;
      expect(authenticate.attributes).toMatchObject({ 'cnmcp.identity.id': 'viewer-bot', 'cnmcp.outcome': 'allowed' });
      expect(eventsOf(request)).toEqual([]);
      expect(childrenOf(spans, callSpan)).toEqual(['resolve', 'authorize', 'limit(tool)', 'validate', 'sanitize', 'call', 'audit']);
      const denied = only(spans, 'tools/call obs_delete_thing');
      expect(childrenOf(spans, denied)).toEqual(['resolve', 'authorize', 'audit']);
      const authorize = spans.find((s) => s.name === 'authorize' && parentOf(s) === denied.spanContext().spanId)!;
      expect(authorize.attributes).toMatchObject({ 'cnmcp.outcome': 'denied', 'cnmcp.error.code': 'ACCESS_DENIED' });
      expect(authorize.status.code).toBe(2); // SpanStatusCode.ERROR
    } finally {
      await kernel.close();
    }
  });
});

describe('utilities_web_fetch', () => {
  it('gets a CLIENT span with the method and status, but sends the site no trace context', async () => {
    const seen: Record<string, string | string[] | undefined>[] = [];
    const site = createServer((req, res) => {
      seen.push(req.headers);
      res.writeHead(200, { 'content-type': 'text/plain' }).end('hello');
    });
    await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
    const fetched = new InMemorySpanExporter();
    const kernel = await startTestKernel({
      config: { toolPacks: [{ use: 'utilities', webFetch: { allowHosts: ['127.0.0.1'] } }] },
      spanExporter: fetched,
    });
    try {
      const client = new Client({ name: 'obs', version: '1' }, { versionNegotiation: { mode: { pin: '2026-07-28' } } });
      await client.connect(new StreamableHTTPClientTransport(kernel.url, { requestInit: { headers: { traceparent: `00-${TRACE_ID}-${CLIENT_SPAN}-01` } } }));
      const { port } = site.address() as AddressInfo;
      const result = await client.callTool({ name: 'utilities_web_fetch', arguments: { url: `http://127.0.0.1:${port}/page?token=${MARKER}` } });
      await client.close();
      expect(result.isError).toBeFalsy();
      const span = await vi.waitFor(() => only(fetched.getFinishedSpans(), 'web_fetch GET'));
      expect(span.kind).toBe(2); // SpanKind.CLIENT
      expect(span.spanContext().traceId).toBe(TRACE_ID);
      expect(span.attributes).toMatchObject({ 'http.request.method': 'GET', 'http.response.status_code': 200, 'cnmcp.outcome': 'ok' });
      expect(JSON.stringify(fetched.getFinishedSpans().map((s) => s.attributes))).not.toContain(MARKER);
      expect(seen).toHaveLength(1);
      expect(seen[0]!.traceparent).toBeUndefined();
    } finally {
      await kernel.close();
      await new Promise((resolve) => site.close(resolve));
    }
  });
});

describe('probes and scrapes', () => {
  it('/healthz, /readyz and /metrics start no trace, not even for the pipeline stages of an authenticated scrape', async () => {
    const probes = new InMemorySpanExporter();
    const scraped = await startTestKernel({
      config: {
        auth: [{ use: 'apikey', keys: [{ id: 'scraper', key: '${env:OBS_API_KEY}', roles: ['metrics'] }] }],
        authorization: { use: 'rbac', roles: { metrics: { permissions: ['metrics:read'] } } },
        telemetry: { metrics: { enabled: true } },
        toolPacks: [{ use: 'obs' }],
      },
      plugins: [pack],
      env: { OBS_API_KEY: KEY },
      spanExporter: probes,
    });
    try {
      const base = new URL('/', scraped.url);
      for (const path of ['/healthz', '/readyz', '/metrics']) {
        const res = await fetch(new URL(path, base), { headers: { 'x-api-key': KEY, traceparent: `00-${TRACE_ID}-${CLIENT_SPAN}-01` } });
        expect(res.status, path).toBe(200);
        await res.text();
      }
      expect((await fetch(new URL('/metrics', base))).status).toBe(401);
      expect(probes.getFinishedSpans().map((s) => s.name)).toEqual([]);
      // The MCP endpoint of the same server is still traced.
      const res = await fetch(scraped.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      expect(res.status).toBe(401);
      await res.text();
      await vi.waitFor(() => expect(probes.getFinishedSpans().map((s) => s.name)).toContain('POST /mcp'));
    } finally {
      await scraped.close();
    }
  });
});

describe('two kernels in one process', () => {
  it('keep their traces apart: each exports only its own spans', async () => {
    const other = new InMemorySpanExporter();
    const second = await startTestKernel({ config: { toolPacks: [{ use: 'obs' }] }, plugins: [pack], spanExporter: other });
    try {
      await call('obs_echo_note', { note: 'to the first kernel' });
      expect(exporter.getFinishedSpans().some((s) => s.name === 'tools/call obs_echo_note')).toBe(true);
      expect(other.getFinishedSpans()).toHaveLength(0);
      const client = new Client({ name: 'obs', version: '1' }, { versionNegotiation: { mode: { pin: '2026-07-28' } } });
      await client.connect(new StreamableHTTPClientTransport(second.url));
      await client.callTool({ name: 'obs_echo_note', arguments: { note: 'to the second' } });
      await client.close();
      const ids = new Set(exporter.getFinishedSpans().map((s) => s.spanContext().spanId));
      expect(other.getFinishedSpans().some((s) => s.name === 'tools/call obs_echo_note')).toBe(true);
      expect(other.getFinishedSpans().some((s) => ids.has(s.spanContext().spanId))).toBe(false);
    } finally {
      await second.close();
    }
  });
});
