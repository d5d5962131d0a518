import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { Server as GrpcServer, ServerCredentials, type Metadata, type ServiceDefinition } from '@grpc/grpc-js';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { definePlugin } from '@cnmcp/core/plugin';
import { startTestKernel } from '@cnmcp/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeTraceRequest } from '../support/otlp-protobuf.js';

const TOKEN = 'Otlp-Collector-Token-5521';
const MARKER = 'otlp-argument-value-never-exported';

const pack = definePlugin({
  kind: 'tool-pack',
  name: 'otlp',
  configSchema: { type: 'object' },
  setup: async () => ({
    tools: [
      {
        name: 'otlp_echo_note',
        description: 'echo',
        inputSchema: { type: 'object' },
        annotations: { readOnlyHint: true },
        handler: async () => ({ content: [{ type: 'text' as const, text: 'ok' }] }),
      },
    ],
  }),
});

async function callOnce(url: URL, headers: Record<string, string> = {}) {
  const client = new Client({ name: 'otlp', version: '1' }, { versionNegotiation: { mode: { pin: '2026-07-28' } } });
  await client.connect(new StreamableHTTPClientTransport(url, { requestInit: { headers } }));
  await client.callTool({ name: 'otlp_echo_note', arguments: { note: MARKER } });
  await client.close();
}

// A bare OTLP/HTTP receiver: records what an exporter posts, as a collector's otlp receiver would get it.
let collector: Server;
const received: { path: string; headers: IncomingHttpHeaders; body: Buffer }[] = [];
beforeAll(async () => {
  collector = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) });
      res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
    });
  });
  await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
});
afterAll(async () => {
  await new Promise((resolve) => collector.close(resolve));
});

describe('exporter: otlp (http/protobuf)', () => {
  it('sends the spans to the configured endpoint with the ${env:} headers, flushed at shutdown', async () => {
    const { port } = collector.address() as AddressInfo;
    const server = await startTestKernel({
      config: {
        telemetry: {
          resource: { serviceName: 'cnmcp-otlp-test', attributes: { 'deployment.environment.name': 'test' } },
          tracing: {
            exporter: 'otlp',
            otlp: { protocol: 'http/protobuf', endpoint: `http://127.0.0.1:${port}/v1/traces`, headers: { authorization: 'Bearer ${env:OTLP_TOKEN}' } },
          },
        },
        toolPacks: [{ use: 'otlp' }],
      },
      env: { OTLP_TOKEN: TOKEN },
      plugins: [pack],
    });
    await callOnce(server.url);
    await server.close();

    expect(received.length).toBeGreaterThan(0);
    const posts = received.filter((r) => r.path === '/v1/traces');
    expect(posts.every((r) => r.headers.authorization === `Bearer ${TOKEN}` && r.headers['content-type'] === 'application/x-protobuf')).toBe(true);
    // Protobuf keeps strings as UTF-8 bytes: span names and resource attributes are readable, argument values absent.
    const bodies = Buffer.concat(posts.map((r) => r.body)).toString('latin1');
    for (const expected of ['tools/call otlp_echo_note', 'POST /mcp', 'validate', 'cnmcp-otlp-test', 'deployment.environment.name'])
      expect(bodies).toContain(expected);
    expect(bodies).not.toContain(MARKER);
  });

  it('delivers every span of 200 calls exactly once, each body a well-formed OTLP request, whole traces with their stage events', async () => {
    const { port } = collector.address() as AddressInfo;
    const path = '/many/v1/traces';
    const server = await startTestKernel({
      config: {
        telemetry: { resource: { serviceName: 'cnmcp-many' }, tracing: { exporter: 'otlp', otlp: { endpoint: `http://127.0.0.1:${port}${path}` } } },
        toolPacks: [{ use: 'otlp' }],
      },
      plugins: [pack],
    });
    const client = new Client({ name: 'otlp', version: '1' }, { versionNegotiation: { mode: { pin: '2026-07-28' } } });
    await client.connect(new StreamableHTTPClientTransport(server.url));
    for (let i = 0; i < 200; i++) await client.callTool({ name: 'otlp_echo_note', arguments: { note: MARKER } });
    await client.close();
    await server.close();

    const posts = received.filter((r) => r.path === path);
    // More than one batch's worth (512 spans): sent in several requests, each of which a collector parses alone.
    expect(posts.length).toBeGreaterThan(1);
    const spans = posts.flatMap((r) => decodeTraceRequest(r.body));
    expect(new Set(spans.map((s) => s.spanId)).size).toBe(spans.length);
    expect(spans.every((s) => s.service === 'cnmcp-many')).toBe(true);
    const calls = spans.filter((s) => s.name === 'tools/call otlp_echo_note');
    expect(calls).toHaveLength(200);
    for (const call of calls) {
      const request = spans.find((s) => s.spanId === call.parentSpanId)!;
      expect(request.name).toBe('POST /mcp');
      expect(request.traceId).toBe(call.traceId);
      expect(request.events).toEqual(expect.arrayContaining(['guard', 'body']));
      expect(call.events).toEqual(expect.arrayContaining(['resolve', 'validate']));
      expect(spans.filter((s) => s.parentSpanId === call.spanId).map((s) => s.name)).toEqual(['call']);
    }
  });
});

describe('exporter: otlp, collector unreachable', () => {
  it("says so in the server's log, once, naming neither the header nor its secret", async () => {
    // A port that was just free: nothing listens there, so every export is refused.
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    const lines: string[] = [];
    const logStream = new Writable({ write: (chunk: Buffer, _encoding, done) => (lines.push(...chunk.toString().split('\n').filter(Boolean)), done()) });
    const server = await startTestKernel({
      config: {
        logging: { format: 'json' },
        telemetry: {
          tracing: {
            exporter: 'otlp',
            otlp: { endpoint: `http://127.0.0.1:${port}/v1/traces`, headers: { authorization: 'Bearer ${env:OTLP_TOKEN}' }, timeoutMs: 1000 },
          },
        },
        toolPacks: [{ use: 'otlp' }],
      },
      env: { OTLP_TOKEN: TOKEN },
      plugins: [pack],
      logStream,
    });
    await callOnce(server.url);
    await callOnce(server.url);
    await server.close();
    await new Promise((resolve) => setTimeout(resolve, 50)); // log lines are written at the end of a turn

    const failures = lines
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((entry) => entry.message === 'span export failed; its spans are lost');
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({ level: 'warn', spans: expect.any(Number), error: expect.stringContaining('ECONNREFUSED') });
    expect(lines.join('\n')).not.toContain(TOKEN);
  });
});

describe('OTEL_* environment variables', () => {
  it('configure the exporter when the file says nothing: endpoint, headers, service name, resource attributes', async () => {
    const { port } = collector.address() as AddressInfo;
    const server = await startTestKernel({
      config: { toolPacks: [{ use: 'otlp' }] },
      env: {
        OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}/env`,
        OTEL_EXPORTER_OTLP_HEADERS: `authorization=Bearer%20${TOKEN},x-tenant=ops`,
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
        OTEL_SERVICE_NAME: 'cnmcp-from-env',
        OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment.name=staging,k8s.namespace.name=mcp',
      },
      plugins: [pack],
    });
    await callOnce(server.url);
    await server.close();

    const posts = received.filter((r) => r.path === '/env/v1/traces');
    expect(posts.length).toBeGreaterThan(0);
    expect(posts.every((r) => r.headers.authorization === `Bearer ${TOKEN}` && r.headers['x-tenant'] === 'ops')).toBe(true);
    expect(posts.every((r) => String(r.headers['content-type']).startsWith('application/json'))).toBe(true);
    const bodies = posts.map((r) => r.body.toString('utf8')).join('\n');
    for (const expected of ['tools/call otlp_echo_note', 'cnmcp-from-env', 'staging', 'k8s.namespace.name']) expect(bodies).toContain(expected);
    expect(bodies).not.toContain(MARKER);
  });

  it('lose to the config file, key by key', async () => {
    const { port } = collector.address() as AddressInfo;
    const server = await startTestKernel({
      config: {
        telemetry: {
          resource: { serviceName: 'cnmcp-from-file' },
          tracing: { exporter: 'otlp', otlp: { endpoint: `http://127.0.0.1:${port}/file/v1/traces` } },
        },
        toolPacks: [{ use: 'otlp' }],
      },
      env: {
        OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}/loser`,
        OTEL_SERVICE_NAME: 'cnmcp-loser',
        OTEL_EXPORTER_OTLP_HEADERS: 'x-tenant=from-env',
      },
      plugins: [pack],
    });
    await callOnce(server.url);
    await server.close();

    expect(received.some((r) => r.path.startsWith('/loser'))).toBe(false);
    const posts = received.filter((r) => r.path === '/file/v1/traces');
    expect(posts.length).toBeGreaterThan(0);
    // The protocol the file left unset still comes from its default; headers the file does not set come from the environment.
    expect(posts.every((r) => r.headers['content-type'] === 'application/x-protobuf' && r.headers['x-tenant'] === 'from-env')).toBe(true);
    const bodies = Buffer.concat(posts.map((r) => r.body)).toString('latin1');
    expect(bodies).toContain('cnmcp-from-file');
    expect(bodies).not.toContain('cnmcp-loser');
  });

  it('OTEL_TRACES_SAMPLER=traceidratio ignores a sampled client traceparent; parentbased_always_off follows it', async () => {
    const traceparent = '00-5bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    for (const [sampler, expected] of [
      ['traceidratio', 0],
      ['parentbased_always_off', 1],
    ] as const) {
      const exporter = new InMemorySpanExporter();
      const server = await startTestKernel({
        config: { toolPacks: [{ use: 'otlp' }] },
        env: { OTEL_TRACES_SAMPLER: sampler, OTEL_TRACES_SAMPLER_ARG: '0' },
        plugins: [pack],
        spanExporter: exporter,
      });
      try {
        await callOnce(server.url, { traceparent });
        expect(exporter.getFinishedSpans().filter((s) => s.name === 'tools/call otlp_echo_note')).toHaveLength(expected);
      } finally {
        await server.close();
      }
    }
  });

  it('refuse to start on a bad value, naming the variable and never the header text', async () => {
    const failure = await startTestKernel({
      config: { toolPacks: [{ use: 'otlp' }] },
      env: { OTEL_TRACES_SAMPLER: 'sometimes', OTEL_EXPORTER_OTLP_HEADERS: 'Leaky-Header-Text-31337' },
      plugins: [pack],
    }).then(
      () => undefined,
      (error: Error) => error,
    );
    expect(failure).toBeInstanceOf(Error);
    const text = [failure!.message, ...((failure as { errors?: Error[] }).errors ?? []).map((e) => e.message)].join('\n');
    expect(text).toMatch(/OTEL_TRACES_SAMPLER/);
    expect(text).toMatch(/OTEL_EXPORTER_OTLP_HEADERS/);
    expect(text).not.toContain('Leaky-Header-Text-31337');
  });
});

describe('sampling', () => {
  it('samplingRatio 0 records no new trace, but follows a client traceparent that is sampled', async () => {
    const exporter = new InMemorySpanExporter();
    const server = await startTestKernel({
      config: { telemetry: { tracing: { samplingRatio: 0 } }, toolPacks: [{ use: 'otlp' }] },
      plugins: [pack],
      spanExporter: exporter,
    });
    try {
      await callOnce(server.url);
      expect(exporter.getFinishedSpans()).toHaveLength(0);
      const traceId = '5bf92f3577b34da6a3ce929d0e0e4736';
      await callOnce(server.url, { traceparent: `00-${traceId}-00f067aa0ba902b7-01` });
      const spans = exporter.getFinishedSpans();
      expect(spans.some((s) => s.name === 'tools/call otlp_echo_note')).toBe(true);
      expect(spans.every((s) => s.spanContext().traceId === traceId)).toBe(true);
    } finally {
      await server.close();
    }
  });
});

// The collector's gRPC TraceService/Export, bytes in and out: enough to see what the exporter sends.
const EXPORT: ServiceDefinition = {
  Export: {
    path: '/opentelemetry.proto.collector.trace.v1.TraceService/Export',
    requestStream: false,
    responseStream: false,
    requestSerialize: (b: Buffer) => b,
    requestDeserialize: (b: Buffer) => b,
    responseSerialize: (b: Buffer) => b,
    responseDeserialize: (b: Buffer) => b,
  },
};

describe('exporter: otlp (grpc)', () => {
  it('exports over gRPC with the headers as metadata', async () => {
    const calls: { metadata: Metadata; body: Buffer }[] = [];
    const grpc = new GrpcServer();
    grpc.addService(EXPORT, {
      Export: (call: { metadata: Metadata; request: Buffer }, done: (error: null, response: Buffer) => void) => {
        calls.push({ metadata: call.metadata, body: call.request });
        done(null, Buffer.alloc(0));
      },
    });
    const port = await new Promise<number>((resolve, reject) =>
      grpc.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))),
    );
    try {
      const server = await startTestKernel({
        config: {
          telemetry: {
            tracing: { exporter: 'otlp', otlp: { protocol: 'grpc', endpoint: `http://127.0.0.1:${port}`, headers: { 'x-collector-token': TOKEN } } },
          },
          toolPacks: [{ use: 'otlp' }],
        },
        plugins: [pack],
      });
      await callOnce(server.url);
      await server.close();
      expect(calls.length).toBeGreaterThan(0);
      expect(calls.every((c) => c.metadata.get('x-collector-token')[0] === TOKEN)).toBe(true);
      const bodies = Buffer.concat(calls.map((c) => c.body)).toString('latin1');
      expect(bodies).toContain('tools/call otlp_echo_note');
      expect(bodies).not.toContain(MARKER);
    } finally {
      grpc.forceShutdown();
    }
  });
});
