// The original Cloud Native MCP Server's MCP_* variables (auth, OIDC, rate limit, audit) through a spawned
// `cnmcp serve`: each family works as cnmcp config, and a variable cnmcp has no counterpart for stops startup naming
// what to use instead.
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignJWT } from 'jose';
import { afterAll, describe, expect, it } from 'vitest';
import { startTestIdp } from '../../plugins/auth/src/testing/bearer-idp.js';
import { initializeRequest, MCP_POST_HEADERS, rawRequest } from '../support/raw-http.js';
import { runCli, startCli } from './run-cli.js';

const dirs: string[] = [];
const emptyDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'cnmcp-original-env-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

const SERVING = /serving MCP at (http:\/\/127\.0\.0\.1:\d+\/mcp)/;

/** Serves the embedded default config (no file) with the given variables, runs `use`, then stops the server. */
async function withServer(env: NodeJS.ProcessEnv, use: (url: URL) => Promise<void>, cwd = emptyDir()): Promise<void> {
  const { child, match } = await startCli(['serve', '--listen', '127.0.0.1:0'], SERVING, { cwd, env, timeoutMs: 60_000 });
  try {
    await use(new URL(match[1]!));
  } finally {
    await stop(child);
  }
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

const initialize = (url: URL, headers: Record<string, string> = {}) =>
  rawRequest(url, { method: 'POST', headers: { ...MCP_POST_HEADERS, ...headers }, body: JSON.stringify(initializeRequest('2025-11-25')) });

describe('MCP_* variables of the original server, through cnmcp serve', () => {
  it('MCP_AUTH_MODE=apikey: MCP_AUTH_API_KEY is the only key that gets in', async () => {
    const key = 'Abc123!@#Xyz789!@#Abc123';
    await withServer({ MCP_AUTH_ENABLED: 'true', MCP_AUTH_MODE: 'apikey', MCP_AUTH_API_KEY: key }, async (url) => {
      expect((await initialize(url)).status).toBe(401);
      expect((await initialize(url, { 'X-API-Key': 'Abc123!@#Xyz789!@#Abc124' })).status).toBe(401);
      expect((await initialize(url, { 'X-API-Key': key })).status).toBe(200);
    });
  }, 90_000);

  it('MCP_AUTH_MODE=basic: MCP_AUTH_USERNAME and MCP_AUTH_PASSWORD', async () => {
    const basic = (user: string, password: string) => ({ Authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` });
    await withServer({ MCP_AUTH_ENABLED: '1', MCP_AUTH_MODE: 'basic', MCP_AUTH_USERNAME: 'ops', MCP_AUTH_PASSWORD: 'a-long-password-42' }, async (url) => {
      expect((await initialize(url, basic('ops', 'a-long-password-41'))).status).toBe(401);
      expect((await initialize(url, basic('ops', 'a-long-password-42'))).status).toBe(200);
    });
  }, 90_000);

  it('MCP_AUTH_MODE=bearer with MCP_AUTH_JWT_SECRET, MCP_AUTH_JWT_ALGORITHM and MCP_AUTH_OIDC_AUDIENCE verifies HS tokens', async () => {
    const secret = new TextEncoder().encode('a-shared-hmac-secret-of-48-bytes-for-hs384-use!!');
    const token = (aud: string, key = secret) =>
      new SignJWT({ sub: 'alice' }).setProtectedHeader({ alg: 'HS384', typ: 'JWT' }).setIssuedAt().setExpirationTime('10m').setAudience(aud).sign(key);
    const env = {
      MCP_AUTH_ENABLED: 'yes',
      MCP_AUTH_MODE: 'bearer',
      MCP_AUTH_JWT_SECRET: new TextDecoder().decode(secret),
      MCP_AUTH_JWT_ALGORITHM: 'HS384',
      MCP_AUTH_OIDC_AUDIENCE: 'cnmcp',
    };
    await withServer(env, async (url) => {
      expect((await initialize(url, { Authorization: `Bearer ${await token('someone-else')}` })).status).toBe(401);
      expect((await initialize(url, { Authorization: `Bearer ${await token('cnmcp', new TextEncoder().encode('x'.repeat(48)))}` })).status).toBe(401);
      expect((await initialize(url, { Authorization: `Bearer ${await token('cnmcp')}` })).status).toBe(200);
    });
  }, 90_000);

  it('MCP_AUTH_OIDC_DISCOVERY_URL, MCP_AUTH_OIDC_CLIENT_ID and MCP_AUTH_OIDC_JWKS_CACHE_TTL verify tokens of a real discovery endpoint', async () => {
    const idp = await startTestIdp();
    try {
      const key = await idp.createKey('ES256');
      idp.publish(key);
      const env = {
        MCP_AUTH_ENABLED: 'true',
        MCP_AUTH_MODE: 'bearer',
        MCP_AUTH_OIDC_DISCOVERY_URL: `${idp.issuer}/.well-known/openid-configuration`,
        MCP_AUTH_OIDC_CLIENT_ID: 'cnmcp-client',
        MCP_AUTH_OIDC_JWKS_CACHE_TTL: '300',
      };
      await withServer(env, async (url) => {
        expect((await initialize(url, { Authorization: `Bearer ${await idp.mint(key, { aud: 'another-client' })}` })).status).toBe(401);
        expect((await initialize(url, { Authorization: `Bearer ${await idp.mint(key, { aud: 'cnmcp-client' })}` })).status).toBe(200);
      });
    } finally {
      await idp.close();
    }
  }, 90_000);

  it('MCP_RATELIMIT_ENABLED, _REQUESTS_PER_SECOND and _BURST limit each address', async () => {
    // 0.1 per second with a burst of 1: two requests within ten seconds, then 429.
    await withServer({ MCP_RATELIMIT_ENABLED: 'true', MCP_RATELIMIT_REQUESTS_PER_SECOND: '0.1', MCP_RATELIMIT_BURST: '1' }, async (url) => {
      const statuses = [];
      for (let i = 0; i < 3; i++) statuses.push((await initialize(url)).status);
      expect(statuses).toEqual([200, 200, 429]);
    });
  }, 90_000);

  it('MCP_AUDIT_ENABLED, MCP_AUDIT_STORAGE=file and MCP_AUDIT_FILE_PATH write the audit trail to that file', async () => {
    const dir = emptyDir();
    const path = join(dir, 'audit.jsonl');
    await withServer({ MCP_AUDIT_ENABLED: 'true', MCP_AUDIT_STORAGE: 'file', MCP_AUDIT_FILE_PATH: path, MCP_AUDIT_MASKING_FIELDS: 'pin' }, async (url) => {
      expect((await initialize(url)).status).toBe(200);
    });
    const events = readFileSync(path, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { type: string });
    expect(events.length).toBeGreaterThan(0);
  }, 90_000);

  it('refuses at start, exit 2, every variable cnmcp has no counterpart for, naming what to use instead', async () => {
    const { code, stderr } = await runCli(['serve', '--listen', '127.0.0.1:0'], {
      cwd: emptyDir(),
      env: {
        MCP_AUTH_ENABLED: 'true',
        MCP_AUTH_MODE: 'bearer',
        MCP_AUTH_BEARER_TOKEN: 'eyJ.fixed.token',
        MCP_AUDIT_ENABLED: 'true',
        MCP_AUDIT_STORAGE: 'file',
        MCP_AUDIT_SAMPLING_RATE: '0.1',
      },
      timeoutMs: 60_000,
    });
    expect(stderr).toMatch(/\/auth: MCP_AUTH_MODE=bearer needs MCP_AUTH_JWT_SECRET .* does not accept a fixed MCP_AUTH_BEARER_TOKEN/);
    expect(stderr).toMatch(/\/audit: MCP_AUDIT_SAMPLING_RATE \(from the original server\) is not read by cnmcp: cnmcp never samples the audit trail/);
    expect(stderr).not.toContain('eyJ.fixed.token');
    expect(code).toBe(2);
  }, 90_000);
});
