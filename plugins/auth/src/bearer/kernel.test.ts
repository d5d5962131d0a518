// bearer as users run it: selected by `auth: [{ use: bearer }]`, validated and set up by the real kernel, with keys
// from a local identity provider (OIDC discovery + JWKS), driven by plain fetch and by the MCP SDK v2 client.
import { definePlugin, type AuditEvent } from '@cnmcp/core/plugin';
import { startTestKernel, type TestKernel } from '@cnmcp/core/testing';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mintHmac, startTestIdp, type TestIdp, type TestKey } from '../testing/bearer-idp.js';
import bearer from './plugin.js';

const RESOURCE = 'https://mcp.example.com/mcp';
const METADATA_URL = 'https://mcp.example.com/.well-known/oauth-protected-resource/mcp';
const HS_SECRET = 'e2e-shared-hmac-secret-32-bytes!!';

const pack = definePlugin({
  kind: 'tool-pack',
  name: 'bearer-e2e',
  configSchema: { type: 'object', additionalProperties: false },
  async setup() {
    return {
      tools: [
        {
          name: 'whoami_get_identity',
          description: 'Returns the identity the kernel handed to the tool',
          inputSchema: { type: 'object', properties: {}, additionalProperties: false },
          annotations: { readOnlyHint: true },
          handler: async (_args, ctx) => ({ content: [{ type: 'text' as const, text: JSON.stringify(ctx.identity) }] }),
        },
      ],
    };
  },
});

function captureSink() {
  const events: AuditEvent[] = [];
  const plugin = definePlugin({
    kind: 'audit-sink',
    name: 'bearer-capture',
    configSchema: { type: 'object', additionalProperties: false },
    async setup() {
      return { write: async (batch: readonly AuditEvent[]) => void events.push(...batch), close: async () => {} };
    },
  });
  return { plugin, events };
}

async function start(authEntry: Record<string, unknown>) {
  const audit = captureSink();
  const server = await startTestKernel({
    config: {
      authorization: { use: 'allow-all' },
      auth: [{ use: 'bearer', ...authEntry }],
      toolPacks: [{ use: 'bearer-e2e' }],
      audit: [{ use: 'bearer-capture' }],
      // These tests fail on purpose many times from one address; the lockout has its own tests in core.
      limits: { authFailures: { attempts: 1000 } },
    },
    plugins: [bearer, pack, audit.plugin],
  });
  return { server, events: audit.events };
}

/** A JSON-RPC POST to /mcp, as a client's first request would be. */
const post = (server: TestKernel, headers: Record<string, string> = {}) =>
  fetch(server.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} }),
  });

async function connect(server: TestKernel, token: string): Promise<Client> {
  const client = new Client({ name: 'bearer-e2e', version: '0.0.0' }, { versionNegotiation: { mode: { pin: '2026-07-28' } } });
  await client.connect(new StreamableHTTPClientTransport(server.url, { requestInit: { headers: { authorization: `Bearer ${token}` } } }));
  return client;
}

let idp: TestIdp;
let key: TestKey;

beforeAll(async () => {
  idp = await startTestIdp();
  key = await idp.createKey('RS256');
  idp.publish(key);
});

afterAll(async () => {
  await idp?.close();
});

describe('bearer in the kernel: OAuth 2.1 resource server with OIDC discovery', () => {
  let server: TestKernel;
  let events: AuditEvent[];

  beforeAll(async () => {
    ({ server, events } = await start({ issuer: idp.issuer, resource: RESOURCE, scopesSupported: ['tools:read', 'tools:call'] }));
  });

  afterAll(async () => {
    await server?.close();
  });

  it('answers a request without a token with 401 and a challenge pointing to the metadata', async () => {
    const res = await post(server);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe(`Bearer resource_metadata="${METADATA_URL}", scope="tools:read tools:call"`);
    expect(await res.json()).toMatchObject({ jsonrpc: '2.0', error: { message: 'authentication required: Bearer' } });
  });

  it('answers a bad token with 401 invalid_token, tells the client nothing more, and audits the reason without the token', async () => {
    const forged = await mintHmac(key.publicPem, { iss: idp.issuer, aud: RESOURCE }, 'HS256', key.kid);
    const res = await post(server, { authorization: `Bearer ${forged}` });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe(`Bearer resource_metadata="${METADATA_URL}", scope="tools:read tools:call", error="invalid_token"`);
    const body = JSON.stringify(await res.json());
    expect(body).toContain('authentication failed (Bearer)');
    expect(body).not.toMatch(/algorithm|signature|audience/);
    await expect.poll(() => events.find((e) => e.type === 'auth.failure' && e.details?.reason === 'algorithm not allowed')).toBeTruthy();
    expect(JSON.stringify(events)).not.toContain(forged.split('.')[2]);
  });

  it.each([
    ['expired', { exp: Math.floor(Date.now() / 1000) - 3600 }],
    ['nbf in the future', { nbf: Math.floor(Date.now() / 1000) + 3600 }],
    ['wrong issuer', { iss: 'https://evil.example.com' }],
    ['wrong audience (not this resource)', { aud: 'https://other.example.com/mcp' }],
  ])('refuses a token with %s', async (_name, claims) => {
    const res = await post(server, { authorization: `Bearer ${await idp.mint(key, { aud: RESOURCE, ...claims })}` });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toContain('error="invalid_token"');
  });

  it('lists and calls tools for a valid token with the SDK v2 client; the tool sees the identity, never the token', async () => {
    const token = await idp.mint(key, { aud: RESOURCE, roles: ['viewer'], scope: 'tools:read' });
    const client = await connect(server, token);
    try {
      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name)).toEqual(['whoami_get_identity']);
      const result = await client.callTool({ name: 'whoami_get_identity', arguments: {} });
      const text = (result.content as { type: string; text: string }[])[0]?.text ?? '';
      expect(JSON.parse(text)).toMatchObject({
        id: 'alice',
        authMethod: 'bearer',
        roles: ['viewer'],
        scopes: ['tools:read'],
        attributes: { issuer: idp.issuer },
      });
      expect(text).not.toContain(token.split('.')[2]);
    } finally {
      await client.close();
    }
    expect(events.some((e) => e.type === 'auth.success' && e.actor?.id === 'alice')).toBe(true);
  });

  it('serves the RFC 9728 metadata without authentication, at the resource path and the bare path', async () => {
    for (const path of ['/.well-known/oauth-protected-resource/mcp', '/.well-known/oauth-protected-resource']) {
      const res = await fetch(new URL(path, server.origin));
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      const doc = (await res.json()) as Record<string, unknown>;
      // RFC 9728 §2: `resource` is REQUIRED and must be the identifier the challenge's metadata URL was built from.
      expect(doc.resource).toBe(RESOURCE);
      expect(new URL(METADATA_URL).pathname).toBe(`/.well-known/oauth-protected-resource${new URL(doc.resource as string).pathname}`);
      // authorization_servers: JSON array of issuer identifiers (URLs); the MCP spec requires at least one.
      expect(Array.isArray(doc.authorization_servers)).toBe(true);
      expect((doc.authorization_servers as unknown[]).length).toBeGreaterThan(0);
      for (const as of doc.authorization_servers as unknown[]) expect(() => new URL(as as string)).not.toThrow();
      expect(doc.authorization_servers).toEqual([idp.issuer]);
      // bearer_methods_supported and scopes_supported: JSON arrays of strings; methods from header/body/query.
      expect(doc.bearer_methods_supported).toEqual(['header']);
      expect(doc.scopes_supported).toEqual(['tools:read', 'tools:call']);
      for (const field of ['bearer_methods_supported', 'scopes_supported']) expect((doc[field] as unknown[]).every((v) => typeof v === 'string')).toBe(true);
    }
  });

  it('refuses a token for the right resource when it is only in a query parameter', async () => {
    const token = await idp.mint(key, { aud: RESOURCE });
    const res = await fetch(`${server.url.href}?access_token=${token}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} }),
    });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).not.toContain('error=');
  });
});

describe('bearer in the kernel: HS256 with a shared secret', () => {
  let server: TestKernel;

  beforeAll(async () => {
    ({ server } = await start({ secret: HS_SECRET, audience: 'cnmcp' }));
  });

  afterAll(async () => {
    await server?.close();
  });

  it('challenges with a realm, and lists tools for a valid token', async () => {
    const res = await post(server);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer realm="cnmcp"');
    expect((await fetch(new URL('/.well-known/oauth-protected-resource', server.origin))).status).toBe(404);

    const client = await connect(server, await mintHmac(HS_SECRET, { aud: 'cnmcp' }));
    try {
      expect((await client.listTools()).tools.map((t) => t.name)).toEqual(['whoami_get_identity']);
    } finally {
      await client.close();
    }
  });

  it('refuses an RS256 token on an HS server', async () => {
    const res = await post(server, { authorization: `Bearer ${await idp.mint(key, { aud: 'cnmcp' })}` });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer realm="cnmcp", error="invalid_token"');
  });
});

describe('bearer in the kernel: config refused at startup', () => {
  it.each([
    ['alg none', { secret: HS_SECRET, algorithms: ['none'] }, /algorithms/],
    ['an unknown option', { secret: HS_SECRET, jwks: 'https://idp.example.com/jwks' }, /jwks/],
    ['a resource that is not a URL', { secret: HS_SECRET, resource: 'mcp', authorizationServers: ['https://idp.example.com'] }, /resource/],
    ['HS256 with a JWKS', { jwksUri: 'https://idp.example.com/jwks', algorithms: ['HS256'] }, /HS256 needs a shared `secret`/],
    ['a secret and an issuer', { secret: HS_SECRET, issuer: 'https://idp.example.com' }, /not both/],
  ])('%s', async (_name, entry, message) => {
    const error = await start(entry).then(
      async ({ server }) => {
        await server.close();
        return undefined;
      },
      (e: Error) => e,
    );
    expect(error?.message).toMatch(message);
    expect(error?.message).not.toContain(HS_SECRET);
  });
});
