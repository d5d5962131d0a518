// /admin/audit and `cnmcp audit query` read one time grammar: what the CLI accepts, the endpoint accepts.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestKernel } from '@cnmcp/core/testing';
import { describe, expect, it } from 'vitest';
import { runCli } from '../cli/run-cli.js';

const KEY = 'Admin-Query-Key-0042!';

describe('audit filters over HTTP and in the CLI', () => {
  it('take the same since/until values and refuse the same ones with the same message', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cnmcp-audit-admin-'));
    const config = {
      auth: [{ use: 'apikey', keys: [{ id: 'ops', key: KEY, roles: ['admin'] }] }],
      authorization: { use: 'rbac', roles: { admin: { tools: ['*'], permissions: ['audit:read'] } } },
      audit: [{ use: 'file', path: join(dir, 'audit.jsonl') }],
    };
    const configFile = join(dir, 'cnmcp.config.json');
    writeFileSync(configFile, JSON.stringify(config));
    const server = await startTestKernel({ config });
    try {
      const get = (path: string) => fetch(new URL(path, server.origin), { headers: { 'x-api-key': KEY } });
      for (const since of ['1h', '30m', '7d', '45s', '2026-01-01', '2026-01-01T00:00:00Z']) {
        const stats = await get(`/admin/audit/stats?since=${encodeURIComponent(since)}`);
        expect([since, stats.status]).toEqual([since, 200]);
        expect(((await stats.json()) as { total: number }).total).toBeGreaterThanOrEqual(1);
        expect((await get(`/admin/audit?since=${encodeURIComponent(since)}`)).status).toBe(200);
        const cli = await runCli(['audit', 'query', '--config', configFile, '--since', since, '--format', 'json']);
        expect([since, cli.code]).toEqual([since, 0]);
      }
      const refused = await get('/admin/audit/stats?since=yesterday');
      expect(refused.status).toBe(400);
      const message = ((await refused.json()) as { error: { message: string } }).error.message;
      expect(message).toMatch(/^since must be a duration ago/);
      const cli = await runCli(['audit', 'query', '--config', configFile, '--since', 'yesterday']);
      expect(cli.code).not.toBe(0);
      expect(cli.stderr).toContain(message);
    } finally {
      await server.close();
    }
  }, 180_000);
});
