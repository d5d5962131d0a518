// `cnmcp config migrate` turns the original Cloud Native MCP Server's config.yaml into a cnmcp config that passes
// `cnmcp config validate`, keeps credentials out of the printed file, and notes every setting it cannot carry.
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { writeSelfSignedCertificate } from '../support/test-pki.js';
import { runCli } from './run-cli.js';

const SAMPLE = fileURLToPath(new URL('../fixtures/cloud-native-mcp-server/config.yaml', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'cnmcp-migrate-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('cnmcp config migrate', () => {
  it('prints a cnmcp config with a note per setting it cannot carry, and that config passes validate', async () => {
    copyFileSync(SAMPLE, join(dir, 'config.yaml'));
    const migrated = await runCli(['config', 'migrate', 'config.yaml'], { cwd: dir, timeoutMs: 60_000 });
    expect(migrated.stderr).toMatch(/^cnmcp: migrated config\.yaml with \d+ notes/);
    expect(migrated.code).toBe(0);
    const config = parse(migrated.stdout) as Record<string, unknown>;

    expect(config).toMatchObject({
      server: { listen: '0.0.0.0:8443' },
      tls: { use: 'file', cert: './tls/cert.pem', key: './tls/key.pem' },
      logging: { level: 'info', format: 'json' },
      auth: [{ use: 'apikey', keys: [{ id: 'env-api-key', key: '${env:MCP_AUTH_API_KEY}', roles: ['admin'] }] }],
      authorization: { use: 'allow-all' },
      limits: { perIp: { points: 20, durationSeconds: 1, burst: { points: 40, durationSeconds: 2 } } },
      rateLimit: { use: 'memory' },
      audit: [{ use: 'file', path: './audit/audit.log', maxSizeBytes: 100 * 1024 * 1024, retentionDays: 30, gzip: true }],
      auditing: { sensitiveKeys: ['^password$', '^token$', '^apiKey$', '^secret$'], chainKey: '${env:CNMCP_AUDIT_CHAIN_KEY}' },
      telemetry: {
        resource: { serviceName: 'cloud-native-mcp-server', serviceVersion: '1.4.0', attributes: { 'deployment.environment.name': 'production' } },
        tracing: { exporter: 'otlp', samplingRatio: 0.1, otlp: { protocol: 'grpc', endpoint: 'http://otel-collector.observability.svc:4317' } },
        metrics: { enabled: true },
      },
      toolPacks: [
        { use: 'kubernetes', kubeconfig: './kubeconfig.yaml', requestTimeoutMs: 30_000 },
        {
          use: 'prometheus',
          backend: { url: 'http://prometheus.monitoring.svc:9090', auth: { type: 'bearer', token: '${env:PROM_TOKEN}' }, timeoutMs: 30_000 },
        },
        {
          use: 'alertmanager',
          backend: { url: 'http://alertmanager.monitoring.svc:9093', auth: { type: 'basic', username: 'mcp', password: '${env:ALERTMANAGER_PASSWORD}' } },
        },
        { use: 'utilities' },
      ],
    });
    // A credential of the old file never lands in the new one.
    expect(migrated.stdout).not.toContain('Alertmanager-Passw0rd!');

    const notes = migrated.stdout.split('\n').filter((line) => line.startsWith('#   - '));
    for (const expected of [
      /server\.ssePaths, server\.streamableHttpPaths: cnmcp serves every pack on one endpoint/,
      /server\.readTimeoutSec: not carried/,
      /kubernetes\.qps: not carried/,
      /grafana: cnmcp has no grafana tool pack yet/,
      /alertmanager\.password: kept out of the new file; set ALERTMANAGER_PASSWORD in the environment to the value of the old file/,
      /prometheus\.bearerToken: kept out of the new file; set PROM_TOKEN in the environment$/,
      /auth\.apiKey: kept out of the new file; set MCP_AUTH_API_KEY in the environment \(/,
      /auth: the original server had no authorization/,
      /audit: cnmcp seals the audit log with a keyed hash chain: set CNMCP_AUDIT_CHAIN_KEY/,
      /audit\.masking\.maskValue is not carried: cnmcp replaces sensitive values with a keyed HMAC/,
      /audit\.file\.maxBackups is not carried: the file sink keeps rotated files for `retentionDays`/,
      /audit\.maxResults is not carried: use `cnmcp audit query --limit N`/,
      /otel\.metrics: cnmcp serves metrics for Prometheus to scrape/,
      /otel\.tracing\.batchTimeoutSec: not carried/,
      /enableDisable\.disabledTools: select packs with toolPacks and restrict tools with rbac roles/,
    ]) {
      expect(
        notes.some((note) => expected.test(note)),
        `a note matching ${expected}`,
      ).toBe(true);
    }

    // The printed config, saved as is, is a valid cnmcp config once its environment is set.
    writeFileSync(join(dir, 'cnmcp.config.yaml'), migrated.stdout);
    mkdirSync(join(dir, 'tls'));
    await writeSelfSignedCertificate({ certPath: join(dir, 'tls/cert.pem'), keyPath: join(dir, 'tls/key.pem') }, 'localhost');
    const env = {
      CNMCP_AUDIT_CHAIN_KEY: 'a-chain-key-of-at-least-32-characters!',
      MCP_AUTH_API_KEY: 'Migrated-Key-0042-abcdef!',
      PROM_TOKEN: 'prom-token',
      ALERTMANAGER_PASSWORD: 'am-password',
    };
    const validated = await runCli(['config', 'validate'], { cwd: dir, env, timeoutMs: 60_000 });
    expect(validated.stderr).toBe('');
    expect(validated.stdout).toMatch(/^ok: .*cnmcp\.config\.yaml is valid/);
    expect(validated.stdout).toMatch(/tls\/file\s+\/tls\s+setup checks passed/);
    expect(validated.code).toBe(0);
  }, 120_000);

  it('refuses a file that is not the original YAML, exit 2', async () => {
    writeFileSync(join(dir, 'broken.yaml'), '- just\n- a list\n');
    const { code, stderr } = await runCli(['config', 'migrate', 'broken.yaml'], { cwd: dir, timeoutMs: 60_000 });
    expect(stderr).toContain("broken.yaml is not a YAML mapping like the original server's config.yaml");
    expect(code).toBe(2);
  }, 60_000);
});
