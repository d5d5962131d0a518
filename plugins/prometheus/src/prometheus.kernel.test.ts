// Every prometheus tool called through the SDK client over HTTP, with API keys and rbac on, against a real
// Prometheus started for this file that scrapes itself and evaluates a recording rule and two alerts.
import type { Client } from '@modelcontextprotocol/client';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { PROMETHEUS_RULES, startPrometheus, type TestPrometheus } from '../../../test/support/prometheus-server.js';
import { call, startPackKernel, type PackKernel } from './testing/pack-kernel.js';

/** The refusal text, whether the kernel refused the arguments (JSON-RPC error) or the tool did (isError). */
const rpcOrTool = (request: ReturnType<typeof call>) =>
  request.then(
    (r) => (r.isError ? r.text : 'accepted'),
    (e: unknown) => String((e as Error).message),
  );

let prom: TestPrometheus;
let kernel: PackKernel;
let client: Client;
const spans = new InMemorySpanExporter();

beforeAll(async () => {
  prom = await startPrometheus();
  // The injection filter in reject mode: PromQL full of quotes and parentheses must still reach Prometheus unchanged.
  kernel = await startPackKernel([{ use: 'prometheus', backend: { url: prom.url }, limits: { default: 5, max: 50 } }], {
    sanitize: { use: 'injection-filter', mode: 'reject' },
    spanExporter: spans,
  });
  client = await kernel.connect('viewer');
}, 120_000);

afterAll(async () => {
  await kernel?.close();
  await prom?.stop();
});

describe('prometheus pack against a real Prometheus', () => {
  it('lists thirteen read-only tools with sanitize policies on their inputs', async () => {
    const tools = (await client.listTools()).tools.filter((t) => t.name.startsWith('prometheus_'));
    expect(tools.map((t) => t.name).sort()).toEqual([
      'prometheus_get_build_info',
      'prometheus_get_metadata',
      'prometheus_get_rules_summary',
      'prometheus_get_targets_summary',
      'prometheus_get_tsdb_status',
      'prometheus_list_alerts',
      'prometheus_list_label_names',
      'prometheus_list_label_values',
      'prometheus_list_rules',
      'prometheus_list_series',
      'prometheus_list_targets',
      'prometheus_query_instant',
      'prometheus_query_range',
    ]);
    for (const tool of tools) expect(tool.annotations).toMatchObject({ readOnlyHint: true, destructiveHint: false });
    const query = tools.find((t) => t.name === 'prometheus_query_instant')!;
    expect(query.inputSchema.properties?.query).toMatchObject({ 'x-cnmcp-sanitize': 'query', maxLength: 8192 });
    expect(query.outputSchema).toBeDefined();
  });

  it('prometheus_query_instant evaluates an instant vector and a scalar', async () => {
    const up = await call(client, 'prometheus_query_instant', { query: 'up{job="prometheus"}' });
    expect(up.isError).toBe(false);
    expect(up.data).toMatchObject({ resultType: 'vector', total: 1, returned: 1, truncated: false });
    expect((up.data.result as { metric: Record<string, string>; value: number }[])[0]).toMatchObject({
      metric: { __name__: 'up', job: 'prometheus' },
      value: 1,
    });
    expect(up.text).toContain('up{instance="127.0.0.1:');

    const aggregated = await call(client, 'prometheus_query_instant', {
      query: 'sum by (job) (rate(prometheus_http_requests_total{handler=~"/api/v1/.*"}[1m])) >= 0',
    });
    expect(aggregated.isError).toBe(false);
    expect(aggregated.data).toMatchObject({ resultType: 'vector', total: 1 });

    const scalar = await call(client, 'prometheus_query_instant', { query: '1 + 2', time: 'now-1m' });
    expect(scalar.data).toMatchObject({ resultType: 'scalar', scalar: 3 });
  });

  it('prometheus_query_instant cuts a large vector at limit and says so', async () => {
    const result = await call(client, 'prometheus_query_instant', { query: '{job="prometheus"}', limit: 3 });
    expect(result.data.returned).toBe(3);
    expect(result.data.truncated).toBe(true);
    expect(result.data.total as number).toBeGreaterThan(3);
    expect(result.text).toMatch(/Showing 3 of \d+ series \(truncated by limit\)/);
  });

  it('prometheus_query_instant turns a PromQL syntax error into an isError result naming the problem', async () => {
    const bad = await call(client, 'prometheus_query_instant', { query: 'sum(rate(up[5m]' });
    expect(bad.isError).toBe(true);
    expect(bad.text).toMatch(/Prometheus rejected the request \(HTTP 400\): bad_data: .*parse error/);
  });

  it('prometheus_query_range returns points at the chosen step', async () => {
    const result = await call(client, 'prometheus_query_range', { query: 'up', start: 'now-30s', end: 'now', step: '5s' });
    expect(result.isError).toBe(false);
    expect(result.data).toMatchObject({ resultType: 'matrix', stepSeconds: 5, returned: 1 });
    const [series] = result.data.result as { values: [number, number][] }[];
    expect(series!.values.length).toBeGreaterThan(0);
    expect(series!.values.every(([, v]) => v === 1)).toBe(true);

    const tooLong = await rpcOrTool(call(client, 'prometheus_query_instant', { query: `up${' '.repeat(8200)}` }));
    expect(tooLong).toMatch(/8192|too long|longer/i);

    const backwards = await call(client, 'prometheus_query_range', { query: 'up', start: 'now', end: 'now-1h' });
    expect(backwards.isError).toBe(true);
    expect(backwards.text).toContain('is before start');
  });

  it('prometheus_list_series pages with continue tokens bound to the query', async () => {
    const first = await call(client, 'prometheus_list_series', { match: ['{__name__=~"prometheus_tsdb_.*"}'], limit: 2 });
    expect(first.data).toMatchObject({ returned: 2, truncated: true });
    const token = first.data.continue as string;
    expect(first.text).toContain(`continue: "${token}"`);
    const second = await call(client, 'prometheus_list_series', { match: ['{__name__=~"prometheus_tsdb_.*"}'], limit: 2, continue: token });
    expect(second.data.total).toBe(first.data.total);
    const names = (r: typeof first) => (r.data.series as Record<string, string>[]).map((s) => JSON.stringify(s));
    expect(names(second).some((n) => names(first).includes(n))).toBe(false);

    const replayed = await call(client, 'prometheus_list_series', { match: ['up'], continue: token });
    expect(replayed.isError).toBe(true);
    expect(replayed.text).toContain('continue token belongs to a call with other arguments');
  });

  it('prometheus_list_label_names and prometheus_list_label_values', async () => {
    const names = await call(client, 'prometheus_list_label_names', { match: ['up'], limit: 50 });
    expect(names.data.labels).toEqual(['__name__', 'instance', 'job']);
    const values = await call(client, 'prometheus_list_label_values', { label: 'job' });
    expect(values.data).toMatchObject({ label: 'job', values: ['prometheus'], truncated: false });
    const metricNames = await call(client, 'prometheus_list_label_values', { label: '__name__', limit: 5 });
    expect(metricNames.data).toMatchObject({ returned: 5, truncated: true });
  });

  it('prometheus_list_targets and prometheus_get_targets_summary see the self-scrape', async () => {
    const targets = await call(client, 'prometheus_list_targets', { health: 'up' });
    expect(targets.data).toMatchObject({ state: 'active', total: 1 });
    expect((targets.data.targets as Record<string, unknown>[])[0]).toMatchObject({ scrapePool: 'prometheus', health: 'up', scrapeUrl: `${prom.url}/metrics` });
    const none = await call(client, 'prometheus_list_targets', { health: 'down' });
    expect(none.data.total).toBe(0);
    const dropped = await call(client, 'prometheus_list_targets', { state: 'dropped' });
    expect(dropped.data).toMatchObject({ state: 'dropped', total: 0 });

    const summary = await call(client, 'prometheus_get_targets_summary');
    expect(summary.data).toMatchObject({
      active: 1,
      dropped: 0,
      health: { up: 1, down: 0, unknown: 0 },
      pools: [{ scrapePool: 'prometheus', up: 1 }],
      downTargets: [],
    });
    expect(summary.text).toContain('1 active targets (1 up, 0 down, 0 unknown)');
  });

  it('prometheus_list_alerts shows the firing alert before the pending one', async () => {
    const all = await call(client, 'prometheus_list_alerts');
    const alerts = all.data.alerts as { alertname: string; state: string; labels: Record<string, string> }[];
    expect(alerts.map((a) => [a.alertname, a.state])).toEqual([
      [PROMETHEUS_RULES.firing, 'firing'],
      [PROMETHEUS_RULES.pending, 'pending'],
    ]);
    expect(alerts[0]!.labels.severity).toBe('critical');
    const pending = await call(client, 'prometheus_list_alerts', { state: 'pending' });
    expect((pending.data.alerts as { alertname: string }[]).map((a) => a.alertname)).toEqual([PROMETHEUS_RULES.pending]);
  });

  it('prometheus_list_rules and prometheus_get_rules_summary describe the rule file', async () => {
    const rules = await call(client, 'prometheus_list_rules');
    expect(rules.data.total).toBe(3);
    expect(rules.data.rules).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ group: PROMETHEUS_RULES.group, type: 'recording', name: PROMETHEUS_RULES.record, query: 'sum by (job) (up)', health: 'ok' }),
        expect.objectContaining({ type: 'alerting', name: PROMETHEUS_RULES.firing, state: 'firing', activeAlerts: 1 }),
        expect.objectContaining({ type: 'alerting', name: PROMETHEUS_RULES.pending, state: 'pending', forSeconds: 3600 }),
      ]),
    );
    const recording = await call(client, 'prometheus_list_rules', { type: 'record' });
    expect((recording.data.rules as { name: string }[]).map((r) => r.name)).toEqual([PROMETHEUS_RULES.record]);

    const summary = await call(client, 'prometheus_get_rules_summary');
    expect(summary.data).toMatchObject({
      groups: [{ name: PROMETHEUS_RULES.group, alertingRules: 2, recordingRules: 1, firing: 1, pending: 1, unhealthy: [] }],
      totals: { alertingRules: 2, recordingRules: 1, firing: 1, pending: 1, unhealthy: 0 },
    });
  });

  it('prometheus_get_metadata, prometheus_get_tsdb_status and prometheus_get_build_info', async () => {
    const metadata = await call(client, 'prometheus_get_metadata', { metric: 'prometheus_http_requests_total' });
    expect(metadata.data.metrics).toEqual([expect.objectContaining({ metric: 'prometheus_http_requests_total', type: 'counter' })]);
    const all = await call(client, 'prometheus_get_metadata', { limit: 3 });
    expect(all.data).toMatchObject({ returned: 3, truncated: true });

    const tsdb = await call(client, 'prometheus_get_tsdb_status');
    expect((tsdb.data.headStats as { numSeries: number }).numSeries).toBeGreaterThan(10);
    expect((tsdb.data.seriesCountByMetricName as unknown[]).length).toBeGreaterThan(0);

    const build = await call(client, 'prometheus_get_build_info');
    expect(build.data.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(build.text).toContain(`Prometheus ${build.data.version as string}`);
  });

  it('traces each backend request as a child span of the tool call, named by its route', async () => {
    spans.reset();
    await call(client, 'prometheus_get_build_info');
    // The tool and tools/call spans end as the answer is sent: wait for them to be exported.
    const { backend, parent, callSpan } = await vi.waitFor(() => {
      const finished = spans.getFinishedSpans();
      const byId = (id: string | undefined) => finished.find((s) => s.spanContext().spanId === id);
      const backend = finished.filter((s) => s.name === 'prometheus GET /api/v1/status/buildinfo');
      const parent = byId(backend[0]?.parentSpanContext?.spanId);
      const callSpan = byId(parent?.parentSpanContext?.spanId);
      if (!callSpan) throw new Error(`spans not exported yet: ${JSON.stringify(finished.map((s) => s.name))}`);
      return { backend, parent, callSpan };
    });
    expect(backend).toHaveLength(1);
    expect(parent?.name).toBe('call');
    expect(callSpan.name).toBe('tools/call prometheus_get_build_info');
    expect(backend[0]!.attributes).toMatchObject({ 'http.request.method': 'GET', 'server.address': '127.0.0.1', 'url.template': '/api/v1/status/buildinfo' });
  });
});
