// The example in docs/tool-packs/prometheus-alertmanager-setup.md, booted as written against a real Prometheus and a
// real Alertmanager, and called with each of its API keys.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findConfig } from '@cnmcp/core';
import { startTestKernel, type TestKernel } from '@cnmcp/core/testing';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAlertmanager, type TestAlertmanager } from '../../../test/support/alertmanager-server.js';
import { startPrometheus, type TestPrometheus } from '../../../test/support/prometheus-server.js';
import { call, rpcError } from './testing/pack-kernel.js';

const DOC = new URL('../../../docs/tool-packs/prometheus-alertmanager-setup.md', import.meta.url);
const MARKER = '<!-- The example below is booted and called by plugins/prometheus/src/docs-example.test.ts';
const KEYS = { ONCALL_API_KEY: 'Oncall-Key-0123456789abcdef!', DASHBOARD_API_KEY: 'Dashboard-Key-0123456789abcdef!' };

function documentedExample(): string {
  const doc = readFileSync(DOC, 'utf8');
  const match = /```yaml\n([\s\S]*?)```/.exec(doc.slice(doc.indexOf(MARKER)));
  if (doc.indexOf(MARKER) < 0 || !match?.[1]) throw new Error('the tested example is missing from docs/tool-packs/prometheus-alertmanager-setup.md');
  return match[1];
}

let prom: TestPrometheus;
let am: TestAlertmanager;
let server: TestKernel;
let dir: string;

beforeAll(async () => {
  [prom, am] = await Promise.all([startPrometheus(), startAlertmanager()]);
  await am.postAlerts([{ labels: { alertname: 'DocExample', severity: 'warning' } }]);
  dir = mkdtempSync(join(tmpdir(), 'cnmcp-prom-doc-'));
  writeFileSync(join(dir, 'cnmcp.config.yaml'), documentedExample());
  const found = await findConfig({ file: join(dir, 'cnmcp.config.yaml') });
  // Prometheus ignores a bearer token it does not require; the example's header is still sent.
  const env = { ...KEYS, PROMETHEUS_URL: prom.url, PROMETHEUS_TOKEN: 'example-token', ALERTMANAGER_URL: am.url };
  server = await startTestKernel({ config: found.config as Record<string, unknown>, baseDir: dir, env });
}, 120_000);

afterAll(async () => {
  await server?.close();
  await Promise.all([prom?.stop(), am?.stop()]);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function as(key: string, run: (client: Client) => Promise<void>): Promise<void> {
  const client = new Client({ name: 'prom-doc-test', version: '0.0.0' }, { versionNegotiation: { mode: { pin: '2026-07-28' } } });
  await client.connect(new StreamableHTTPClientTransport(server.url, { requestInit: { headers: { 'X-API-Key': key } } }));
  try {
    await run(client);
  } finally {
    await client.close();
  }
}

describe('docs/tool-packs/prometheus-alertmanager-setup.md example', () => {
  it('lets on-call query Prometheus and silence an alert', async () => {
    await as(KEYS.ONCALL_API_KEY, async (client) => {
      const up = await call(client, 'prometheus_query_instant', { query: 'up{job="prometheus"}' });
      expect(up.data).toMatchObject({ resultType: 'vector', total: 1 });
      const silence = await call(client, 'alertmanager_create_silence', {
        matchers: [{ name: 'alertname', value: 'DocExample' }],
        duration: '1h',
        comment: 'docs',
      });
      expect(silence.isError).toBe(false);
      expect(silence.data.createdBy).toBe('oncall (cnmcp)');
      const tooLong = await call(client, 'alertmanager_create_silence', {
        matchers: [{ name: 'alertname', value: 'DocExample' }],
        duration: '2d',
        comment: 'docs',
      });
      expect(tooLong.text).toContain('at most 1d');
    });
  });

  it('gives dashboards read-only access: no silences', async () => {
    await as(KEYS.DASHBOARD_API_KEY, async (client) => {
      const names = (await client.listTools()).tools.map((t) => t.name);
      expect(names).toEqual(expect.arrayContaining(['prometheus_query_instant', 'alertmanager_list_silences']));
      expect(names).not.toContain('alertmanager_create_silence');
      expect((await rpcError(client.callTool({ name: 'alertmanager_expire_silence', arguments: { id: '00000000-0000-4000-8000-000000000000' } }))).code).toBe(
        -32003,
      );
      expect((await call(client, 'alertmanager_list_silences', { state: 'active' })).data.total).toBe(1);
    });
  });
});
