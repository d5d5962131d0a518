// Tracing over stdio with `exporter: console`: spans go to stderr as JSON lines, stdout stays MCP's alone.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { connectModernStdio, stdioServerParameters, textsOf } from '../support/clients.js';
import { E2E_PACK_PATH } from '../support/e2e-pack.js';
import { CLI_PATH } from '../support/stdio-server.js';

const dir = mkdtempSync(join(tmpdir(), 'cnmcp-obs-stdio-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface SpanLine {
  name: string;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  attributes: Record<string, unknown>;
  events?: { name: string; attributes: Record<string, unknown> }[];
}

describe('tracing on the stdio transport, console exporter', () => {
  it('starts a trace per tools/call, writes spans to stderr and puts their ids on the handler log lines', async () => {
    const config = join(dir, 'cnmcp.config.yaml');
    writeFileSync(
      config,
      [
        'logging:',
        '  level: info',
        '  format: json',
        'telemetry:',
        '  tracing:',
        '    exporter: console',
        'toolPacks:',
        `  - use: ${JSON.stringify(E2E_PACK_PATH)}`,
        '',
      ].join('\n'),
    );
    const client = await connectModernStdio(stdioServerParameters(CLI_PATH, config));
    try {
      expect(textsOf(await client.callTool('e2e_echo_text', { text: 'never-in-a-span-4471' }))).toEqual(['never-in-a-span-4471']);
      expect(textsOf(await client.callTool('e2e_sleep_ms', { ms: 1 }))).toEqual(['slept 1 ms']);
    } finally {
      await client.close();
    }
    const lines = client.logs();
    const spans = lines.filter((l): l is SpanLine & Record<string, unknown> => typeof l.spanId === 'string' && typeof l.traceId === 'string');
    const call = spans.find((s) => s.name === 'tools/call e2e_sleep_ms')!;
    expect(call.parentSpanId).toBeUndefined();
    expect(call.attributes).toMatchObject({
      'cnmcp.tool.name': 'e2e_sleep_ms',
      'cnmcp.identity.id': 'local',
      'cnmcp.auth.method': 'local',
      'cnmcp.transport': 'stdio',
      'cnmcp.outcome': 'success',
    });
    const children = spans.filter((s) => s.parentSpanId === call.spanId).map((s) => s.name);
    expect(children).toEqual(['call']);
    // The stages, and writing the audit record, are events on the message span (telemetry.tracing.stages: events).
    expect((call.events ?? []).map((e) => e.name)).toEqual(['resolve', 'authorize', 'validate', 'audit']);
    const tool = spans.find((s) => s.name === 'call' && s.parentSpanId === call.spanId)!;
    const started = lines.find((l) => l.message === 'e2e_sleep_ms started')!;
    expect(started).toMatchObject({ trace_id: call.traceId, span_id: tool.spanId });
    expect(spans.find((s) => s.name === 'tools/call e2e_echo_text')!.traceId).not.toBe(call.traceId);
    expect(JSON.stringify(spans)).not.toContain('never-in-a-span-4471');
  }, 90_000);
});
