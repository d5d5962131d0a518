import { hashPassword } from '@cnmcp/core/plugin';
import { startTestKernel, type TestKernel } from '@cnmcp/core/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import apikey from '../apikey/plugin.js';
import { memoryAuditSink, postMcp, probePack, rejectionOf, whoAmI } from '../testing/apikey-basic-kernel.js';
import basic from './plugin.js';

// The basic strategy as users run it: selected by `use: basic`, validated and set up by the real kernel, driven
// over Streamable HTTP by the SDK v2 client and by plain fetch.
const CHALLENGE = 'Basic realm="cnmcp", charset="UTF-8"';
const PHP_BCRYPT = '$2y$10$.vGA1O9wmRjrwAVXD98HNOgsNpDczlqm3Jq7KnEd1rVAGv3Fykk1a'; // "rasmuslerdorf"
const ALICE_PASSWORD = 'alice-Pa55word!';
const CAROL_PASSWORD = 'carol-from-env-Secret';
const OPS_KEY = 'Abc123!@#Xyz789!@#';

const basicAuth = (username: string, password: string) => ({ Authorization: `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}` });

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
          use: 'basic',
          users: [
            { username: 'alice', passwordHash: '${env:ALICE_HASH}', roles: ['admin'] },
            { username: 'bob', passwordHash: PHP_BCRYPT, roles: ['viewer'] },
            { username: 'carol', password: '${env:CAROL_PASSWORD}', roles: ['viewer'] },
          ],
        },
      ],
      toolPacks: [{ use: 'auth-probe' }],
    },
    plugins: [basic, probePack, audit.plugin],
    env: { ALICE_HASH: await hashPassword(ALICE_PASSWORD), CAROL_PASSWORD },
  });
});

afterAll(async () => {
  await server?.close();
});

describe('basic through the kernel', () => {
  it('answers a request without a credential with 401 and a Basic challenge', async () => {
    const res = await postMcp(server.url);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe(CHALLENGE);
  });

  it.each([
    ['alice', 'a scrypt hash', ALICE_PASSWORD],
    ['bob', 'a bcrypt hash', 'rasmuslerdorf'],
    ['carol', 'a password from ${env:...}', CAROL_PASSWORD],
  ])('lists and calls tools as %s (%s) with the right password', async (username, _how, password) => {
    expect(await whoAmI(server.url, basicAuth(username, password))).toEqual({ tools: ['probe_whoami_caller'], caller: username });
  });

  it.each([
    ['a wrong password', basicAuth('alice', 'alice-Pa55word?')],
    ['an unknown user', basicAuth('mallory', ALICE_PASSWORD)],
    ['malformed credentials', { Authorization: 'Basic not-base64!' }],
  ])('answers %s with 401 and the Basic challenge, saying nothing more', async (_name, headers) => {
    const res = await postMcp(server.url, headers);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe(CHALLENGE);
    const body = await res.text();
    expect(body).not.toMatch(/password|unknown|malformed|alice|mallory/i);
  });

  it('refuses the SDK client with a wrong password or an unknown user', async () => {
    expect(String(await rejectionOf(whoAmI(server.url, basicAuth('bob', 'rasmuslerdorF'))))).toMatch(/401|unauthori[sz]ed/i);
    expect(String(await rejectionOf(whoAmI(server.url, basicAuth('mallory', 'rasmuslerdorf'))))).toMatch(/401|unauthori[sz]ed/i);
  });

  it('audits failures with the reason and the claimed username, never the password', async () => {
    audit.events.length = 0;
    expect((await postMcp(server.url, basicAuth('alice', 'Wrong-Password-1'))).status).toBe(401);
    expect((await postMcp(server.url, basicAuth('trudy', 'Wrong-Password-2'))).status).toBe(401);
    expect((await whoAmI(server.url, basicAuth('bob', 'rasmuslerdorf'))).caller).toBe('bob');
    await vi.waitFor(() => {
      const failures = audit.events.filter((e) => e.type === 'auth.failure').map((e) => e.details);
      expect(failures).toContainEqual(expect.objectContaining({ reason: 'wrong password', subject: 'alice', scheme: 'Basic' }));
      expect(failures).toContainEqual(expect.objectContaining({ reason: 'unknown user', subject: 'trudy' }));
      expect(audit.events).toContainEqual(expect.objectContaining({ type: 'auth.success', actor: { id: 'bob', authMethod: 'basic', roles: ['viewer'] } }));
    });
    const everything = JSON.stringify(audit.events);
    for (const secret of ['Wrong-Password-1', 'Wrong-Password-2', ALICE_PASSWORD, CAROL_PASSWORD, 'rasmuslerdorf']) expect(everything).not.toContain(secret);
  });
});

describe('basic configuration through the kernel', () => {
  it('refuses to start with an empty password, naming the user', async () => {
    const error = await rejectionOf(
      startTestKernel({
        config: { authorization: { use: 'allow-all' }, auth: [{ use: 'basic', users: [{ username: 'eve', password: '${env:EVE_PASSWORD:-}', roles: [] }] }] },
        plugins: [basic],
      }),
    );
    expect(error.message).toContain('user "eve": password must not be empty');
  });

  it('refuses unknown options before setup', async () => {
    const error = await rejectionOf(
      startTestKernel({
        config: {
          authorization: { use: 'allow-all' },
          auth: [{ use: 'basic', users: [{ username: 'eve', passwordHash: PHP_BCRYPT, roles: [], realm: 'x' }] }],
        },
        plugins: [basic],
      }),
    );
    expect(error.message).toContain('/auth/0/users/0/realm');
  });
});

describe('apikey and basic together', () => {
  let both: TestKernel;
  beforeAll(async () => {
    both = await startTestKernel({
      config: {
        authorization: { use: 'allow-all' },
        auth: [
          { use: 'apikey', keys: [{ id: 'ops', key: OPS_KEY, roles: [] }] },
          { use: 'basic', users: [{ username: 'bob', passwordHash: PHP_BCRYPT, roles: [] }] },
        ],
        toolPacks: [{ use: 'auth-probe' }],
      },
      plugins: [apikey, basic, probePack],
    });
  });
  afterAll(async () => {
    await both?.close();
  });

  it('names every scheme when no credential is presented', async () => {
    const res = await postMcp(both.url);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe(`ApiKey, ${CHALLENGE}`);
  });

  it('accepts either credential', async () => {
    expect((await whoAmI(both.url, { 'X-API-Key': OPS_KEY })).caller).toBe('ops');
    expect((await whoAmI(both.url, basicAuth('bob', 'rasmuslerdorf'))).caller).toBe('bob');
  });

  it('does not fall back to Basic after a wrong API key', async () => {
    const res = await postMcp(both.url, { 'X-API-Key': 'Wrong123!@#Wrong123!@#', ...basicAuth('bob', 'rasmuslerdorf') });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('ApiKey');
  });
});
