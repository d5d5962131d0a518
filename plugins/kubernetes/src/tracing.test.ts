// The pack's API-call spans as an operator's tracing backend receives them: children of the tool call, named
// after the operation only (no object, namespace or selector in a name), failures marked by class only, and every
// call counted in the backend-duration histogram.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { startTestKernel, type TestKernel } from '@cnmcp/core/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parsePrometheusText, sampleValue } from '../../../test/support/prometheus-text.js';
import { startKubernetesApiServer, type KubernetesApiServer } from '../../../test/support/kubernetes-api/server.js';

const KEY = 'Kube-Tracing-Key-042!';
const exporter = new InMemorySpanExporter();
let api: KubernetesApiServer;
let server: TestKernel;
let client: Client;

beforeAll(async () => {
  api = await startKubernetesApiServer();
  const kubeconfig = await api.writeKubeconfig(mkdtempSync(join(tmpdir(), 'cnmcp-kube-trace-')));
  server = await startTestKernel({
    config: {
      telemetry: { metrics: { enabled: true, listen: '127.0.0.1:0' } },
      auth: [{ use: 'apikey', keys: [{ id: 'ops-bot', key: KEY, roles: ['operator'] }] }],
      authorization: { use: 'rbac', roles: { operator: { tools: ['kubernetes_*'] } } },
      toolPacks: [{ use: 'kubernetes', kubeconfig, guardRails: { deniedNamespaces: ['default'] } }],
    },
    spanExporter: exporter,
  });
  client = new Client({ name: 'kube-tracing', version: '0' }, { versionNegotiation: { mode: { pin: '2026-07-28' } } });
  await client.connect(new StreamableHTTPClientTransport(server.url, { requestInit: { headers: { 'x-api-key': KEY } } }));
});

afterAll(async () => {
  await client?.close();
  await server?.close();
  await api?.close();
});

beforeEach(() => exporter.reset());

const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;
const kubeSpans = () => exporter.getFinishedSpans().filter((s) => s.name.startsWith('kubernetes.'));

describe('kubernetes API-call spans', () => {
  it('are children of the tool call span, with fixed operation names and nothing from the arguments', async () => {
    await client.callTool({ name: 'kubernetes_describe_resource', arguments: { kind: 'pods', name: 'api-7c9d8b5f4-x2k8p', namespace: 'shop' } });
    await client.callTool({ name: 'kubernetes_scale_workload', arguments: { kind: 'Deployment', name: 'web', replicas: 3, dryRun: true } });
    const spans = exporter.getFinishedSpans();
    const calls = spans.filter((s) => s.name === 'call');
    expect(calls).toHaveLength(2);
    const callIds = new Set(calls.map((s) => s.spanContext().spanId));
    const kube = kubeSpans();
    expect(kube.length).toBeGreaterThanOrEqual(5);
    for (const span of kube) {
      expect(callIds.has(parentOf(span)!), `${span.name} has no tool-call parent`).toBe(true);
      expect(span.name).toMatch(/^kubernetes\.(discover|get|list|read|scale)$/);
      expect(span.attributes['cnmcp.backend']).toBe(span.name);
      for (const value of [span.name, ...Object.values(span.attributes).map(String)]) {
        expect(value).not.toMatch(/api-7c9d8b5f4|web|shop/);
      }
    }
    expect(new Set(kube.map((s) => s.name))).toEqual(
      new Set(['kubernetes.discover', 'kubernetes.get', 'kubernetes.list', 'kubernetes.read', 'kubernetes.scale']),
    );
  });

  it('mark failures by class only: no object names or API messages in the status', async () => {
    await client.callTool({ name: 'kubernetes_get_resource', arguments: { kind: 'pods', name: 'no-such-pod-4711', namespace: 'shop' } });
    await client.callTool({ name: 'kubernetes_get_resource', arguments: { kind: 'Service', name: 'kubernetes', namespace: 'default' } });
    const failed = kubeSpans().filter((s) => s.status.code === 2);
    expect(failed.map((s) => s.status.message).sort()).toEqual(['BackendFailure', 'GuardRefusal']);
    const notFound = failed.find((s) => s.status.message === 'BackendFailure')!;
    expect(notFound.attributes['http.response.status_code']).toBe(404);
    for (const span of failed) expect(JSON.stringify({ status: span.status, attributes: span.attributes })).not.toMatch(/no-such-pod|not found|default/);
  });

  it('are timed into cnmcp_backend_call_duration_seconds per operation', async () => {
    await client.callTool({ name: 'kubernetes_list_resources_summary', arguments: { kind: 'pods' } });
    const samples = parsePrometheusText(await (await fetch(server.kernel.metricsUrl!)).text());
    const count = sampleValue(samples, 'cnmcp_backend_call_duration_seconds_count', {
      tool: 'kubernetes_list_resources_summary',
      backend: 'kubernetes.list',
      outcome: 'ok',
    });
    expect(count).toBe(1);
  });
});
