// The chart's PrometheusRule, rendered, then checked and unit-tested by the real promtool (Debian's prometheus
// package ships it); every metric it queries is one the server exports (docs/operations/observability.md lists them).
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { stringify } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { renderChart } from '../support/helm-render.js';

const run = promisify(execFile);
const CHART = join(import.meta.dirname, '../../deploy/helm/cnmcp');
const TESTS = join(import.meta.dirname, 'prometheus-rules.tests.yaml');
const dir = mkdtempSync(join(tmpdir(), 'cnmcp-rules-'));
const RULES = join(dir, 'rules.yaml');

beforeAll(async () => {
  const objects = await renderChart(CHART, {
    values: [{ metrics: { enabled: true, prometheusRule: { enabled: true } } }],
    apiVersions: ['monitoring.coreos.com/v1'],
  });
  const rule = objects.find((o) => o.object.kind === 'PrometheusRule')!.object;
  writeFileSync(RULES, stringify(rule.spec));
}, 120_000);

describe('PrometheusRule alerts', () => {
  it('pass promtool check rules', async () => {
    const { stdout } = await run('promtool', ['check', 'rules', RULES]);
    expect(stdout).toContain('SUCCESS: 8 rules found');
  }, 60_000);

  it('fire exactly as their promtool unit tests say (auth failures, lockouts, rate limits, audit gaps and backlog, webhook deliveries, certificate expiry)', async () => {
    const tests = join(dir, 'tests.yaml');
    writeFileSync(tests, readFileSync(TESTS, 'utf8').replace('[RULES]', JSON.stringify([RULES])));
    const { stdout } = await run('promtool', ['test', 'rules', tests]);
    expect(stdout).toContain('SUCCESS');
  }, 60_000);

  it('query only metrics the server documents and exports', () => {
    const documented = new Set(
      [...readFileSync(join(import.meta.dirname, '../../docs/operations/observability.md'), 'utf8').matchAll(/^\| `(cnmcp_[a-z_]+)`/gm)].map((m) => m[1]!),
    );
    const queried = new Set([...readFileSync(RULES, 'utf8').matchAll(/\b(cnmcp_[a-z_]+)/g)].map((m) => m[1]!));
    expect(queried.size).toBeGreaterThanOrEqual(4);
    expect([...queried].filter((name) => !documented.has(name))).toEqual([]);
  });
});
