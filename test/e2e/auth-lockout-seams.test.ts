// Issue 14, seams 1 and 2, attacked as an intruder would: a real kernel behind a "proxy" it trusts (127.0.0.1), raw
// HTTP with a fresh X-Forwarded-For per guess so the source lockout never fires, real TLS with forged certificates.
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hashPassword, type AuditEvent } from '@cnmcp/core/plugin';
import { memoryAuditSink, startTestKernel, type TestKernel } from '@cnmcp/core/testing';
import { SignJWT } from 'jose';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { MCP_POST_HEADERS, rawRequest, type RawResponse } from '../support/raw-http.js';
import { startRedis } from '../support/redis-server.js';
import { createTestCa, writeSelfSignedCertificate, type IssuedCert, type TestCa } from '../support/test-pki.js';
import { tlsFetch, type TlsFetch } from '../support/tls-fetch.js';

const PASSWORD = 'ops-Correct-Horse-42';
const OPS_KEY = 'Ops-Api-Key-For-Seams-1!';
const JWT_SECRET = 'seams-hs256-secret-of-at-least-32-bytes!';
const FORGED_SECRET = 'an-attacker-secret-of-at-least-32-bytes!!';

const events: AuditEvent[] = [];
const memorySink = memoryAuditSink(events);

let server: TestKernel | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
  events.length = 0;
});

let passwordHash: string;
beforeAll(async () => {
  passwordHash = await hashPassword(PASSWORD);
});

// Every guess from its own address, as a botnet behind the operator's ingress would look.
let nextAddress = 1;
const freshAddress = () => `203.0.113.${nextAddress++ % 250}`;

const listTools = { jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} };
const post = (headers: Record<string, string>, from = freshAddress(), url = server!.url) =>
  rawRequest(url, {
    method: 'POST',
    headers: { ...MCP_POST_HEADERS, 'MCP-Protocol-Version': '2025-11-25', 'X-Forwarded-For': from, ...headers },
    body: JSON.stringify(listTools),
  });
const basic = (username: string, password: string) => ({ Authorization: `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}` });

/** What a client learns from an answer: everything but the clock (Date, and the seconds left in the lockout). */
function answerOf(res: RawResponse) {
  const { date: _date, ...headers } = res.headers;
  return { status: res.status, headers: { ...headers, 'retry-after': headers['retry-after'] && 'N' }, body: res.body.replace(/\d+s\b/g, 'Ns') };
}

const startBasic = (extra: Record<string, unknown> = {}) =>
  startTestKernel({
    config: {
      server: { trustedProxies: ['127.0.0.1/32'] },
      authorization: { use: 'allow-all' },
      auth: [{ use: 'basic', users: [{ username: 'ops', passwordHash: '${env:OPS_HASH}', roles: ['admin'] }] }],
      audit: [{ use: 'memory' }],
      toolPacks: [{ use: 'utilities' }],
      ...extra,
    },
    plugins: [memorySink],
    env: { OPS_HASH: passwordHash },
  });

describe('seam 1: a locked subject is no password oracle', () => {
  it('answers the right and a wrong password the same while the user is locked, without checking either', async () => {
    server = await startBasic();
    for (let i = 0; i < 5; i++) expect((await post(basic('ops', `guess-${i}`))).status).toBe(401);

    const wrong = await post(basic('ops', 'guess-5'));
    const right = await post(basic('ops', PASSWORD));
    expect(wrong.status).toBe(429);
    expect(answerOf(right)).toEqual(answerOf(wrong));
    expect(Number(right.headers['retry-after'])).toBeGreaterThan(800);
    // An unknown user locks the same way, so a lockout does not tell which users exist.
    for (let i = 0; i < 5; i++) expect((await post(basic('nobody', `guess-${i}`))).status).toBe(401);
    expect(answerOf(await post(basic('nobody', 'guess-5')))).toEqual(answerOf(wrong));

    await server.kernel.stop();
    // Refused before verification: the right password never produced a success, and the refusals say why in audit only.
    expect(events.filter((e) => e.type === 'auth.success')).toHaveLength(0);
    expect(events.filter((e) => e.type === 'auth.failure')).toHaveLength(10);
    const lockouts = events.filter((e) => e.type === 'rate.limited');
    expect(lockouts).toHaveLength(3);
    for (const e of lockouts) expect(e.details).toMatchObject({ lockout: true, scope: 'subject', strategy: 'auth/basic' });
    expect(events.filter((e) => e.type === 'auth.lockout').map((e) => e.details)).toEqual([
      { scope: 'subject', strategy: 'auth/basic', subject: 'ops' },
      { scope: 'subject', strategy: 'auth/basic', subject: 'nobody' },
    ]);
    expect(JSON.stringify(events)).not.toContain(PASSWORD);
  });

  it("does not let the real user's successes wipe the count: guesses interleaved with real traffic still lock", async () => {
    server = await startBasic();
    for (let round = 0; round < 5; round++) {
      expect((await post(basic('ops', PASSWORD), '198.51.100.7')).status).toBe(200);
      expect((await post(basic('ops', `guess-${round}`))).status).toBe(401);
    }
    expect((await post(basic('ops', PASSWORD), '198.51.100.7')).status).toBe(429);
  });
});

describe('seam 1 across replicas sharing one Redis', () => {
  it('locks a user guessed at through both replicas on both, with one answer, and keeps the username out of Redis', async () => {
    const redis = await startRedis();
    const replicas: TestKernel[] = [];
    try {
      for (let i = 0; i < 2; i++) replicas.push(await startBasic({ rateLimit: { use: 'redis', url: redis.url } }));
      for (let i = 0; i < 5; i++) expect((await post(basic('ops', `guess-${i}`), freshAddress(), replicas[i % 2]!.url)).status).toBe(401);
      const answers = [];
      for (const replica of replicas) {
        answers.push(answerOf(await post(basic('ops', PASSWORD), freshAddress(), replica.url)));
        answers.push(answerOf(await post(basic('ops', 'guess-5'), freshAddress(), replica.url)));
      }
      expect(answers[0]!.status).toBe(429);
      for (const answer of answers) expect(answer).toEqual(answers[0]);
      const keys = await new Promise<string>((resolve, reject) =>
        execFile('redis-cli', ['-p', String(redis.port), '--scan'], (error, stdout) => (error ? reject(error) : resolve(stdout))),
      );
      expect(keys).toContain('subject:');
      expect(keys).not.toContain('ops');
    } finally {
      for (const replica of replicas) await replica.close();
      await redis.stop();
    }
  }, 60_000);
});

describe("seam 2: nobody locks out another strategy's subject, or anyone with a claim it cannot prove", () => {
  it('five Basic failures for `ops` lock the Basic user ops, not the API key whose id is ops', async () => {
    server = await startTestKernel({
      config: {
        server: { trustedProxies: ['127.0.0.1/32'] },
        authorization: { use: 'allow-all' },
        auth: [
          { use: 'apikey', keys: [{ id: 'ops', key: '${env:OPS_KEY}', roles: ['admin'] }] },
          { use: 'basic', users: [{ username: 'ops', passwordHash: '${env:OPS_HASH}', roles: ['admin'] }] },
        ],
        toolPacks: [{ use: 'utilities' }],
      },
      env: { OPS_HASH: passwordHash, OPS_KEY },
    });
    for (let i = 0; i < 5; i++) expect((await post(basic('ops', `guess-${i}`))).status).toBe(401);
    expect((await post(basic('ops', PASSWORD))).status).toBe(429);
    expect((await post({ 'X-API-Key': OPS_KEY })).status).toBe(200);
  });

  it('bearer tokens with a bad signature, or validly signed but expired, never lock the subject; they lock the source', async () => {
    server = await startTestKernel({
      config: {
        server: { trustedProxies: ['127.0.0.1/32'] },
        authorization: { use: 'allow-all' },
        auth: [{ use: 'bearer', secret: '${env:JWT_SECRET}' }],
        toolPacks: [{ use: 'utilities' }],
      },
      env: { JWT_SECRET },
    });
    const token = (secret: string, expiresAt: string | number = '5m') =>
      new SignJWT({ sub: 'ops' }).setProtectedHeader({ alg: 'HS256' }).setIssuedAt().setExpirationTime(expiresAt).sign(new TextEncoder().encode(secret));
    const forged = await token(FORGED_SECRET);
    const expired = await token(JWT_SECRET, Math.floor(Date.now() / 1000) - 3600);
    for (let i = 0; i < 5; i++) expect((await post({ Authorization: `Bearer ${forged}` })).status).toBe(401);
    for (let i = 0; i < 5; i++) expect((await post({ Authorization: `Bearer ${expired}` })).status).toBe(401);
    expect((await post({ Authorization: `Bearer ${await token(JWT_SECRET)}` })).status).toBe(200);
    // The forger's own address is what gets locked.
    for (let i = 0; i < 5; i++) expect((await post({ Authorization: `Bearer ${forged}` }, '198.51.100.66')).status).toBe(401);
    expect((await post({ Authorization: `Bearer ${await token(JWT_SECRET)}` }, '198.51.100.66')).status).toBe(429);
  });
});

describe('seam 2 over real TLS: forged client certificates claiming CN=ops', () => {
  let serverCa: TestCa;
  let clientCa: TestCa;
  let serverCert: IssuedCert;
  let ops: IssuedCert;
  const forged: IssuedCert[] = [];
  let forgedDir: string;
  const fetches: TlsFetch[] = [];

  beforeAll(async () => {
    serverCa = await createTestCa('server');
    clientCa = await createTestCa('clients', serverCa.dir);
    serverCert = await serverCa.issueServer('server');
    ops = await clientCa.issueClient('ops');
    forgedDir = await mkdtemp(join(tmpdir(), 'cnmcp-forged-'));
    for (let i = 0; i < 5; i++) {
      const paths = { certPath: join(forgedDir, `forged-${i}.pem`), keyPath: join(forgedDir, `forged-${i}.key`) };
      await writeSelfSignedCertificate(paths, 'ops');
      forged.push(paths);
    }
  }, 60_000);
  afterAll(async () => {
    for (const f of fetches) await f.close();
    await serverCa?.remove();
    if (forgedDir) await rm(forgedDir, { recursive: true, force: true });
  });

  const postTls = (client: IssuedCert | undefined, headers: Record<string, string> = {}) => {
    const f = tlsFetch({ ca: serverCa.certPath, ...(client ? { client } : {}) });
    fetches.push(f);
    const url = Object.assign(new URL(server!.url), { hostname: 'localhost' });
    return f.fetch(url, {
      method: 'POST',
      headers: { ...MCP_POST_HEADERS, 'MCP-Protocol-Version': '2025-11-25', 'X-Forwarded-For': freshAddress(), ...headers },
      body: JSON.stringify(listTools),
    });
  };

  it('refuses each forged certificate, and neither the real certificate nor the API key of ops is locked', async () => {
    server = await startTestKernel({
      config: {
        server: { trustedProxies: ['127.0.0.1/32'] },
        tls: { use: 'file', cert: serverCert.certPath, key: serverCert.keyPath, clientAuth: 'request', ca: clientCa.certPath },
        authorization: { use: 'allow-all' },
        auth: [
          { use: 'mtls', identities: [{ cn: 'ops', roles: ['admin'] }] },
          { use: 'apikey', keys: [{ id: 'ops', key: '${env:OPS_KEY}', roles: ['admin'] }] },
        ],
        audit: [{ use: 'memory' }],
        toolPacks: [{ use: 'utilities' }],
      },
      plugins: [memorySink],
      env: { OPS_KEY },
    });
    for (const cert of forged) {
      const res = await postTls(cert);
      expect(res.status).toBe(401);
      await res.body?.cancel();
    }
    for (const [client, headers] of [
      [ops, {}],
      [undefined, { 'X-API-Key': OPS_KEY }],
    ] as const) {
      const res = await postTls(client, headers);
      expect(res.status).toBe(200);
      await res.body?.cancel();
    }
    await vi.waitFor(() => expect(events.filter((e) => e.type === 'auth.success')).toHaveLength(2), { timeout: 5000 });
    expect(events.filter((e) => e.type === 'auth.failure' && e.details?.strategy === 'auth/mtls')).toHaveLength(5);
    expect(events.filter((e) => e.type === 'auth.lockout' || e.type === 'rate.limited')).toHaveLength(0);
  }, 60_000);
});
