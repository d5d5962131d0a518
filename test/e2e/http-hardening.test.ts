// The HTTP face of the kernel below any MCP client: limits, media types, DNS-rebinding guards, routing, health
// endpoints and the headers every response carries.
import type { TestKernel } from '@cnmcp/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LEGACY_PROTOCOL } from '../support/clients.js';
import { initializeRequest, MCP_POST_HEADERS, rawRequest } from '../support/raw-http.js';
import { startContractKernel } from '../support/tool-call-contract.js';

const MAX_BODY_BYTES = 2048;
const ALLOWED_ORIGIN = 'https://app.example.com';

/** An initialize request padded past the body limit: valid JSON, just too big. */
const oversizeBody = () => JSON.stringify({ ...initializeRequest(LEGACY_PROTOCOL), pad: 'x'.repeat(MAX_BODY_BYTES * 2) });

function expectSecurityHeaders(headers: Headers): void {
  expect(headers.get('x-content-type-options')).toBe('nosniff');
  expect(headers.get('x-frame-options')).toBe('DENY');
  expect(headers.get('content-security-policy')).toContain("default-src 'none'");
  expect(headers.get('referrer-policy')).toBe('no-referrer');
  // HSTS over plain HTTP would be ignored by browsers at best; it is sent only over TLS.
  expect(headers.get('strict-transport-security')).toBeNull();
}

const toHeaders = (raw: Readonly<Record<string, string | string[] | undefined>>) =>
  new Headers(Object.entries(raw).flatMap(([name, value]) => (value === undefined ? [] : [[name, String(value)] as [string, string]])));

describe('HTTP hardening', () => {
  let kernel: TestKernel | undefined;
  const server = () => kernel!;
  const post = (path: string, body: string, headers: Record<string, string> = {}) =>
    fetch(new URL(path, server().origin), { method: 'POST', headers: { ...MCP_POST_HEADERS, ...headers }, body });

  beforeAll(async () => {
    ({ kernel } = await startContractKernel({ maxBodyBytes: MAX_BODY_BYTES, allowedOrigins: [ALLOWED_ORIGIN] }));
  });
  afterAll(async () => {
    await kernel?.close();
  });

  it('answers a body over server.maxBodyBytes with 413 and closes the connection', async () => {
    const res = await post('/mcp', oversizeBody());
    expect(res.status).toBe(413);
    expect(res.headers.get('connection')).toBe('close');
    expect(await res.json()).toEqual({ jsonrpc: '2.0', id: null, error: { code: -32600, message: `request body exceeds ${MAX_BODY_BYTES} bytes` } });
    expectSecurityHeaders(res.headers);
  });

  it('answers an oversize chunked body (no Content-Length to trust) with 413', async () => {
    const res = await rawRequest(server().url, { method: 'POST', headers: { ...MCP_POST_HEADERS, 'Transfer-Encoding': 'chunked' }, body: oversizeBody() });
    expect(res.status).toBe(413);
    expect(JSON.parse(res.body)).toMatchObject({ error: { code: -32600 } });
  });

  it('caps bodies on the legacy POST /messages endpoint too', async () => {
    const res = await post('/messages?sessionId=none', oversizeBody());
    expect(res.status).toBe(413);
    await res.body?.cancel();
  });

  it('answers a body that is not JSON with 400 and JSON-RPC -32700', async () => {
    const res = await post('/mcp', '{"jsonrpc": "2.0", "id": 1, "method": ');
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ jsonrpc: '2.0', id: null, error: { code: -32700, message: 'request body is not valid JSON' } });
    expectSecurityHeaders(res.headers);
  });

  it('answers a POST that is not application/json with 415', async () => {
    const res = await post('/mcp', JSON.stringify(initializeRequest(LEGACY_PROTOCOL)), { 'Content-Type': 'text/plain' });
    expect(res.status).toBe(415);
    expect(await res.json()).toMatchObject({ error: { code: -32600, message: 'Content-Type must be application/json' } });
    expectSecurityHeaders(res.headers);

    const withCharset = await post('/mcp', JSON.stringify(initializeRequest(LEGACY_PROTOCOL)), { 'Content-Type': 'application/json; charset=utf-8' });
    expect(withCharset.status).toBe(200);
    await withCharset.body?.cancel();
  });

  it('refuses a disallowed Origin with 403, lets configured and loopback origins through', async () => {
    const body = JSON.stringify(initializeRequest(LEGACY_PROTOCOL));
    for (const origin of ['https://evil.example', 'null', `${ALLOWED_ORIGIN}.evil.example`]) {
      const res = await post('/mcp', body, { Origin: origin });
      expect(res.status, origin).toBe(403);
      expect(await res.json()).toMatchObject({ error: { code: -32000, message: `origin ${JSON.stringify(origin)} is not allowed` } });
      expectSecurityHeaders(res.headers);
    }
    for (const origin of [ALLOWED_ORIGIN, 'http://localhost:5173', 'http://127.0.0.1:8080']) {
      const res = await post('/mcp', body, { Origin: origin });
      expect(res.status, origin).toBe(200);
      await res.body?.cancel();
    }
  });

  it('refuses a foreign Host header with 403 (DNS rebinding), accepts loopback names', async () => {
    const body = JSON.stringify(initializeRequest(LEGACY_PROTOCOL));
    const foreign = await rawRequest(server().url, { method: 'POST', headers: { ...MCP_POST_HEADERS, Host: 'evil.example' }, body });
    expect(foreign.status).toBe(403);
    expect(JSON.parse(foreign.body)).toMatchObject({ error: { code: -32000, message: 'host "evil.example" is not allowed' } });
    expectSecurityHeaders(toHeaders(foreign.headers));

    const local = await rawRequest(server().url, { method: 'POST', headers: { ...MCP_POST_HEADERS, Host: `localhost:${server().url.port}` }, body });
    expect(local.status).toBe(200);
  });

  it('guards the legacy SSE endpoint with the same Origin and Host checks', async () => {
    const origin = await rawRequest(new URL('/sse', server().origin), { headers: { Accept: 'text/event-stream', Origin: 'https://evil.example' } });
    expect(origin.status).toBe(403);
    const host = await rawRequest(new URL('/sse', server().origin), { headers: { Accept: 'text/event-stream', Host: 'evil.example' } });
    expect(host.status).toBe(403);
  });

  it('answers an unknown path with 404 and JSON-RPC -32601', async () => {
    const res = await fetch(new URL('/admin', server().origin));
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: { code: -32601, message: expect.stringContaining('/mcp') } });
    expectSecurityHeaders(res.headers);
  });

  it('answers /healthz with 200 and /readyz with 200 once ready', async () => {
    const health = await fetch(new URL('/healthz', server().origin));
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
    expectSecurityHeaders(health.headers);
    expect(health.headers.get('cache-control')).toBe('no-store');

    const ready = await fetch(new URL('/readyz', server().origin));
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready' });
  });

  it('sends the security headers on MCP answers and event streams as well', async () => {
    const answer = await post('/mcp', JSON.stringify(initializeRequest(LEGACY_PROTOCOL)));
    expect(answer.status).toBe(200);
    expectSecurityHeaders(answer.headers);
    await answer.body?.cancel();

    const aborter = new AbortController();
    const stream = await fetch(new URL('/sse', server().origin), { headers: { Accept: 'text/event-stream' }, signal: aborter.signal });
    try {
      expect(stream.status).toBe(200);
      expect(stream.headers.get('content-type')).toContain('text/event-stream');
      expectSecurityHeaders(stream.headers);
    } finally {
      aborter.abort();
    }
  });
});
