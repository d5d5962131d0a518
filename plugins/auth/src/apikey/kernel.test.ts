import { startTestKernel, type TestKernel } from '@cnmcp/core/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { memoryAuditSink, postMcp, probePack, rejectionOf, whoAmI } from '../testing/apikey-basic-kernel.js';
import apikey from './plugin.js';

// The apikey strategy as users run it: selected by `use: apikey`, its config validated and its key references
// resolved by the real kernel, driven over Streamable HTTP by the SDK v2 client and by plain fetch.
const OPS = 'Abc123!@#Xyz789!@#';
const CI = 'Zyx987)(*Cba321)(*';
const OLD = 'Old123!@#Key456!@#';
const WRONG = 'Wrong123!@#Wrong123!@#';

// These tests fail on purpose many times from one address; the brute-force lockout (tested in core) would turn
// those 401s into 429s.
const NO_LOCKOUT = { authFailures: { attempts: 1000, windowSeconds: 60, lockoutSeconds: 1 } };

const audit = memoryAuditSink();
let server: TestKernel;

beforeAll(async () => {
  server = await startTestKernel({
    config: {
      limits: NO_LOCKOUT,
      audit: [{ use: 'auth-test-memory' }],
      // Every success recorded, so the audit test sees one for a credential earlier tests already used.
      auditing: { authSuccess: { record: 'every-request' } },
      authorization: { use: 'allow-all' },
      auth: [
        {
          use: 'apikey',
          keys: [
            { id: 'ops', key: '${env:OPS_KEY}', roles: ['admin'] },
            { id: 'ci', key: '${env:CI_KEY}', roles: ['viewer'], expiresAt: '2999-12-31T23:59:59Z' },
            { id: 'old', key: '${env:OLD_KEY}', roles: ['viewer'], expiresAt: '2020-01-01T00:00:00Z' },
          ],
        },
      ],
      toolPacks: [{ use: 'auth-probe' }],
    },
    plugins: [apikey, probePack, audit.plugin],
    env: { OPS_KEY: OPS, CI_KEY: CI, OLD_KEY: OLD },
  });
});

afterAll(async () => {
  await server?.close();
});

describe('apikey through the kernel', () => {
  it('answers a request without a credential with 401 and a WWW-Authenticate naming ApiKey', async () => {
    const res = await postMcp(server.url);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('ApiKey');
  });

  it('refuses the SDK client without a credential', async () => {
    const error = await rejectionOf(whoAmI(server.url, {}));
    expect(String(error)).toMatch(/401|unauthori[sz]ed/i);
  });

  it('lists and calls tools with a valid key in X-API-Key', async () => {
    expect(await whoAmI(server.url, { 'X-API-Key': OPS })).toEqual({ tools: ['probe_whoami_caller'], caller: 'ops' });
  });

  it('reads the header in any case and Authorization: ApiKey', async () => {
    expect((await whoAmI(server.url, { 'x-aPi-KeY': CI })).caller).toBe('ci');
    expect((await whoAmI(server.url, { Authorization: `ApiKey ${OPS}` })).caller).toBe('ops');
  });

  it.each([
    ['a wrong key', { 'X-API-Key': WRONG }],
    ['an expired key', { 'X-API-Key': OLD }],
    ['a quoted key', { 'X-API-Key': `"${OPS}"` }],
    ['a key in the query string (allowQueryParam is off)', {}, `?api_key=${encodeURIComponent(OPS)}`],
  ])('answers %s with 401 and WWW-Authenticate: ApiKey, saying nothing more', async (_name, headers: Record<string, string>, query = '') => {
    const res = await postMcp(`${server.url.href}${query}`, headers);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('ApiKey');
    const body = await res.text();
    expect(body).not.toMatch(/unknown|expired|key "|ops|old/i);
    for (const key of [OPS, OLD, WRONG]) expect(body).not.toContain(key);
  });

  it('refuses the SDK client with a wrong or expired key', async () => {
    expect(String(await rejectionOf(whoAmI(server.url, { 'X-API-Key': WRONG })))).toMatch(/401|unauthori[sz]ed/i);
    expect(String(await rejectionOf(whoAmI(server.url, { 'X-API-Key': OLD })))).toMatch(/401|unauthori[sz]ed/i);
  });

  it('audits failures with the reason and the key id, never the presented key', async () => {
    audit.events.length = 0;
    expect((await postMcp(server.url, { 'X-API-Key': WRONG })).status).toBe(401);
    expect((await postMcp(server.url, { 'X-API-Key': OLD })).status).toBe(401);
    expect((await whoAmI(server.url, { 'X-API-Key': OPS })).caller).toBe('ops');
    await vi.waitFor(() => {
      const failures = audit.events.filter((e) => e.type === 'auth.failure').map((e) => e.details);
      expect(failures).toContainEqual(expect.objectContaining({ reason: 'unknown key', scheme: 'ApiKey' }));
      expect(failures).toContainEqual(expect.objectContaining({ reason: 'expired key', subject: 'old' }));
      expect(audit.events).toContainEqual(expect.objectContaining({ type: 'auth.success', actor: { id: 'ops', authMethod: 'apikey', roles: ['admin'] } }));
    });
    const everything = JSON.stringify(audit.events);
    for (const key of [OPS, CI, OLD, WRONG]) expect(everything).not.toContain(key);
  });
});

describe('apikey configuration through the kernel', () => {
  it('refuses to start with a weak configured key, naming the key id and the rule, never the key', async () => {
    const weak = 'abcdefgh12345678';
    const error = await rejectionOf(
      startTestKernel({
        config: { authorization: { use: 'allow-all' }, auth: [{ use: 'apikey', keys: [{ id: 'legacy', key: '${env:LEGACY_KEY}', roles: [] }] }] },
        plugins: [apikey],
        env: { LEGACY_KEY: weak },
      }),
    );
    expect(error.message).toContain('API key "legacy"');
    expect(error.message).toContain('character classes (needs 3)');
    expect(error.message).not.toContain(weak);
    expect((error as Error & { cause?: { code?: string } }).cause?.code).toBe('AUTH_WEAK_KEY');
  });

  it('refuses unknown options and a malformed expiry before setup', async () => {
    const error = await rejectionOf(
      startTestKernel({
        config: {
          authorization: { use: 'allow-all' },
          auth: [{ use: 'apikey', keys: [{ id: 'ops', key: OPS, roles: [], expiresAt: 'tomorrow', secret: true }] }],
        },
        plugins: [apikey],
      }),
    );
    expect(error.message).toContain('/auth/0/keys/0');
    expect(error.message).toContain('secret');
    expect(error.message).toContain('date-time');
    expect(error.message).not.toContain(OPS);
  });

  it('accepts ?api_key= when allowQueryParam is on', async () => {
    const lenient = await startTestKernel({
      config: {
        authorization: { use: 'allow-all' },
        auth: [{ use: 'apikey', allowQueryParam: true, keys: [{ id: 'ops', key: OPS, roles: [] }] }],
        toolPacks: [{ use: 'auth-probe' }],
      },
      plugins: [apikey, probePack],
    });
    try {
      const withKey = new URL(lenient.url);
      withKey.searchParams.set('api_key', OPS);
      expect((await whoAmI(withKey, {})).caller).toBe('ops');
    } finally {
      await lenient.close();
    }
  });
});
