// Issue 14, seam 11: a bearer strategy that checks only signature and expiry accepts an ID token (or any other JWT
// its issuer signs with the same key) as an access token, and a token minted for a year works for a year once
// leaked. `requireTyp` and `maxTokenLifetimeSeconds` refuse both, over raw HTTP on a real kernel.
import type { AuditEvent } from '@cnmcp/core/plugin';
import { memoryAuditSink, startTestKernel, type TestKernel } from '@cnmcp/core/testing';
import { SignJWT, type JWTPayload } from 'jose';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { MCP_POST_HEADERS, rawRequest } from '../support/raw-http.js';

const SECRET = 'jwt-hygiene-hs256-secret-of-32-bytes!!';

const events: AuditEvent[] = [];
const memorySink = memoryAuditSink(events);

let server: TestKernel;
beforeAll(async () => {
  server = await startTestKernel({
    config: {
      authorization: { use: 'allow-all' },
      auth: [{ use: 'bearer', secret: '${env:JWT_SECRET}', requireTyp: 'at+jwt', maxTokenLifetimeSeconds: 3600 }],
      audit: [{ use: 'memory' }],
      // Every refusal here comes from one address; the lockout has its own attack tests.
      limits: { authFailures: { attempts: 1000 } },
      toolPacks: [{ use: 'utilities' }],
    },
    plugins: [memorySink],
    env: { JWT_SECRET: SECRET },
  });
});
afterAll(() => server?.close());

const now = () => Math.floor(Date.now() / 1000);
const sign = (claims: JWTPayload, typ?: string) =>
  new SignJWT({ sub: 'ops', ...claims }).setProtectedHeader({ alg: 'HS256', ...(typ ? { typ } : {}) }).sign(new TextEncoder().encode(SECRET));

let requestNo = 0;
/** Posts with the token and returns the answer and the reason the audit log gives for it. */
async function present(token: string) {
  const id = `hygiene-${++requestNo}`;
  const res = await rawRequest(server.url, {
    method: 'POST',
    headers: { ...MCP_POST_HEADERS, 'MCP-Protocol-Version': '2025-11-25', Authorization: `Bearer ${token}`, 'User-Agent': id },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} }),
  });
  if (res.status !== 401) return { status: res.status, body: res.body };
  const failure = () => events.find((e) => e.type === 'auth.failure' && e.source?.userAgent === id);
  await vi.waitFor(() => expect(failure()).toBeDefined(), { timeout: 5000 });
  return { status: res.status, body: res.body, reason: failure()!.details?.reason };
}

describe('requireTyp: at+jwt (RFC 9068)', () => {
  it('refuses an ID token (typ JWT) and a token without typ, with the reason in audit only', async () => {
    for (const typ of ['JWT', undefined]) {
      const answer = await present(await sign({ iat: now(), exp: now() + 300 }, typ));
      expect(answer).toMatchObject({ status: 401, reason: 'wrong typ' });
      expect(answer.body).not.toMatch(/typ/i);
    }
  });

  it('accepts at+jwt, in any case and with the application/ prefix', async () => {
    for (const typ of ['at+jwt', 'application/at+jwt', 'AT+JWT']) {
      expect((await present(await sign({ iat: now(), exp: now() + 300 }, typ))).status).toBe(200);
    }
  });
});

describe('maxTokenLifetimeSeconds: 3600', () => {
  it.each([
    ['issued for two hours', () => ({ iat: now(), exp: now() + 7200 })],
    ['issued a year ago, a minute left', () => ({ iat: now() - 31_536_000, exp: now() + 60 })],
    ['without iat, two hours left', () => ({ exp: now() + 7200 })],
    ['with an iat in the future', () => ({ iat: now() + 31_536_000, exp: now() + 31_536_060 })],
  ])('refuses a token %s, with the reason in audit only', async (_name, claims) => {
    const answer = await present(await sign(claims(), 'at+jwt'));
    expect(answer).toMatchObject({ status: 401, reason: 'lifetime too long' });
    expect(answer.body).not.toMatch(/lifetime/i);
  });

  it('accepts a token of an hour', async () => {
    expect((await present(await sign({ iat: now(), exp: now() + 3600 }, 'at+jwt'))).status).toBe(200);
    expect((await present(await sign({ exp: now() + 3000 }, 'at+jwt'))).status).toBe(200);
  });
});
