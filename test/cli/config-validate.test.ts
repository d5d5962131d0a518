// `cnmcp config validate` runs every plugin's setup checks without listening or connecting and lists every
// problem at once with its JSON path; `--connect` also sets each plugin up against its real backend.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedis, type TestRedis } from '../support/redis-server.js';
import { runCli } from './run-cli.js';

const dirs: string[] = [];
function project(yaml: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'cnmcp-validate-'));
  dirs.push(dir);
  writeFileSync(join(dir, 'cnmcp.config.yaml'), yaml);
  return dir;
}
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

describe('cnmcp config validate', () => {
  it('reports every setup-time problem at once, each at its JSON path, and exits 2', async () => {
    const dir = project(
      [
        'tls: { use: file, cert: ./missing-cert.pem, key: ./missing-key.pem }',
        'secrets: { use: memory }',
        'auth:',
        '  - use: apikey',
        '    keys: [{ id: ops, key: weakkey1, roles: [admin] }]',
        '  - use: basic',
        "    users: [{ username: ops, passwordHash: 'not-a-hash', roles: [admin] }]",
        '  - use: bearer',
        '    secret: Only-20-Bytes-Long!!',
        '    algorithms: [HS256]',
        '  - use: apikey',
        '    header: x-ci-key',
        "    keys: [{ id: ci, key: '${secret:ci-key}', roles: [admin] }]",
        'authorization: { use: allow-all }',
        'toolPacks: [{ use: utilities }]',
      ].join('\n'),
    );
    const { code, stdout, stderr } = await runCli(['config', 'validate'], { cwd: dir, timeoutMs: 60_000 });
    expect(stdout).toBe('');
    expect(stderr).toContain('(6 problems)');
    expect(stderr).toMatch(/- \/auth\/0: auth\/apikey: API key "ops" breaks the API key complexity rule.*\[AUTH_WEAK_KEY\]/);
    expect(stderr).toMatch(/- \/auth\/1: auth\/basic: user "ops": passwordHash is neither a scrypt hash.*\[AUTH_UNSUPPORTED_PASSWORD_HASH\]/);
    expect(stderr).toMatch(/- \/auth\/2\/secret: auth\/bearer: `secret` is shorter than 32 bytes, the minimum for HS256/);
    expect(stderr).toMatch(/- \/tls\/cert: tls\/file: cannot read the certificate \(cert\) file .*missing-cert\.pem: ENOENT/);
    expect(stderr).toMatch(/- \/tls\/key: tls\/file: cannot read the private key \(key\) file .*missing-key\.pem: ENOENT/);
    expect(stderr).toMatch(/- \/auth\/3\/keys\/0\/key: secret "ci-key" could not be read.*\[CONFIG_SECRET_UNAVAILABLE\]/);
    // The weak key, the bad hash and the short secret are option values a log must not carry.
    expect(stderr).not.toMatch(/weakkey1|not-a-hash|Only-20-Bytes-Long/);
    expect(code).toBe(2);
  }, 90_000);

  it('passes a sound config, saying which plugins ran their setup checks', async () => {
    const dir = project(
      [
        'auth:',
        '  - use: apikey',
        '    keys: [{ id: ops, key: "${env:VALIDATE_OPS_KEY}", roles: [admin] }]',
        'authorization: { use: allow-all }',
        'toolPacks: [{ use: utilities }]',
      ].join('\n'),
    );
    const { code, stdout, stderr } = await runCli(['config', 'validate'], {
      cwd: dir,
      env: { VALIDATE_OPS_KEY: 'A-Sound-Key-For-Validate-0042!' },
      timeoutMs: 60_000,
    });
    expect(stderr).toBe('');
    expect(stdout).toMatch(/^ok: .*cnmcp\.config\.yaml is valid \(4 plugins\)/);
    expect(stdout).toMatch(/auth\/apikey\s+\/auth\/0\s+setup checks passed/);
    expect(code).toBe(0);
  }, 90_000);

  describe('--connect against a real Redis', () => {
    let redis: TestRedis;
    let dir: string;
    beforeAll(async () => {
      redis = await startRedis();
      dir = project(
        [
          `rateLimit: { use: redis, url: '${redis.url}', connectTimeoutMs: 1000 }`,
          'limits: { perIp: { points: 100, durationSeconds: 60 } }',
          'toolPacks: [{ use: utilities }]',
        ].join('\n'),
      );
    }, 60_000);
    afterAll(() => redis?.stop());

    it('reaches Redis while it is up, reports it unreachable (exit 1) once it is down, and never connects without --connect', async () => {
      const up = await runCli(['config', 'validate', '--connect'], { cwd: dir, timeoutMs: 60_000 });
      expect(up.stderr).toBe('');
      expect(up.stdout).toMatch(/rate-limit-store\/redis\s+\/rateLimit\s+set up, backend reached/);
      expect(up.code).toBe(0);

      await redis.kill();
      const down = await runCli(['config', 'validate', '--connect'], { cwd: dir, timeoutMs: 60_000 });
      expect(down.stderr).toContain('1 plugin could not reach its backend');
      expect(down.stderr).toMatch(/- \/rateLimit: rate-limit-store\/redis: cannot reach Redis at .* \[RATE_LIMIT_STORE_UNAVAILABLE\]/);
      expect(down.code).toBe(1);

      const offline = await runCli(['config', 'validate'], { cwd: dir, timeoutMs: 60_000 });
      expect(offline.stdout).toMatch(/rate-limit-store\/redis\s+\/rateLimit\s+schema only/);
      expect(offline.code).toBe(0);
    }, 120_000);
  });
});
