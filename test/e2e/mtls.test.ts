// mTLS end to end: the `file` provider asks for client certificates, the `mtls` strategy names the identity.
// With `require` the handshake itself refuses a missing or foreign certificate; with `request` the strategy does.
import type { AuditEvent } from '@cnmcp/core/plugin';
import { memoryAuditSink, startTestKernel, type TestKernel } from '@cnmcp/core/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { connectModernHttp, LEGACY_PROTOCOL, textsOf } from '../support/clients.js';
import { createE2ePack } from '../support/e2e-pack.js';
import { initializeRequest, MCP_POST_HEADERS } from '../support/raw-http.js';
import { createTestCa, type IssuedCert, type TestCa } from '../support/test-pki.js';
import { tlsFetch, type TlsFetch } from '../support/tls-fetch.js';

const events: AuditEvent[] = [];
const memorySink = memoryAuditSink(events);

let serverCa: TestCa;
let clientCa: TestCa;
let rogueCa: TestCa;
let serverCert: IssuedCert;
let ciBot: IssuedCert;
let stranger: IssuedCert;
let rogueBot: IssuedCert;
const fetches: TlsFetch[] = [];

beforeAll(async () => {
  serverCa = await createTestCa('server');
  clientCa = await createTestCa('clients', serverCa.dir);
  rogueCa = await createTestCa('rogue', serverCa.dir);
  serverCert = await serverCa.issueServer('server');
  ciBot = await clientCa.issueClient('ci-bot');
  stranger = await clientCa.issueClient('stranger');
  // Same CN as the real client, signed by a CA the server does not trust.
  rogueBot = await rogueCa.issueClient('ci-bot');
});
afterAll(async () => {
  for (const f of fetches) await f.close();
  await serverCa?.remove();
});

const fetchWith = (client?: IssuedCert) => {
  const f = tlsFetch({ ca: serverCa.certPath, ...(client ? { client } : {}) });
  fetches.push(f);
  return f.fetch;
};

const startMtls = (clientAuth: 'request' | 'require') =>
  startTestKernel({
    config: {
      tls: { use: 'file', cert: serverCert.certPath, key: serverCert.keyPath, clientAuth, ca: clientCa.certPath },
      authorization: { use: 'allow-all' },
      auth: [{ use: 'mtls', identities: [{ cn: 'ci-bot', roles: ['viewer'] }] }],
      audit: [{ use: 'memory' }],
      toolPacks: [{ use: 'e2e' }],
    },
    plugins: [createE2ePack(), memorySink],
  });

const localhost = (url: URL) => Object.assign(new URL(url), { hostname: 'localhost' });
const initialize = (kernel: TestKernel, f: typeof fetch) =>
  f(localhost(kernel.url), { method: 'POST', headers: MCP_POST_HEADERS, body: JSON.stringify(initializeRequest(LEGACY_PROTOCOL)) });

describe('mTLS with clientAuth: require', () => {
  let kernel: TestKernel;
  beforeAll(async () => {
    kernel = await startMtls('require');
  });
  afterAll(() => kernel?.close());

  it('fails the handshake of a client without a certificate', async () => {
    await expect(initialize(kernel, fetchWith())).rejects.toThrow();
  });

  it('fails the handshake of a client whose certificate is from another CA', async () => {
    await expect(initialize(kernel, fetchWith(rogueBot))).rejects.toThrow();
  });

  it('authenticates a valid certificate as the identity its CN maps to, visible in audit', async () => {
    const client = await connectModernHttp(localhost(kernel.url), { fetch: fetchWith(ciBot) });
    try {
      expect(textsOf(await client.callTool('e2e_echo_text', { text: 'hello' }))).toEqual(['hello']);
    } finally {
      await client.close();
    }
    await vi.waitFor(() => expect(events.some((e) => e.type === 'tool.call' && e.actor?.id === 'ci-bot')).toBe(true), { timeout: 5000 });
    expect(events.find((e) => e.type === 'auth.success')).toMatchObject({ actor: { id: 'ci-bot', authMethod: 'mtls', roles: ['viewer'] } });
    expect(events.find((e) => e.type === 'tool.call' && e.actor?.id === 'ci-bot')).toMatchObject({ tool: 'e2e_echo_text', outcome: 'success' });
  });

  it('refuses a verified certificate that no identity maps to, with 401', async () => {
    const res = await initialize(kernel, fetchWith(stranger));
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('mTLS');
  });
});

describe('mTLS with clientAuth: request', () => {
  let kernel: TestKernel;
  beforeAll(async () => {
    events.length = 0;
    kernel = await startMtls('request');
  });
  afterAll(() => kernel?.close());

  it('lets the handshake through without a certificate and answers 401 naming mTLS', async () => {
    const res = await initialize(kernel, fetchWith());
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('mTLS');
  });

  it('refuses a certificate from another CA in the strategy, and audits why', async () => {
    const res = await initialize(kernel, fetchWith(rogueBot));
    expect(res.status).toBe(401);
    await res.body?.cancel();
    const rejected = () => events.find((e) => e.type === 'auth.failure' && e.details?.strategy === 'auth/mtls');
    await vi.waitFor(() => expect(rejected()).toBeDefined(), { timeout: 5000 });
    expect(rejected()).toMatchObject({
      outcome: 'failure',
      details: { strategy: 'auth/mtls', subject: 'ci-bot', reason: expect.stringContaining('client certificate not verified') },
    });
  });

  it('accepts a valid certificate', async () => {
    const res = await initialize(kernel, fetchWith(ciBot));
    expect(res.status).toBe(200);
    await res.body?.cancel();
  });
});
