import { readFileSync } from 'node:fs';
import { SignJWT } from 'jose';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { startTestKernel } from '@cnmcp/core/testing';
import { hashPassword } from '@cnmcp/core/plugin';

const doc = readFileSync(new URL('../../docs/security/authentication.md', import.meta.url), 'utf8');
const blocks = [...doc.matchAll(/^```yaml\n([\s\S]*?)^```/gm)].map((m) => parse(m[1]!) as Record<string, unknown>);
const authBlocks = blocks.filter((b) => Array.isArray(b.auth));

const apiKey = 'Ops-Key-For-Docs-1234!';
const jwtSecret = 'a-documented-hs256-secret-of-at-least-32-bytes';

async function credentialFor(use: string): Promise<{ env: Record<string, string>; headers: Record<string, string> }> {
  if (use === 'apikey') return { env: { OPS_API_KEY: apiKey }, headers: { 'x-api-key': apiKey } };
  if (use === 'basic') {
    return {
      env: { AUDITOR_PASSWORD_HASH: await hashPassword('auditor-password') },
      headers: { authorization: `Basic ${Buffer.from('auditor:auditor-password').toString('base64')}` },
    };
  }
  const token = await new SignJWT({ sub: 'svc' })
    .setProtectedHeader({ alg: 'HS256' })
    .setAudience('https://mcp.example.com')
    .setExpirationTime('5m')
    .sign(new TextEncoder().encode(jwtSecret));
  return { env: { JWT_SECRET: jwtSecret }, headers: { authorization: `Bearer ${token}` } };
}

const ping = { jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} };
const post = (url: URL, headers: Record<string, string>) =>
  fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2025-11-25', ...headers },
    body: JSON.stringify(ping),
  });

describe('docs/security/authentication.md examples', () => {
  it('shows one example per built-in strategy', () => {
    expect(authBlocks.map((b) => (b.auth as { use: string }[])[0]!.use)).toEqual(['apikey', 'basic', 'bearer']);
  });

  it.each(authBlocks.map((b) => [(b.auth as { use: string }[])[0]!.use, b] as const))(
    '%s: boots as written, 401 without a credential, 200 with one',
    async (use, block) => {
      const { env, headers } = await credentialFor(use);
      const server = await startTestKernel({ config: { ...block, toolPacks: [{ use: 'utilities' }] }, env });
      try {
        const anonymous = await post(server.url, {});
        expect(anonymous.status).toBe(401);
        expect(anonymous.headers.get('www-authenticate')).toMatch(/^(ApiKey|Basic|Bearer)/);
        const authenticated = await post(server.url, headers);
        expect(authenticated.status).toBe(200);
        expect(await authenticated.text()).toContain('utilities_get_time');
      } finally {
        await server.close();
      }
    },
  );

  it('lockout: the documented limits lock a Basic user guessed at from many addresses, one answer for any password', async () => {
    const lockout = blocks.find((b) => b.limits !== undefined && !Array.isArray(b.auth))!;
    const { env, headers } = await credentialFor('basic');
    const server = await startTestKernel({
      config: { ...lockout, ...authBlocks[1], server: { trustedProxies: ['127.0.0.1'] }, toolPacks: [{ use: 'utilities' }] },
      env,
    });
    const attempts = (lockout.limits as { authFailures: { attempts: number } }).authFailures.attempts;
    const from = (i: number) => ({ 'x-forwarded-for': `192.0.2.${i}` });
    const wrong = { authorization: `Basic ${Buffer.from('auditor:a-wrong-guess').toString('base64')}` };
    try {
      for (let i = 0; i < attempts; i++) expect((await post(server.url, { ...wrong, ...from(i) })).status).toBe(401);
      const answers = [await post(server.url, { ...wrong, ...from(100) }), await post(server.url, { ...headers, ...from(101) })];
      for (const answer of answers) {
        expect(answer.status).toBe(429);
        expect(answer.headers.get('retry-after')).toMatch(/^\d+$/);
      }
      const [a, b] = await Promise.all(answers.map(async (r) => (await r.text()).replace(/\d+s\b/g, 'Ns')));
      expect(a).toBe(b);
    } finally {
      await server.close();
    }
  });
});
