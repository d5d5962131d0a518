// The configs in docs/security/tls.md, booted as written (listen address and ./tls/ paths pointed at test files).
import { copyFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Kernel } from '@cnmcp/core';
import { silentLogger, startTestKernel } from '@cnmcp/core/testing';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestCa, type TestCa } from '../support/test-pki.js';
import { tlsFetch } from '../support/tls-fetch.js';

const doc = readFileSync(new URL('../../docs/security/tls.md', import.meta.url), 'utf8');
const blocks = [...doc.matchAll(/^```yaml\n([\s\S]*?)^```/gm)].map((m) => parse(m[1]!) as Record<string, unknown>);
const API_KEY = 'Docs-Tls-Key-1234!Abc';
const ping = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} });
const mcpHeaders = { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2025-11-25' };

describe('docs/security/tls.md examples', () => {
  let ca: TestCa;
  let tlsDir: string;
  beforeAll(async () => {
    ca = await createTestCa('docs');
    tlsDir = join(ca.dir, 'tls');
    await mkdir(tlsDir);
    const server = await ca.issueServer('server');
    const clients = await createTestCa('clients', ca.dir);
    const ciBot = await clients.issueClient('ci-bot');
    await Promise.all([
      copyFile(server.certPath, join(tlsDir, 'cert.pem')),
      copyFile(server.keyPath, join(tlsDir, 'key.pem')),
      copyFile(clients.certPath, join(tlsDir, 'clients-ca.pem')),
      copyFile(ciBot.certPath, join(tlsDir, 'ci-bot.pem')),
      copyFile(ciBot.keyPath, join(tlsDir, 'ci-bot.key')),
    ]);
  });
  afterAll(() => ca?.remove());

  /** The block with test paths and a loopback listener. */
  const asTested = (block: Record<string, unknown>) => {
    const text = JSON.stringify(block).replaceAll('"./tls/', `"${tlsDir}/`);
    const config = JSON.parse(text) as Record<string, unknown>;
    config.server = { ...(config.server as object), listen: '127.0.0.1:0' };
    return { ...config, toolPacks: [{ use: 'utilities' }] };
  };
  const find = (predicate: (b: Record<string, unknown>) => boolean) => {
    const block = blocks.find(predicate);
    if (!block) throw new Error('example not found in docs/security/tls.md');
    return block;
  };
  const localhost = (url: URL, path = url.pathname) => Object.assign(new URL(path, url), { hostname: 'localhost' });

  it('file: serves HTTPS with HSTS and the documented API key', async () => {
    const block = find((b) => (b.tls as { use?: string; clientAuth?: string } | undefined)?.use === 'file' && !(b.tls as { clientAuth?: string }).clientAuth);
    const server = await startTestKernel({ config: asTested(block), env: { OPS_API_KEY: API_KEY } });
    const trusting = tlsFetch({ ca: ca.certPath });
    try {
      const health = await trusting.fetch(localhost(server.url, '/healthz'));
      expect(health.status).toBe(200);
      expect(health.headers.get('strict-transport-security')).toBe('max-age=31536000; includeSubDomains');
      const listed = await trusting.fetch(localhost(server.url), { method: 'POST', headers: { ...mcpHeaders, 'x-api-key': API_KEY }, body: ping });
      expect(listed.status).toBe(200);
      await listed.body?.cancel();
    } finally {
      await trusting.close();
      await server.close();
    }
  });

  it('mTLS: the ci-bot certificate is let in, a client without one is not', async () => {
    const block = find((b) => (b.tls as { clientAuth?: string } | undefined)?.clientAuth === 'require');
    const server = await startTestKernel({ config: asTested(block) });
    const withCert = tlsFetch({ ca: ca.certPath, client: { certPath: join(tlsDir, 'ci-bot.pem'), keyPath: join(tlsDir, 'ci-bot.key') } });
    const without = tlsFetch({ ca: ca.certPath });
    try {
      const listed = await withCert.fetch(localhost(server.url), { method: 'POST', headers: mcpHeaders, body: ping });
      expect(listed.status).toBe(200);
      expect(await listed.text()).toContain('utilities_get_time');
      await expect(without.fetch(localhost(server.url), { method: 'POST', headers: mcpHeaders, body: ping })).rejects.toThrow();
    } finally {
      await withCert.close();
      await without.close();
      await server.close();
    }
  });

  it('acme: the config validates as written', async () => {
    const block = find((b) => (b.tls as { use?: string } | undefined)?.use === 'acme');
    const kernel = await Kernel.load({ config: asTested(block), env: { OPS_API_KEY: API_KEY }, logger: silentLogger });
    expect(kernel.config.config.tls).toMatchObject({
      use: 'acme',
      domains: ['mcp.example.com'],
      renewBeforeDays: 30,
      directoryUrl: 'https://acme-v02.api.letsencrypt.org/directory',
    });
  });

  it('headers: the documented overrides are sent', async () => {
    const block = find((b) => (b.server as { headers?: unknown } | undefined)?.headers !== undefined);
    const server = await startTestKernel({ config: asTested(block) });
    try {
      const res = await fetch(new URL('/healthz', server.origin));
      expect(res.headers.get('permissions-policy')).toBe('camera=(), microphone=()');
      expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
      expect(res.headers.get('referrer-policy')).toBeNull();
    } finally {
      await server.close();
    }
  });

  it('cors: a preflight from the documented origin is answered', async () => {
    const block = find((b) => (b.server as { cors?: unknown } | undefined)?.cors !== undefined);
    const server = await startTestKernel({ config: asTested(block) });
    try {
      const res = await fetch(server.url, { method: 'OPTIONS', headers: { Origin: 'https://app.example.com', 'Access-Control-Request-Method': 'POST' } });
      expect(res.status).toBe(204);
      expect(res.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
      expect(res.headers.get('access-control-max-age')).toBe('600');
    } finally {
      await server.close();
    }
  });
});
