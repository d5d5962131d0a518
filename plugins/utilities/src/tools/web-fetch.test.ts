import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULTS, type WebFetchSettings } from '../config-schema.js';
import { createTestToolContext, textOf } from '../testing/test-tool-context.js';
import type { Resolver } from '../web-fetch/ssrf-guard.js';
import { createWebFetchTool, type WebFetchArgs } from './web-fetch.js';

type FetchData = {
  url: string;
  status: number;
  headers: Record<string, string>;
  redirects: string[];
  bytes: number;
  truncated: boolean;
  binary: boolean;
  body?: string;
};

// A real server on loopback. Every request is recorded, so tests can prove a refused fetch never connected.
let server: Server;
let port: number;
let hits: { path: string; headers: IncomingHttpHeaders }[] = [];
const BIG = 'a'.repeat(200_000);

beforeAll(async () => {
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://test');
    hits.push({ path: url.pathname, headers: req.headers });
    switch (url.pathname) {
      case '/text':
        res
          .writeHead(200, { 'content-type': 'text/plain; charset=utf-8', 'content-length': '26', 'set-cookie': 'session=secret' })
          .end('hello from the test server');
        return;
      case '/echo-headers':
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(req.headers));
        return;
      case '/big':
        res.writeHead(200, { 'content-type': 'text/plain' });
        for (let i = 0; i < BIG.length; i += 10_000) res.write(BIG.slice(i, i + 10_000));
        res.end();
        return;
      case '/binary':
        res.writeHead(200, { 'content-type': 'image/png' }).end(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 1, 2, 3]));
        return;
      case '/redirect':
        res.writeHead(302, { location: url.searchParams.get('to') ?? '/text' }).end('moved');
        return;
      case '/loop':
        res.writeHead(301, { location: '/loop' }).end();
        return;
      case '/stall-headers':
        return; // never answers
      case '/stall-body':
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.write('partial');
        return; // never ends
      default:
        res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  hits = [];
});

const settings = (overrides: Partial<WebFetchSettings> = {}): WebFetchSettings => ({ ...DEFAULTS.webFetch, ...overrides });

async function fetchWith(config: Partial<WebFetchSettings>, args: WebFetchArgs, options: { signal?: AbortSignal; resolver?: Resolver } = {}) {
  const tool = createWebFetchTool(settings(config), options.resolver ? { resolver: options.resolver } : {});
  const ctx = createTestToolContext(options.signal ? { signal: options.signal } : {});
  const result = await tool.handler(args, ctx);
  return { result, text: textOf(result), data: result.structuredContent as FetchData | undefined, ctx };
}

const local = (path: string) => `http://127.0.0.1:${port}${path}`;

describe('utilities_web_fetch: SSRF guard', () => {
  it('refuses loopback by default, without connecting', async () => {
    const { result, text } = await fetchWith({}, { url: local('/text') });
    expect(result.isError).toBe(true);
    expect(text).toContain('127.0.0.1 is a loopback address');
    expect(text).toContain('allowHosts');
    expect(hits).toHaveLength(0);
  });

  it('refuses a hostname that resolves to loopback, without connecting', async () => {
    const { result, text, ctx } = await fetchWith({}, { url: `http://localhost:${port}/text` });
    expect(result.isError).toBe(true);
    expect(text).toMatch(/127\.0\.0\.1 \(resolved from "localhost"\) is a loopback address/);
    expect(hits).toHaveLength(0);
    expect(ctx.logs).toContainEqual({ level: 'warn', message: 'web fetch refused or failed', fields: { origin: `http://localhost:${port}`, code: 'BLOCKED' } });
  });

  it('refuses IPv6 loopback and IPv4-mapped loopback literals', async () => {
    for (const url of [`http://[::1]:${port}/text`, `http://[::ffff:127.0.0.1]:${port}/text`, `http://[::ffff:7f00:1]:${port}/text`]) {
      const { result, text } = await fetchWith({}, { url });
      expect(result.isError, url).toBe(true);
      expect(text, url).toContain('loopback');
    }
    expect(hits).toHaveLength(0);
  });

  it('refuses numeric host spellings that WHATWG URL parsing turns into blocked addresses', async () => {
    const refusals: [string, string][] = [
      [`http://2130706433:${port}/text`, '127.0.0.1 is a loopback address'],
      [`http://0x7f.1:${port}/text`, '127.0.0.1 is a loopback address'],
      [`http://0:${port}/text`, '0.0.0.0 is an unspecified address'],
    ];
    for (const [url, reason] of refusals) {
      const { result, text } = await fetchWith({ allowPrivateNetworks: url.includes('//0:') }, { url });
      expect(result.isError, url).toBe(true);
      expect(text, url).toContain(reason);
    }
    expect(hits).toHaveLength(0);
  });

  it('fetches loopback when allowHosts lists the address', async () => {
    const { result, data, text } = await fetchWith({ allowHosts: ['127.0.0.1'] }, { url: local('/text') });
    expect(result.isError).toBeUndefined();
    expect(data).toMatchObject({ status: 200, body: 'hello from the test server', truncated: false, binary: false, bytes: 26, redirects: [] });
    expect(data?.headers).toEqual({ 'content-type': 'text/plain; charset=utf-8', 'content-length': '26' });
    expect(text).toContain('HTTP 200 OK');
    expect(text).toContain('hello from the test server');
    expect(text).not.toContain('secret');
  });

  it('fetches loopback when allowPrivateNetworks is on', async () => {
    const { data } = await fetchWith({ allowPrivateNetworks: true }, { url: local('/text') });
    expect(data?.status).toBe(200);
  });

  it('refuses a redirect to a blocked address even when the first hop is allowed by name', async () => {
    // Only the name "localhost" is allowed; the same server reached as 127.0.0.1 is not.
    const first = await fetchWith({ allowHosts: ['localhost'] }, { url: `http://localhost:${port}/text` });
    expect(first.data?.status).toBe(200);
    hits = [];
    const { result, text } = await fetchWith(
      { allowHosts: ['localhost'] },
      { url: `http://localhost:${port}/redirect?to=${encodeURIComponent(local('/text'))}` },
    );
    expect(result.isError).toBe(true);
    expect(text).toContain(`redirect to ${local('/text')} refused`);
    expect(text).toContain('127.0.0.1 is a loopback address');
    expect(hits.map((h) => h.path)).toEqual(['/redirect']);
  });

  it('refuses a redirect to a cloud metadata address even with allowPrivateNetworks', async () => {
    const { result, text } = await fetchWith({ allowPrivateNetworks: true }, { url: local('/redirect?to=http://169.254.169.254/latest/meta-data/') });
    expect(result.isError).toBe(true);
    expect(text).toContain('169.254.169.254 is a cloud metadata service address');
  });

  it('refuses a redirect to a non-http scheme', async () => {
    const { result, text } = await fetchWith({ allowPrivateNetworks: true }, { url: local('/redirect?to=file:///etc/passwd') });
    expect(result.isError).toBe(true);
    expect(text).toContain('redirect to file:///etc/passwd refused: only http and https');
  });

  it('refuses non-http schemes and embedded credentials outright', async () => {
    for (const url of ['file:///etc/passwd', 'ftp://ftp.example.com/file', 'gopher://127.0.0.1:70/', 'data:text/plain,hi']) {
      const { result, text } = await fetchWith({}, { url });
      expect(result.isError, url).toBe(true);
      expect(text, url).toContain('only http and https');
    }
    const { text } = await fetchWith({ allowPrivateNetworks: true }, { url: `http://user:pw@127.0.0.1:${port}/text` });
    expect(text).toContain('embedded credentials');
    expect((await fetchWith({}, { url: 'not a url' })).text).toContain('not an absolute URL');
    expect(hits).toHaveLength(0);
  });

  it('lets denyHosts override allowPrivateNetworks', async () => {
    const { result, text } = await fetchWith({ allowPrivateNetworks: true, denyHosts: ['127.0.0.0/8'] }, { url: local('/text') });
    expect(result.isError).toBe(true);
    expect(text).toContain('denyHosts');
    expect(hits).toHaveLength(0);
  });

  it('connects to the address it checked, resolving DNS once per hop', async () => {
    // "app.test" exists only in this resolver; reaching the server proves the socket used the checked answer.
    const calls: string[] = [];
    const resolver: Resolver = async (hostname) => {
      calls.push(hostname);
      return [{ address: '127.0.0.1', family: 4 }];
    };
    const { data } = await fetchWith({ allowHosts: ['app.test'] }, { url: `http://app.test:${port}/text` }, { resolver });
    expect(data?.body).toBe('hello from the test server');
    expect(calls).toEqual(['app.test']);
  });

  it('refuses a host when any of its DNS answers is blocked', async () => {
    const resolver: Resolver = async () => [
      { address: '93.184.216.34', family: 4 },
      { address: '127.0.0.1', family: 4 },
    ];
    const { result, text } = await fetchWith({}, { url: `http://mixed.test:${port}/text` }, { resolver });
    expect(result.isError).toBe(true);
    expect(text).toContain('127.0.0.1 (resolved from "mixed.test") is a loopback address');
    expect(hits).toHaveLength(0);
  });

  it('refuses metadata host names before resolving them', async () => {
    let resolved = false;
    const resolver: Resolver = async () => {
      resolved = true;
      return [];
    };
    const { result, text } = await fetchWith({}, { url: 'http://metadata.google.internal/computeMetadata/v1/' }, { resolver });
    expect(result.isError).toBe(true);
    expect(text).toContain('cloud metadata service');
    expect(resolved).toBe(false);
  });

  it('fails at setup on a malformed allowHosts entry', () => {
    expect(() => createWebFetchTool(settings({ allowHosts: ['10.0.0.0/99'] }))).toThrow(/webFetch\.allowHosts\[0\]/);
  });
});

describe('utilities_web_fetch: requests and responses', () => {
  const open = { allowPrivateNetworks: true };

  it('follows allowed redirects and reports them', async () => {
    const { data } = await fetchWith(open, { url: local('/redirect?to=/text') });
    expect(data).toMatchObject({ status: 200, url: local('/text'), redirects: [local('/text')], body: 'hello from the test server' });
  });

  it('stops after maxRedirects', async () => {
    const { result, text } = await fetchWith({ ...open, maxRedirects: 2 }, { url: local('/loop') });
    expect(result.isError).toBe(true);
    expect(text).toContain('more than 2 redirects');
    expect(hits).toHaveLength(3);
  });

  it('truncates a body over maxBytes while streaming', async () => {
    const { data, text } = await fetchWith({ ...open, maxBytes: 1000 }, { url: local('/big') });
    expect(data).toMatchObject({ status: 200, truncated: true, bytes: 1000 });
    expect(data?.body).toBe('a'.repeat(1000));
    expect(text).toContain('truncated at the 1000-byte limit');
  });

  it('describes binary bodies instead of returning them', async () => {
    const { data, text } = await fetchWith(open, { url: local('/binary') });
    expect(data).toMatchObject({ binary: true, bytes: 12, truncated: false });
    expect(data?.body).toBeUndefined();
    expect(text).toContain('Binary content (image/png), 12 bytes');
  });

  it('returns non-2xx statuses as results, not errors', async () => {
    const { result, data } = await fetchWith(open, { url: local('/missing') });
    expect(result.isError).toBeUndefined();
    expect(data).toMatchObject({ status: 404, body: 'not found' });
  });

  it('supports HEAD', async () => {
    const { data, text } = await fetchWith(open, { url: local('/text'), method: 'HEAD' });
    expect(data).toMatchObject({ status: 200, bytes: 0, binary: false });
    expect(data?.body).toBeUndefined();
    expect(text).toContain('HEAD request: no body.');
    expect(hits[0]?.path).toBe('/text');
  });

  it('sends caller headers and refuses Host and hop-by-hop overrides', async () => {
    const { data } = await fetchWith(open, { url: local('/echo-headers'), headers: { 'X-Trace': 'abc-123' } });
    const echoed = JSON.parse(data?.body ?? '{}') as Record<string, string>;
    expect(echoed['x-trace']).toBe('abc-123');
    expect(echoed['accept-encoding']).toBe('identity');
    expect(echoed.host).toBe(`127.0.0.1:${port}`);
    for (const name of ['Host', 'Connection', 'Transfer-Encoding', 'Upgrade', 'Proxy-Authorization']) {
      const { result, text } = await fetchWith(open, { url: local('/echo-headers'), headers: { [name]: 'x' } });
      expect(result.isError, name).toBe(true);
      expect(text, name).toContain(`header "${name}" cannot be set`);
    }
    expect((await fetchWith(open, { url: local('/echo-headers'), headers: { 'X-Evil': 'a\r\nHost: other' } })).text).toContain('line break');
    expect(hits).toHaveLength(1);
  });

  it('sends only the allowlisted headers on a redirect to another origin, every header on the same origin', async () => {
    const sent = { Authorization: 'Bearer t0ken', 'X-API-Key': 'k3y', 'Private-Token': 'p4t', Cookie: 'c=1', 'X-Custom': 'yes', 'Accept-Language': 'de' };
    const target = `http://localhost:${port}/echo-headers`; // another origin: the host differs
    const { data } = await fetchWith(open, { url: local(`/redirect?to=${encodeURIComponent(target)}`), headers: sent });
    const echoed = JSON.parse(data?.body ?? '{}') as Record<string, string>;
    expect(hits[0]?.headers).toMatchObject({ authorization: 'Bearer t0ken', 'x-api-key': 'k3y', 'private-token': 'p4t', 'x-custom': 'yes' });
    for (const name of ['authorization', 'x-api-key', 'private-token', 'cookie', 'x-custom']) expect(echoed[name], name).toBeUndefined();
    expect(echoed['accept-language']).toBe('de');
    expect(echoed['user-agent']).toContain('cnmcp-utilities');

    hits = [];
    const same = await fetchWith(open, { url: local(`/redirect?to=${encodeURIComponent('/echo-headers')}`), headers: sent });
    expect(JSON.parse(same.data?.body ?? '{}')).toMatchObject({ authorization: 'Bearer t0ken', 'x-api-key': 'k3y', 'private-token': 'p4t', 'x-custom': 'yes' });
  });

  it('does not send a dropped header again when a later redirect returns to the first origin', async () => {
    const back = local('/echo-headers');
    const away = `http://localhost:${port}/redirect?to=${encodeURIComponent(back)}`;
    const { data } = await fetchWith(open, { url: local(`/redirect?to=${encodeURIComponent(away)}`), headers: { 'X-API-Key': 'k3y' } });
    expect(data?.redirects).toEqual([away, back]);
    expect(JSON.parse(data?.body ?? '{}')['x-api-key']).toBeUndefined();
  });

  it('times out when the server never answers', async () => {
    const started = performance.now();
    const { result, text } = await fetchWith({ ...open, timeoutMs: 200 }, { url: local('/stall-headers') });
    expect(performance.now() - started).toBeLessThan(2000);
    expect(result.isError).toBe(true);
    expect(text).toContain('timed out after 200 ms');
  });

  it('times out when the body stalls', async () => {
    const started = performance.now();
    const { result, text } = await fetchWith({ ...open, timeoutMs: 200 }, { url: local('/stall-body') });
    expect(performance.now() - started).toBeLessThan(2000);
    expect(result.isError).toBe(true);
    expect(text).toContain('timed out');
  });

  it('stops when the call is cancelled', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const started = performance.now();
    const { result, text } = await fetchWith(open, { url: local('/stall-headers') }, { signal: controller.signal });
    expect(performance.now() - started).toBeLessThan(2000);
    expect(result.isError).toBe(true);
    expect(text).toContain('cancelled');
  });

  it('logs the origin only, never the path, query or body', async () => {
    const { ctx } = await fetchWith(open, { url: local('/text?token=s3cret') });
    const logged = JSON.stringify(ctx.logs);
    expect(logged).toContain(`http://127.0.0.1:${port}`);
    expect(logged).not.toContain('s3cret');
    expect(logged).not.toContain('hello from the test server');
  });
});
