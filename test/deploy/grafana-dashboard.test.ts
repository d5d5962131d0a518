// The Grafana dashboard (deploy/grafana/cnmcp-dashboard.json) against real data: a real Prometheus (the Debian
// package) scrapes a real cnmcp serving HTTPS with an audit webhook, and every panel's PromQL must parse and
// return series; every metric the dashboard names must be on /metrics.
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { definePlugin } from '@cnmcp/core/plugin';
import { startTestKernel, type TestKernel } from '@cnmcp/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startScrapingPrometheus, type ScrapingPrometheus } from '../support/prometheus-scraper.js';
import { createTestCa, type TestCa } from '../support/test-pki.js';
import { tlsFetch, type TlsFetch } from '../support/tls-fetch.js';

interface Panel {
  readonly title: string;
  readonly type: string;
  readonly targets?: readonly { readonly expr: string }[];
}
const dashboard = JSON.parse(readFileSync(new URL('../../deploy/grafana/cnmcp-dashboard.json', import.meta.url), 'utf8')) as {
  panels: Panel[];
  templating: { list: { name: string; definition?: string }[] };
};
const queries = dashboard.panels.flatMap((p) => (p.targets ?? []).map((t) => ({ panel: p.title, expr: t.expr })));
/** Grafana's variables as Grafana would substitute them for a single selected job. */
const concrete = (expr: string) => expr.replaceAll('$job', 'cnmcp').replaceAll('$__rate_interval', '1m');

const KEY = 'Dashboard-Test-Key-0042!';
const pack = definePlugin({
  kind: 'tool-pack',
  name: 'dash',
  configSchema: { type: 'object' },
  setup: async () => ({
    tools: [
      {
        name: 'dash_backend_note',
        description: 'calls a (local) backend through ctx.span',
        inputSchema: { type: 'object' },
        annotations: { readOnlyHint: true },
        handler: async (_args: Record<string, unknown>, ctx) => ({
          content: [{ type: 'text' as const, text: await ctx.span('dash.backend', async () => 'ok') }],
        }),
      },
    ],
  }),
});

let ca: TestCa;
let trusting: TlsFetch;
let server: TestKernel;
let prometheus: ScrapingPrometheus;
let receiver: ReturnType<typeof createServer>;
let metricsText = '';

beforeAll(async () => {
  ca = await createTestCa('dashboard');
  const cert = await ca.issueServer('dashboard', { days: 30 });
  receiver = createServer((req, res) => req.resume().on('end', () => res.writeHead(204).end()));
  receiver.listen(0, '127.0.0.1');
  await once(receiver, 'listening');
  process.env.CNMCP_DASHBOARD_WEBHOOK_SECRET = 'dashboard-webhook-secret-0123456789abcdef';
  server = await startTestKernel({
    config: {
      tls: { use: 'file', cert: cert.certPath, key: cert.keyPath },
      auth: [{ use: 'apikey', keys: [{ id: 'ops', key: KEY, roles: ['admin'] }] }],
      authorization: { use: 'allow-all' },
      secrets: { use: 'env', names: { 'dash-webhook': 'CNMCP_DASHBOARD_WEBHOOK_SECRET' } },
      audit: [
        { use: 'stdout', stream: 'stderr' },
        { use: 'webhook', url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`, secret: 'dash-webhook', events: ['tool.*'] },
      ],
      telemetry: { metrics: { enabled: true, listen: '127.0.0.1:0' } },
      toolPacks: [{ use: 'dash' }],
    },
    plugins: [pack],
  });
  trusting = tlsFetch({ ca: ca.certPath, servername: 'localhost' });
  prometheus = await startScrapingPrometheus({ target: server.kernel.metricsUrl!.host });
  // Traffic for the rate() and histogram_quantile() panels: calls spread over a few scrapes, and failed keys.
  const client = new Client({ name: 'dashboard', version: '1' }, { versionNegotiation: { mode: { pin: '2026-07-28' } } });
  await client.connect(new StreamableHTTPClientTransport(server.url, { fetch: trusting.fetch, requestInit: { headers: { 'x-api-key': KEY } } }));
  for (let i = 0; i < 6; i++) {
    await client.callTool({ name: 'dash_backend_note', arguments: {} });
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  await client.close();
  await trusting.fetch(server.url, { method: 'POST', headers: { 'x-api-key': 'Wrong-Dashboard-Key-1!' } });
  metricsText = await (await fetch(server.kernel.metricsUrl!)).text();
}, 120_000);

afterAll(async () => {
  await prometheus?.stop();
  await trusting?.close();
  await server?.close();
  receiver?.close();
  await ca?.remove();
  delete process.env.CNMCP_DASHBOARD_WEBHOOK_SECRET;
});

describe('the Grafana dashboard', () => {
  it('covers requests, latency, tools, auth failures, lockouts, rate limits, audit, the webhook, certificate expiry and the process', () => {
    const all = queries.map((q) => q.expr).join('\n');
    for (const metric of [
      'cnmcp_http_requests_total',
      'cnmcp_tool_call_duration_seconds_bucket',
      'cnmcp_tool_calls_total',
      'cnmcp_auth_attempts_total',
      'limit="lockout"',
      'cnmcp_rate_limited_total',
      'cnmcp_audit_events_dropped_total',
      'cnmcp_audit_queue_depth',
      'cnmcp_audit_webhook_deliveries_total',
      'cnmcp_tls_certificate_expiry_timestamp_seconds',
      'process_cpu_seconds_total',
      'nodejs_eventloop_lag_p99_seconds',
    ])
      expect(all).toContain(metric);
    expect(dashboard.templating.list.map((v) => v.name)).toEqual(['datasource', 'job']);
  });

  it('names only metrics cnmcp serves', () => {
    const named = new Set(
      [...queries.map((q) => q.expr), ...dashboard.templating.list.map((v) => v.definition ?? '')].flatMap((e) =>
        [...e.matchAll(/\b((?:cnmcp|process|nodejs)_[a-z0-9_]+)\b/g)].map((m) => m[1]!),
      ),
    );
    expect(named.size).toBeGreaterThan(15);
    const missing = [...named].filter((name) => !new RegExp(`^${name}[{ ]`, 'm').test(metricsText));
    expect(missing).toEqual([]);
  });

  it('runs every panel query on a real Prometheus scraping cnmcp, and each returns series', async () => {
    const empty: string[] = [];
    for (const { panel, expr } of queries) {
      // A query that does not parse rejects here (Prometheus answers 400 bad_data).
      const result = await prometheus
        .waitFor(concrete(expr), (r) => r.length > 0, 30_000)
        .catch((error: Error) => {
          if (/bad_data|parse error/.test(error.message)) throw error;
          return [];
        });
      if (result.length === 0) empty.push(`${panel}: ${expr}`);
    }
    expect(empty).toEqual([]);
  }, 300_000);
});
