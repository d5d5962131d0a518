// The configs in docs/security/authentication-bearer.md, run as written: each YAML block boots the real kernel,
// and a token the documented provider would mint lists tools. The documented provider URL is pointed at a local
// identity provider; nothing else in the block changes.
import { readFileSync } from 'node:fs';
import { startTestKernel } from '@cnmcp/core/testing';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { definePlugin } from '@cnmcp/core/plugin';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mintHmac, startTestIdp, type TestIdp, type TestKey } from '../testing/bearer-idp.js';
import bearer from './plugin.js';

const doc = readFileSync(new URL('../../../../docs/security/authentication-bearer.md', import.meta.url), 'utf8');
// A fenced block, dedented by the indentation of its fence (the JSON sits inside a list item).
const blocks = [...doc.matchAll(/^( *)```(yaml|json)\n([\s\S]*?)^\1```/gm)].map((m) => ({
  lang: m[2]!,
  text: m[3]!.replace(new RegExp(`^${m[1]!}`, 'gm'), ''),
}));
const yamlBlocks = blocks.filter((b) => b.lang === 'yaml').map((b) => b.text);
const DOC_ISSUER = 'https://idp.example.com/realms/ops';
const DOC_JWKS = `${DOC_ISSUER}/protocol/openid-connect/certs`;
const SECRET = 'documented-secret-from-openssl-rand-48';

const pack = definePlugin({
  kind: 'tool-pack',
  name: 'docs-pack',
  configSchema: { type: 'object', additionalProperties: false },
  async setup() {
    return {
      tools: [
        {
          name: 'docs_get_item',
          description: 'x',
          inputSchema: { type: 'object' },
          annotations: { readOnlyHint: true },
          handler: async () => ({ content: [] }),
        },
      ],
    };
  },
});

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

async function boot(yamlText: string) {
  const config = parse(yamlText.replaceAll(DOC_JWKS, idp.jwksUri).replaceAll(DOC_ISSUER, idp.issuer)) as Record<string, unknown>;
  return startTestKernel({ config: { ...config, toolPacks: [{ use: 'docs-pack' }] }, plugins: [bearer, pack], env: { CNMCP_JWT_SECRET: SECRET } });
}

async function listWith(url: URL, token: string): Promise<string[]> {
  const client = new Client({ name: 'docs', version: '0' }, { versionNegotiation: { mode: { pin: '2026-07-28' } } });
  await client.connect(new StreamableHTTPClientTransport(url, { requestInit: { headers: { authorization: `Bearer ${token}` } } }));
  try {
    return (await client.listTools()).tools.map((t) => t.name);
  } finally {
    await client.close();
  }
}

describe('docs/security/authentication-bearer.md', () => {
  it('has the five documented configs', () => {
    expect(yamlBlocks).toHaveLength(5);
    expect(yamlBlocks.every((b) => b.includes('use: bearer'))).toBe(true);
  });

  it('HS256 with a shared secret', async () => {
    const server = await boot(yamlBlocks[0]!);
    try {
      expect(await listWith(server.url, await mintHmac(SECRET, { aud: 'cnmcp', roles: ['ops'] }))).toEqual(['docs_get_item']);
    } finally {
      await server.close();
    }
  });

  it.each([
    ['OIDC discovery', 1, { aud: 'cnmcp', realm_access: { roles: ['ops'] } }],
    ['a JWKS URL', 2, { aud: ['account'] }],
  ])('%s', async (_name, index, claims) => {
    const server = await boot(yamlBlocks[index]!);
    try {
      expect(await listWith(server.url, await idp.mint(key, claims))).toEqual(['docs_get_item']);
    } finally {
      await server.close();
    }
  });

  it('resource-server mode serves the documented metadata and challenge', async () => {
    const server = await boot(yamlBlocks[3]!);
    try {
      const documented = JSON.parse(blocks.find((b) => b.lang === 'json')!.text) as Record<string, unknown>;
      const served = await (await fetch(new URL('/.well-known/oauth-protected-resource/mcp', server.origin))).json();
      expect(served).toEqual({ ...documented, authorization_servers: [idp.issuer] });
      const res = await fetch(server.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
        body: '{}',
      });
      expect(res.headers.get('www-authenticate')).toBe(
        'Bearer resource_metadata="https://mcp.example.com/.well-known/oauth-protected-resource/mcp", scope="mcp:tools"',
      );
      expect(doc).toContain(res.headers.get('www-authenticate')!.replace(/^Bearer /, ''));
      expect(await listWith(server.url, await idp.mint(key, { aud: 'https://mcp.example.com/mcp' }))).toEqual(['docs_get_item']);
    } finally {
      await server.close();
    }
  });

  it('token type and lifetime: an RFC 9068 access token of an hour passes; an ID token or a longer-lived one does not', async () => {
    const server = await boot(yamlBlocks[4]!);
    const aud = 'https://mcp.example.com/mcp';
    try {
      expect(await listWith(server.url, await idp.mint(key, { aud }, 'at+jwt'))).toEqual(['docs_get_item']);
      const now = Math.floor(Date.now() / 1000);
      for (const token of [await idp.mint(key, { aud }, 'JWT'), await idp.mint(key, { aud, exp: now + 7200 }, 'at+jwt')]) {
        const res = await fetch(server.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', authorization: `Bearer ${token}` },
          body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' }),
        });
        expect(res.status).toBe(401);
      }
    } finally {
      await server.close();
    }
  });
});
