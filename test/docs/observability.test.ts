import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { Kernel } from '@cnmcp/core';
import { definePlugin } from '@cnmcp/core/plugin';
import { silentLogger, startTestKernel } from '@cnmcp/core/testing';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const page = readFileSync(new URL('../../docs/operations/observability.md', import.meta.url), 'utf8');
const yamlBlock = (firstLine: string) => {
  const block = [...page.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!).find((b) => b.startsWith(firstLine));
  if (!block) throw new Error(`no yaml block starting with ${firstLine}`);
  return parse(block) as Record<string, unknown>;
};

const pack = definePlugin({
  kind: 'tool-pack',
  name: 'docs',
  configSchema: { type: 'object' },
  setup: async () => ({
    tools: [
      {
        name: 'docs_echo_note',
        description: 'echo',
        inputSchema: { type: 'object' },
        annotations: { readOnlyHint: true },
        handler: async (_args: Record<string, unknown>, ctx) => ({
          content: [{ type: 'text' as const, text: await ctx.span('docs.backend', async () => 'ok') }],
        }),
      },
    ],
  }),
});

describe('docs/operations/observability.md', () => {
  it('its cnmcp config validates as written', async () => {
    const env = { CNMCP_OPS_KEY: 'Ops-Key-For-Docs-Test-1!', CNMCP_SCRAPE_KEY: 'Scrape-Key-For-Docs-2!', OTLP_TOKEN: 'otlp-token-docs' };
    const kernel = await Kernel.load({ config: yamlBlock('# cnmcp.config.yaml'), env, logger: silentLogger });
    expect(kernel.config.config.telemetry).toMatchObject({ tracing: { exporter: 'otlp', samplingRatio: 0.25 }, metrics: { enabled: true } });
    expect(kernel.config.config.logging.levels).toEqual({ 'tool-pack/utilities': 'debug', http: 'warn' });
  });

  it('its Prometheus and collector configs have the shape those tools expect', () => {
    const prometheus = yamlBlock('# prometheus.yml') as { scrape_configs: { authorization: { type: string } }[] };
    expect(prometheus.scrape_configs[0]!.authorization.type).toBe('ApiKey');
    const collector = yamlBlock('# otel-collector.yaml') as {
      receivers: { otlp: { protocols: Record<string, unknown> } };
      service: { pipelines: { traces: { receivers: string[] } } };
    };
    expect(Object.keys(collector.receivers.otlp.protocols).sort()).toEqual(['grpc', 'http']);
    expect(collector.service.pipelines.traces.receivers).toEqual(['otlp']);
  });

  it('lists exactly the cnmcp_* metrics /metrics serves', async () => {
    // Metrics served only with an optional plugin (the audit webhook) have their own table, proven by that plugin's tests.
    const always = page.slice(0, page.indexOf('<!-- served only with an audit webhook -->'));
    const documented = new Set([...always.matchAll(/^\| `(cnmcp_[a-z_]+)` +\|/gm)].map((m) => m[1]!));
    const runtime = [...page.matchAll(/^\| `((?:process|nodejs)_[a-z_0-9]+)`/gm)].map((m) => m[1]!);
    expect(runtime.length).toBeGreaterThan(5);
    const key = 'Docs-Metrics-Key-0003!';
    const server = await startTestKernel({
      config: {
        telemetry: { metrics: { enabled: true } },
        auth: [{ use: 'apikey', keys: [{ id: 'ops', key, roles: ['admin'] }] }],
        authorization: { use: 'rbac', roles: { admin: { tools: ['*'], permissions: ['metrics:read', 'audit:read'] } } },
        rateLimit: { use: 'memory' },
        limits: { perTool: [{ tools: 'docs_*', points: 1, durationSeconds: 3600 }] },
        audit: [{ use: 'file', path: join(mkdtempSync(join(tmpdir(), 'cnmcp-docs-obs-')), 'audit.jsonl') }],
        toolPacks: [{ use: 'docs' }],
      },
      plugins: [pack],
    });
    try {
      const client = new Client({ name: 'docs', version: '1' }, { versionNegotiation: { mode: { pin: '2026-07-28' } } });
      await client.connect(new StreamableHTTPClientTransport(server.url, { requestInit: { headers: { 'x-api-key': key } } }));
      await client.callTool({ name: 'docs_echo_note', arguments: {} });
      await expect(client.callTool({ name: 'docs_echo_note', arguments: {} })).rejects.toMatchObject({ code: -31029 });
      await client.close();
      const text = await (await fetch(new URL('/metrics', server.origin), { headers: { 'x-api-key': key } })).text();
      const served = new Set([...text.matchAll(/^# TYPE (cnmcp_[a-z_]+) /gm)].map((m) => m[1]!));
      expect([...served].sort()).toEqual([...documented].sort());
      // The runtime table names only series that are served, under their stock names.
      const servedRuntime = new Set([...text.matchAll(/^# TYPE ((?:process|nodejs)_[a-z_0-9]+) /gm)].map((m) => m[1]!));
      expect(runtime.filter((name) => !servedRuntime.has(name))).toEqual([]);
    } finally {
      await server.close();
    }
  });
});
