import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { SpanKind } from '@opentelemetry/api';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { definePlugin } from '@cnmcp/core/plugin';
import { startTestKernel, type TestKernel } from '@cnmcp/core/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startScrapingPrometheus, type ScrapingPrometheus } from '../support/prometheus-scraper.js';

const pack = definePlugin({
  kind: 'tool-pack',
  name: 'scraped',
  configSchema: { type: 'object' },
  setup: async () => ({
    tools: [
      {
        name: 'scraped_echo_note',
        description: 'echo',
        inputSchema: { type: 'object' },
        annotations: { readOnlyHint: true },
        handler: async () => ({ content: [{ type: 'text' as const, text: 'ok' }] }),
      },
    ],
  }),
});

let server: TestKernel;
let prometheus: ScrapingPrometheus;
beforeAll(async () => {
  server = await startTestKernel({
    config: { telemetry: { metrics: { enabled: true, listen: '127.0.0.1:0' } }, toolPacks: [{ use: 'scraped' }] },
    plugins: [pack],
  });
  prometheus = await startScrapingPrometheus({ target: server.kernel.metricsUrl!.host });
}, 90_000);
afterAll(async () => {
  await prometheus?.stop();
  await server?.close();
});

describe('a real Prometheus scraping the server', () => {
  it('reads cnmcp_tool_calls_total back through its query API', async () => {
    const client = new Client({ name: 'scraped', version: '1' }, { versionNegotiation: { mode: { pin: '2026-07-28' } } });
    await client.connect(new StreamableHTTPClientTransport(server.url));
    for (let i = 0; i < 3; i++) await client.callTool({ name: 'scraped_echo_note', arguments: {} });
    await client.close();

    const result = await prometheus.waitFor('cnmcp_tool_calls_total{tool="scraped_echo_note",outcome="success"}', (r) => r[0]?.value[1] === '3');
    expect(result).toHaveLength(1);
    expect(result[0]!.metric).toMatchObject({ job: 'cnmcp', tool: 'scraped_echo_note', outcome: 'success' });
    // The target is healthy and a histogram is usable as a dashboard would use it.
    expect((await prometheus.query('up{job="cnmcp"}'))[0]?.value[1]).toBe('1');
    const p95 = await prometheus.query('histogram_quantile(0.95, sum by (le) (cnmcp_tool_call_duration_seconds_bucket))');
    expect(Number(p95[0]?.value[1])).toBeGreaterThan(0);
  }, 90_000);

  it('reads the Node and process series under the stock names dashboards query', async () => {
    for (const query of ['process_cpu_seconds_total', 'process_resident_memory_bytes', 'nodejs_heap_size_used_bytes', 'nodejs_eventloop_lag_p99_seconds']) {
      const result = await prometheus.waitFor(`${query}{job="cnmcp"}`, (r) => r.length === 1);
      expect(Number(result[0]!.value[1]), query).toBeGreaterThanOrEqual(0);
    }
    const uptime = await prometheus.query('time() - process_start_time_seconds{job="cnmcp"}');
    expect(Number(uptime[0]?.value[1])).toBeGreaterThan(0);
    expect(Number(uptime[0]?.value[1])).toBeLessThan(3600);
  }, 90_000);
});

describe('a real Prometheus scraping /metrics on the main listener behind auth', () => {
  it('authenticates with an API key of the metrics role and reads the auth counter back', async () => {
    const key = 'Prometheus-Scrape-Key-77!';
    const guarded = await startTestKernel({
      config: {
        telemetry: { metrics: { enabled: true } },
        auth: [{ use: 'apikey', keys: [{ id: 'prometheus', key, roles: ['metrics'] }] }],
        authorization: { use: 'rbac', roles: { metrics: { permissions: ['metrics:read'] } } },
        toolPacks: [{ use: 'scraped' }],
      },
      plugins: [pack],
    });
    const scraper = await startScrapingPrometheus({ target: guarded.url.host, authorization: { type: 'ApiKey', credentials: key } });
    try {
      const up = await scraper.waitFor('up{job="cnmcp"}', (r) => r[0]?.value[1] === '1');
      expect(up).toHaveLength(1);
      // Each scrape authenticates: Prometheus' own requests show up as successes of the apikey method.
      const auth = await scraper.waitFor('cnmcp_auth_attempts_total{method="apikey",outcome="success"}', (r) => Number(r[0]?.value[1]) >= 1);
      expect(auth[0]!.metric).toMatchObject({ method: 'apikey', outcome: 'success' });

      // The failure series exists at 0 before any failure, so increase() sees the very first one (an alert on
      // increase(...failure...) would otherwise stay silent until the second).
      await scraper.waitFor('cnmcp_auth_attempts_total{method="apikey",outcome="failure"}', (r) => r[0]?.value[1] === '0');
      const refused = await fetch(guarded.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': 'Not-A-Key-At-All-000!' },
        body: '{}',
      });
      expect(refused.status).toBe(401);
      const first = await scraper.waitFor('increase(cnmcp_auth_attempts_total{method="apikey",outcome="failure"}[1m])', (r) => Number(r[0]?.value[1]) > 0);
      expect(Number(first[0]!.value[1])).toBeGreaterThan(0);
    } finally {
      await scraper.stop();
      await guarded.close();
    }
  }, 90_000);
});

describe('a backend call of the prometheus pack', () => {
  it("carries its CLIENT span's traceparent to the backend, and the configured credentials unchanged", async () => {
    // Prometheus 2.42 (Debian) exports no spans of its HTTP API, so a loopback stand-in answers as Prometheus does
    // and keeps the headers it saw.
    const seen: IncomingHttpHeaders[] = [];
    const backend = createServer((req, res) => {
      seen.push(req.headers);
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(
          JSON.stringify({ status: 'success', data: { version: '2.42.0', revision: 'x', branch: 'x', buildUser: 'x', buildDate: 'x', goVersion: 'go1.19' } }),
        );
    });
    await new Promise<void>((resolve) => backend.listen(0, '127.0.0.1', resolve));
    const spans = new InMemorySpanExporter();
    let kernel: TestKernel | undefined;
    try {
      const url = `http://127.0.0.1:${(backend.address() as AddressInfo).port}`;
      kernel = await startTestKernel({
        config: { toolPacks: [{ use: 'prometheus', backend: { url, auth: { type: 'bearer', token: '${env:PROM_TOKEN}' } } }] },
        env: { PROM_TOKEN: 'Prom-Backend-Token-4242' },
        spanExporter: spans,
      });
      const client = new Client({ name: 'traced', version: '1' }, { versionNegotiation: { mode: { pin: '2026-07-28' } } });
      await client.connect(
        new StreamableHTTPClientTransport(kernel.url, { requestInit: { headers: { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' } } }),
      );
      const result = await client.callTool({ name: 'prometheus_get_build_info', arguments: {} });
      await client.close();
      expect(result.isError).toBeFalsy();

      const span = await vi.waitFor(() => {
        const found = spans.getFinishedSpans().find((s) => s.name === 'prometheus GET /api/v1/status/buildinfo');
        if (!found) throw new Error('backend span not finished yet');
        return found;
      });
      expect(span.kind).toBe(SpanKind.CLIENT);
      expect(span.spanContext().traceId).toBe('0af7651916cd43dd8448eb211c80319c');
      expect(seen).toHaveLength(1);
      expect(seen[0]!.traceparent).toBe(`00-0af7651916cd43dd8448eb211c80319c-${span.spanContext().spanId}-01`);
      expect(seen[0]!.authorization).toBe('Bearer Prom-Backend-Token-4242');
    } finally {
      await kernel?.close();
      await new Promise((resolve) => backend.close(resolve));
    }
  }, 60_000);
});
