// Response headers from config (`server.headers`) on every kind of answer, and CORS from config (`server.cors`):
// preflights answered after the Origin check and before authentication, actual responses readable by listed origins.
import { startTestKernel, type TestKernel } from '@cnmcp/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LEGACY_PROTOCOL } from '../support/clients.js';
import { createE2ePack } from '../support/e2e-pack.js';
import { initializeRequest, MCP_POST_HEADERS } from '../support/raw-http.js';

const APP = 'https://app.example.com';
const API_KEY = 'Cors-Test-Key-42!Abc';

describe('server.headers and server.cors', () => {
  let kernel: TestKernel;
  beforeAll(async () => {
    kernel = await startTestKernel({
      config: {
        server: {
          allowedOrigins: [APP, 'https://other.example.com'],
          headers: {
            'X-Frame-Options': 'SAMEORIGIN',
            'Referrer-Policy': null,
            'Permissions-Policy': 'camera=(), microphone=()',
            'Strict-Transport-Security': 'max-age=60',
          },
          cors: { origins: [APP], headers: ['Content-Type', 'Authorization', 'X-API-Key', 'Mcp-Session-Id', 'Mcp-Protocol-Version'], maxAgeSeconds: 120 },
        },
        authorization: { use: 'allow-all' },
        auth: [{ use: 'apikey', keys: [{ id: 'web', key: API_KEY, roles: ['viewer'] }] }],
        toolPacks: [{ use: 'e2e' }],
      },
      plugins: [createE2ePack()],
    });
  });
  afterAll(() => kernel?.close());

  const expectConfiguredHeaders = (headers: Headers, what: string) => {
    expect(headers.get('x-frame-options'), what).toBe('SAMEORIGIN');
    expect(headers.get('referrer-policy'), what).toBeNull();
    expect(headers.get('permissions-policy'), what).toBe('camera=(), microphone=()');
    expect(headers.get('x-content-type-options'), what).toBe('nosniff');
    expect(headers.get('content-security-policy'), what).toBe("default-src 'none'; frame-ancestors 'none'");
    expect(headers.get('cache-control'), what).toBe('no-store');
    // Configured or not, HSTS goes out over TLS only.
    expect(headers.get('strict-transport-security'), what).toBeNull();
  };
  const post = (headers: Record<string, string>) =>
    fetch(kernel.url, { method: 'POST', headers: { ...MCP_POST_HEADERS, ...headers }, body: JSON.stringify(initializeRequest(LEGACY_PROTOCOL)) });

  it('sends the configured headers on JSON answers, event streams and errors', async () => {
    const answer = await post({ 'x-api-key': API_KEY });
    expect(answer.status).toBe(200);
    expectConfiguredHeaders(answer.headers, 'json');
    await answer.body?.cancel();

    const unauthenticated = await post({});
    expect(unauthenticated.status).toBe(401);
    expectConfiguredHeaders(unauthenticated.headers, '401');

    const notFound = await fetch(new URL('/nope', kernel.origin));
    expect(notFound.status).toBe(404);
    expectConfiguredHeaders(notFound.headers, '404');

    const aborter = new AbortController();
    const stream = await fetch(new URL('/sse', kernel.origin), { headers: { Accept: 'text/event-stream', 'x-api-key': API_KEY }, signal: aborter.signal });
    try {
      expect(stream.headers.get('content-type')).toContain('text/event-stream');
      expectConfiguredHeaders(stream.headers, 'sse');
    } finally {
      aborter.abort();
    }
  });

  it('answers a preflight from a listed origin with the configured methods, headers and max age, without credentials', async () => {
    const res = await fetch(kernel.url, {
      method: 'OPTIONS',
      headers: { Origin: APP, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type, x-api-key' },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe(APP);
    expect(res.headers.get('access-control-allow-methods')).toBe('GET, POST, DELETE, OPTIONS');
    expect(res.headers.get('access-control-allow-headers')).toBe('Content-Type, Authorization, X-API-Key, Mcp-Session-Id, Mcp-Protocol-Version');
    expect(res.headers.get('access-control-max-age')).toBe('120');
    expect(res.headers.get('access-control-allow-credentials')).toBeNull();
    expect(res.headers.get('vary')).toBe('Origin');
    expectConfiguredHeaders(res.headers, 'preflight');
  });

  it('grants nothing to an origin the guard allows but CORS does not list', async () => {
    const res = await fetch(kernel.url, { method: 'OPTIONS', headers: { Origin: 'https://other.example.com', 'Access-Control-Request-Method': 'POST' } });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    expect(res.headers.get('access-control-allow-methods')).toBeNull();
  });

  it('refuses a preflight from an origin the guard refuses, with 403', async () => {
    const res = await fetch(kernel.url, { method: 'OPTIONS', headers: { Origin: 'https://evil.example', 'Access-Control-Request-Method': 'POST' } });
    expect(res.status).toBe(403);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('lets a listed origin read actual answers and the exposed headers, errors included', async () => {
    const ok = await post({ Origin: APP, 'x-api-key': API_KEY });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('access-control-allow-origin')).toBe(APP);
    expect(ok.headers.get('access-control-expose-headers')).toBe('Mcp-Session-Id, Mcp-Protocol-Version, WWW-Authenticate');
    await ok.body?.cancel();
    const refused = await post({ Origin: APP });
    expect(refused.status).toBe(401);
    expect(refused.headers.get('access-control-allow-origin')).toBe(APP);
  });
});

describe('server.cors config checks', () => {
  it('refuses a CORS origin that the Origin check would refuse, naming it', async () => {
    await expect(startTestKernel({ config: { server: { cors: { origins: ['https://app.example.com'] } } } })).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
      message: expect.stringContaining('/server/cors/origins/0: CORS origin "https://app.example.com" is refused by the Origin check'),
    });
  });

  it('refuses `*` with credentials', async () => {
    await expect(startTestKernel({ config: { server: { allowedOrigins: ['*'], cors: { origins: ['*'], credentials: true } } } })).rejects.toMatchObject({
      message: expect.stringContaining('/server/cors/origins: cors.origins `*` with credentials'),
    });
  });

  it('accepts loopback origins without allowedOrigins', async () => {
    const kernel = await startTestKernel({ config: { server: { cors: { origins: ['http://localhost:5173'] } } } });
    try {
      const res = await fetch(kernel.url, { method: 'OPTIONS', headers: { Origin: 'http://localhost:5173', 'Access-Control-Request-Method': 'POST' } });
      expect(res.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    } finally {
      await kernel.close();
    }
  });
});
