import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { definePlugin } from '@cnmcp/core/plugin';
import { startTestKernel, type TestKernel } from '@cnmcp/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
    } finally {
      await scraper.stop();
      await guarded.close();
    }
  }, 90_000);
});
