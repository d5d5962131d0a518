import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { definePlugin } from '@cnmcp/core/plugin';
import { startTestKernel, type TestKernel } from '@cnmcp/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePrometheusText, sampleValue } from '../support/prometheus-text.js';

const KEYS = { viewer: 'Viewer-Metrics-Key-01!', scraper: 'Scraper-Metrics-Key-02!', admin: 'Admin-Metrics-Key-03!' };

const pack = definePlugin({
  kind: 'tool-pack',
  name: 'meter',
  configSchema: { type: 'object' },
  setup: async () => ({
    tools: [
      {
        name: 'meter_echo_note',
        description: 'echo after a pretend backend call',
        inputSchema: { type: 'object', properties: { note: { type: 'string' } } },
        annotations: { readOnlyHint: true },
        handler: async (args: Record<string, unknown>, ctx) => ({
          content: [{ type: 'text' as const, text: await ctx.span('meter.backend', async () => String(args.note)) }],
        }),
      },
      {
        name: 'meter_rare_call',
        description: 'limited',
        inputSchema: { type: 'object' },
        annotations: { readOnlyHint: true },
        handler: async () => ({ content: [{ type: 'text' as const, text: 'ok' }] }),
      },
      {
        name: 'meter_delete_thing',
        description: 'destructive',
        inputSchema: { type: 'object' },
        annotations: { destructiveHint: true },
        handler: async () => ({ content: [] }),
      },
    ],
  }),
});

async function call(url: URL, key: string, name: string, args: Record<string, unknown> = {}) {
  const client = new Client({ name: 'meter', version: '1' }, { versionNegotiation: { mode: { pin: '2026-07-28' } } });
  await client.connect(new StreamableHTTPClientTransport(url, { requestInit: { headers: { 'x-api-key': key } } }));
  try {
    return await client.callTool({ name, arguments: args });
  } finally {
    await client.close();
  }
}

describe('/metrics on the main listener, behind auth', () => {
  let server: TestKernel;
  beforeAll(async () => {
    server = await startTestKernel({
      config: {
        telemetry: { metrics: { enabled: true }, resource: { serviceName: 'cnmcp-metrics-test' } },
        auth: [
          {
            use: 'apikey',
            keys: [
              { id: 'viewer-bot', key: KEYS.viewer, roles: ['viewer'] },
              { id: 'prometheus', key: KEYS.scraper, roles: ['metrics'] },
              { id: 'ops', key: KEYS.admin, roles: ['admin'] },
            ],
          },
        ],
        // The rbac config grants the named permissions: role names alone grant nothing.
        authorization: {
          use: 'rbac',
          roles: {
            viewer: { tools: ['meter_*'], readOnly: true },
            metrics: { permissions: ['metrics:read'] },
            admin: { tools: ['*'], permissions: ['*:read'] },
          },
        },
        rateLimit: { use: 'memory' },
        limits: { perTool: [{ tools: 'meter_rare_call', points: 1, durationSeconds: 3600 }] },
        audit: [{ use: 'stdout' }],
        toolPacks: [{ use: 'meter' }],
      },
      plugins: [pack],
    });
  });
  afterAll(async () => {
    await server?.close();
  });

  const scrape = (key?: string) => fetch(new URL('/metrics', server.origin), { headers: key ? { 'x-api-key': key } : {} });

  it('starts every labelled counter of a known label value at 0, before the first event', async () => {
    const samples = parsePrometheusText(await (await scrape(KEYS.scraper)).text());
    const value = (name: string, labels: Record<string, string>) => sampleValue(samples, name, labels);
    for (const tool of ['meter_echo_note', 'meter_delete_thing', 'meter_rare_call'])
      for (const outcome of ['success', 'failure', 'denied']) expect(value('cnmcp_tool_calls_total', { tool, outcome }), `${tool} ${outcome}`).toBe(0);
    expect(value('cnmcp_auth_attempts_total', { method: 'apikey', outcome: 'failure' })).toBe(0);
    expect(value('cnmcp_auth_attempts_total', { method: 'none', outcome: 'failure' })).toBe(0);
    for (const limit of ['ip', 'identity', 'tool', 'lockout']) expect(value('cnmcp_rate_limited_total', { limit }), limit).toBe(0);
  });

  it('needs a credential, and then the admin or metrics role', async () => {
    expect((await scrape()).status).toBe(401);
    expect((await scrape(KEYS.viewer)).status).toBe(403);
    expect((await scrape(KEYS.admin)).status).toBe(200);
    const res = await scrape(KEYS.scraper);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
  });

  it('counts requests, auth, tool calls with durations, rate limits, backend calls, audit and runtime', async () => {
    await call(server.url, KEYS.viewer, 'meter_echo_note', { note: 'a' });
    await call(server.url, KEYS.viewer, 'meter_echo_note', { note: 'b' });
    await expect(call(server.url, KEYS.viewer, 'meter_delete_thing')).rejects.toMatchObject({ code: -32003 });
    await call(server.url, KEYS.viewer, 'meter_rare_call');
    await expect(call(server.url, KEYS.viewer, 'meter_rare_call')).rejects.toMatchObject({ code: -31029 });
    expect(
      (await fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': 'Wrong-Key-Entirely-9!' }, body: '{}' })).status,
    ).toBe(401);
    await server.kernel.audit.hub.flush();

    const samples = parsePrometheusText(await (await scrape(KEYS.scraper)).text());
    const value = (name: string, labels?: Record<string, string>) => sampleValue(samples, name, labels);
    expect(value('cnmcp_tool_calls_total', { tool: 'meter_echo_note', outcome: 'success' })).toBe(2);
    expect(value('cnmcp_tool_calls_total', { tool: 'meter_delete_thing', outcome: 'denied' })).toBe(1);
    expect(value('cnmcp_tool_calls_total', { tool: 'meter_rare_call', outcome: 'denied' })).toBe(1);
    expect(value('cnmcp_tool_call_duration_seconds_count', { tool: 'meter_echo_note', outcome: 'success' })).toBe(2);
    expect(value('cnmcp_tool_call_duration_seconds_bucket', { tool: 'meter_echo_note', outcome: 'success', le: '+Inf' })).toBe(2);
    expect(value('cnmcp_backend_call_duration_seconds_count', { tool: 'meter_echo_note', backend: 'meter.backend', outcome: 'ok' })).toBe(2);
    expect(value('cnmcp_rate_limited_total', { limit: 'tool' })).toBe(1);
    expect(value('cnmcp_auth_attempts_total', { method: 'apikey', outcome: 'failure' })).toBeGreaterThanOrEqual(1);
    expect(value('cnmcp_auth_attempts_total', { method: 'apikey', outcome: 'success' })).toBeGreaterThanOrEqual(5);
    expect(value('cnmcp_http_requests_total', { endpoint: 'mcp', transport: 'streamable-http', status: '401' })).toBeGreaterThanOrEqual(1);
    expect(value('cnmcp_http_requests_total', { endpoint: 'mcp', transport: 'streamable-http', status: '200' })).toBeGreaterThanOrEqual(5);
    expect(value('cnmcp_http_requests_total', { endpoint: 'metrics', transport: 'none', status: '403' })).toBe(1);
    expect(value('cnmcp_audit_events_written_total')).toBeGreaterThanOrEqual(6);
    expect(value('cnmcp_audit_events_dropped_total')).toBe(0);
    // The scrape's own auth.success event may still wait in the queue while the page is collected.
    expect(value('cnmcp_audit_queue_depth')).toBeLessThanOrEqual(1);
    expect(value('cnmcp_tool_calls_in_flight')).toBe(0);
    // The Node and process series under their stock names, as stock dashboards query them.
    expect(value('process_resident_memory_bytes')).toBeGreaterThan(0);
    expect(value('nodejs_heap_size_used_bytes')).toBeGreaterThan(0);
    expect(value('process_cpu_seconds_total')).toBeGreaterThan(0);
    expect(value('process_start_time_seconds')).toBeGreaterThan(1_600_000_000);
    expect(value('process_start_time_seconds')).toBeLessThanOrEqual(Date.now() / 1000);
    expect(value('nodejs_eventloop_lag_p99_seconds')).toBeGreaterThanOrEqual(0);
    expect(samples.find((s) => s.name === 'target_info')?.labels).toMatchObject({ service_name: 'cnmcp-metrics-test' });
    // Every series is cnmcp's own or a stock runtime one; no argument value or credential becomes a label.
    const text = JSON.stringify(samples);
    for (const secret of [...Object.values(KEYS), 'Wrong-Key-Entirely-9!']) expect(text).not.toContain(secret);
    expect(samples.filter((s) => !/^(cnmcp|process|nodejs)_|^target_info$/.test(s.name))).toEqual([]);
    expect(samples.some((s) => s.name.startsWith('cnmcp_process_') || s.name.startsWith('cnmcp_nodejs_'))).toBe(false);
  });
});

describe('/metrics on a separate listener', () => {
  it('serves only GET /metrics there, without auth; the main listener has none; two kernels count apart', async () => {
    const config = (listen: boolean) => ({
      telemetry: { metrics: { enabled: true, ...(listen ? { listen: '127.0.0.1:0' } : {}) } },
      toolPacks: [{ use: 'meter' }],
    });
    const a = await startTestKernel({ config: config(true), plugins: [pack] });
    const b = await startTestKernel({ config: config(false), plugins: [pack] });
    try {
      const metricsUrl = a.kernel.metricsUrl!;
      expect(metricsUrl.port).not.toBe(a.url.port);
      expect((await fetch(new URL('/metrics', a.origin))).status).toBe(404);
      expect((await fetch(metricsUrl, { method: 'POST' })).status).toBe(405);
      expect((await fetch(new URL('/other', metricsUrl))).status).toBe(404);

      const client = new Client({ name: 'meter', version: '1' }, { versionNegotiation: { mode: { pin: '2026-07-28' } } });
      await client.connect(new StreamableHTTPClientTransport(a.url));
      await client.callTool({ name: 'meter_echo_note', arguments: { note: 'x' } });
      await client.close();

      const ofA = parsePrometheusText(await (await fetch(metricsUrl)).text());
      expect(sampleValue(ofA, 'cnmcp_tool_calls_total', { tool: 'meter_echo_note', outcome: 'success' })).toBe(1);
      const ofB = parsePrometheusText(await (await fetch(new URL('/metrics', b.origin))).text());
      expect(sampleValue(ofB, 'cnmcp_tool_calls_total', { tool: 'meter_echo_note', outcome: 'success' })).toBe(0);
    } finally {
      await a.close();
      await b.close();
    }
    await expect(fetch(a.kernel.metricsUrl!)).rejects.toThrow();
  });

  it('is absent when metrics are off', async () => {
    const off = await startTestKernel({ config: { toolPacks: [{ use: 'meter' }] }, plugins: [pack] });
    try {
      expect((await fetch(new URL('/metrics', off.origin))).status).toBe(404);
      expect(off.kernel.metricsUrl).toBeUndefined();
    } finally {
      await off.close();
    }
  });
});
