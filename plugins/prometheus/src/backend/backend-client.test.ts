// The failure modes a real backend shows, served by a small local HTTP server: each becomes a BackendError whose
// message says what failed and what to check. (The happy paths run against real Prometheus and Alertmanager.)
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../../../test/support/spawned-server.js';
import { createBackendClient, MAX_RESPONSE_BYTES, type BackendCall } from './backend-client.js';
import { resolveBackend } from './backend-config.js';
import { BackendError } from './backend-error.js';

let server: Server;
let base: string;
const seen: { url: string; authorization?: string; method?: string; body: string }[] = [];

const routes: Record<string, (req: IncomingMessage, res: ServerResponse) => void> = {
  '/ok': (_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"success","data":42}'),
  '/empty': (_req, res) => res.writeHead(200).end(),
  '/html': (_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<html>login</html>'),
  '/denied': (_req, res) => res.writeHead(401, { 'content-type': 'text/plain' }).end('Unauthorized'),
  '/bad': (_req, res) =>
    res.writeHead(400, { 'content-type': 'application/json' }).end('{"status":"error","errorType":"bad_data","error":"parse error at char 3"}'),
  '/boom': (_req, res) => res.writeHead(503).end('"overloaded"'),
  '/huge': (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    const chunk = Buffer.alloc(1024 * 1024, 0x20);
    let sent = 0;
    const push = () => {
      while (sent <= MAX_RESPONSE_BYTES && res.write(chunk)) sent += chunk.length;
      if (sent <= MAX_RESPONSE_BYTES) res.once('drain', push);
      else res.end();
    };
    push();
  },
  '/hang': () => {},
  '/redirect': (_req, res) => res.writeHead(302, { location: 'http://169.254.169.254/' }).end(),
};

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      seen.push({ url: req.url ?? '', authorization: req.headers.authorization, method: req.method, body });
      const route = routes[new URL(req.url ?? '/', 'http://x').pathname.replace(/^\/prefix/, '')];
      if (route) route(req, res);
      else res.writeHead(404).end('not found');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const client = (extra: Record<string, unknown> = {}) => createBackendClient('Prometheus', resolveBackend({ url: `${base}/prefix/`, ...extra }, '/backend'));
const failure = async (promise: Promise<unknown>) => {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(BackendError);
  return error as BackendError;
};
/** The tool call's part of a request: an abort signal, and ctx.span as the kernel runs it with telemetry off. */
const signal = (abort: AbortSignal = new AbortController().signal): BackendCall => ({
  signal: abort,
  span: (_name, fn) => fn({ setAttribute: () => undefined, traceHeaders: () => ({}) }),
});

describe('backend client', () => {
  it('keeps the path prefix, encodes repeated query parameters and sends the configured credentials', async () => {
    const c = client({ auth: { type: 'bearer', token: 'tok-123' } });
    expect(await c.request({ path: '/ok', query: { 'match[]': ['up', 'a{b="c d"}'], skip: undefined } }, signal())).toEqual({ status: 'success', data: 42 });
    const last = seen.at(-1)!;
    expect(last.url).toBe('/prefix/ok?match%5B%5D=up&match%5B%5D=a%7Bb%3D%22c+d%22%7D');
    expect(last.authorization).toBe('Bearer tok-123');
    await c.request({ method: 'POST', path: '/ok', body: { a: 1 } }, signal());
    expect(seen.at(-1)).toMatchObject({ method: 'POST', body: '{"a":1}' });
    expect(await c.request({ path: '/empty' }, signal())).toBeUndefined();
    await c.close();
  });

  it('sends basic auth as a base64 user:password pair', async () => {
    const c = client({ auth: { type: 'basic', username: 'u', password: 'p@ss:word' } });
    await c.request({ path: '/ok' }, signal());
    expect(seen.at(-1)?.authorization).toBe(`Basic ${Buffer.from('u:p@ss:word').toString('base64')}`);
    await c.close();
  });

  it.each([
    ['/html', /answered GET \/html with something that is not JSON \(content-type text\/html\): check that backend\.url points at Prometheus itself/],
    ['/denied', /refused GET \/denied with HTTP 401 \(Unauthorized\): check backend\.auth/],
    ['/bad', /^Prometheus rejected the request \(HTTP 400\): bad_data: parse error at char 3\. Fix the arguments/],
    ['/boom', /failed on GET \/boom \(HTTP 503: overloaded\): check the server's health and logs/],
    ['/missing', /has no \/missing \(HTTP 404\): check that backend\.url is the Prometheus base URL, path prefix included/],
    ['/redirect', /answered GET \/redirect with a redirect, which is not followed: set backend\.url/],
  ])('%s becomes a clear error', async (path, message) => {
    const c = client();
    expect((await failure(c.request({ path }, signal()))).message).toMatch(message);
    await c.close();
  });

  it('refuses an answer larger than the cap instead of buffering it', async () => {
    const c = client();
    expect((await failure(c.request({ path: '/huge' }, signal()))).message).toMatch(/sent more than 33554432 bytes: narrow the request/);
    await c.close();
  });

  it('enforces backend.timeoutMs and tells a timeout from a cancellation', async () => {
    const c = client({ timeoutMs: 200 });
    expect((await failure(c.request({ path: '/hang' }, signal()))).message).toMatch(/did not answer GET \/hang within 200 ms: .*raise backend\.timeoutMs/);
    const cancelled = new AbortController();
    const pending = c.request({ path: '/hang' }, signal(cancelled.signal));
    setTimeout(() => cancelled.abort(), 20);
    expect((await failure(pending)).message).toMatch(/was cancelled/);
    await c.close();
  });

  it('says the backend cannot be reached when nothing listens', async () => {
    const port = await freePort();
    const c = createBackendClient('Alertmanager', resolveBackend({ url: `http://127.0.0.1:${port}` }, '/backend'));
    expect((await failure(c.request({ path: '/api/v2/status' }, signal()))).message).toMatch(
      /^Cannot reach Alertmanager at http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\): check backend\.url and that the server is running/,
    );
    await c.close();
  });
});

describe('backend client spans', () => {
  it('runs every request in a ctx.span named by its route, never by argument values', async () => {
    const spans: { name: string; attributes: Record<string, unknown> }[] = [];
    const call: BackendCall = {
      signal: new AbortController().signal,
      span: (name, fn) => {
        const record = { name, attributes: {} as Record<string, unknown> };
        spans.push(record);
        return fn({ setAttribute: (key, value) => (record.attributes[key] = value), traceHeaders: () => ({}) });
      },
    };
    const c = createBackendClient('Prometheus', resolveBackend({ url: base }, '/backend'));
    await c.request({ path: '/ok' }, call);
    await failure(c.request({ path: '/denied/secret-id', route: '/denied/{id}' }, call));
    expect(spans).toEqual([
      { name: 'prometheus GET /ok', attributes: { 'http.request.method': 'GET', 'server.address': '127.0.0.1', 'url.template': '/ok' } },
      { name: 'prometheus GET /denied/{id}', attributes: expect.objectContaining({ 'url.template': '/denied/{id}', 'http.response.status_code': 404 }) },
    ]);
    await c.close();
  });
});

describe('backend config', () => {
  it.each([
    [{ url: 'ftp://x' }, '/backend/url', 'must be http or https'],
    [{ url: 'not a url' }, '/backend/url', 'is not an absolute URL'],
    [{ url: 'http://user:pw@prom:9090' }, '/backend/url', 'put backend credentials in `auth`'],
    [{ url: 'https://prom', tls: { cert: '-----BEGIN CERTIFICATE-----' } }, '/backend/tls', 'tls.cert and tls.key go together'],
    [{ url: 'https://prom', auth: { type: 'digest' } }, '/backend/auth', 'auth must be'],
  ])('refuses %j at %s', (raw, path, message) => {
    expect(() => resolveBackend(raw, '/backend')).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID', path, message: expect.stringContaining(message) }));
  });

  it('drops a trailing slash but keeps a path prefix', () => {
    expect(resolveBackend({ url: 'https://gw.example.com/prometheus/' }, '/backend').url).toBe('https://gw.example.com/prometheus');
  });
});
