// Attacks on the seams between stages (issue 14): batches that skip rate limits, work done before authentication,
// slow bodies, and headers Node would quietly reduce to one. Real kernel, raw HTTP and raw sockets.
import { connect } from 'node:net';
import { request } from 'node:http';
import { definePlugin } from '@cnmcp/core/plugin';
import { startTestKernel, type TestKernel } from '@cnmcp/core/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

const KEY = 'Seam-Test-Key-0042!';
let hits = 0;

const pack = definePlugin({
  kind: 'tool-pack',
  name: 'seam',
  configSchema: { type: 'object' },
  setup: async () => ({
    tools: [
      {
        name: 'seam_hit',
        description: 'counts its calls',
        inputSchema: { type: 'object' },
        annotations: { readOnlyHint: true },
        handler: async () => {
          hits++;
          return { content: [{ type: 'text' as const, text: 'hit' }] };
        },
      },
    ],
  }),
});

const start = (server: Record<string, unknown> = {}, limits?: Record<string, unknown>) =>
  startTestKernel({
    config: {
      server,
      auth: [{ use: 'apikey', keys: [{ id: 'ops', key: KEY, roles: ['admin'] }] }],
      ...(limits ? { rateLimit: { use: 'memory' }, limits } : {}),
      toolPacks: [{ use: 'seam' }],
    },
    plugins: [pack],
  });

const hit = (id: number) => ({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'seam_hit', arguments: {} } });

/** Opens a legacy SSE stream; resolves with the POST path its first event names, and a way to close it. */
function openSse(origin: string): Promise<{ endpoint: string; events: string[]; close(): void }> {
  return new Promise((resolve, reject) => {
    const events: string[] = [];
    const req = request(new URL('/sse', origin), { headers: { 'x-api-key': KEY, accept: 'text/event-stream' }, agent: false }, (res) => {
      let endpoint: string | undefined;
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        events.push(chunk);
        const match = /event: endpoint\ndata: (\S+)/.exec(events.join(''));
        if (match && endpoint === undefined) {
          endpoint = match[1]!;
          resolve({ endpoint, events, close: () => req.destroy() });
        }
      });
    });
    req.on('error', reject);
    req.end();
  });
}

const postJson = (url: URL, body: unknown, headers: Record<string, string> = {}) =>
  fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'x-api-key': KEY, ...headers },
    body: JSON.stringify(body),
  });

/** Writes raw bytes on a fresh connection and resolves with everything the server sent before closing. */
function rawExchange(port: number, head: string, body = ''): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.end(head + body));
    let answer = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (answer += chunk));
    socket.on('close', () => resolve(answer));
    socket.on('error', reject);
    socket.setTimeout(15_000, () => socket.destroy(new Error(`no answer within 15 s; got ${JSON.stringify(answer.slice(0, 200))}`)));
  });
}

const statusOf = (raw: string) => Number(/^HTTP\/1\.1 (\d{3})/.exec(raw)?.[1] ?? 0);

describe('seam 6: batches count per message and are bounded on every transport', () => {
  let server: TestKernel;
  beforeAll(async () => {
    server = await start();
  });
  afterAll(() => server.close());
  afterEach(() => void (hits = 0));

  it('refuses one POST of 3,000 tools/call messages to legacy SSE /messages before running any', async () => {
    const sse = await openSse(server.origin);
    try {
      const batch = Array.from({ length: 3000 }, (_, i) => hit(i + 1));
      const res = await postJson(new URL(sse.endpoint, server.origin), batch);
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ error: { code: -32600, message: expect.stringContaining('server.maxBatchSize') } });
      // Give a wrongly delivered batch every chance to run before counting.
      await new Promise((r) => setTimeout(r, 500));
      expect(hits).toBe(0);
    } finally {
      sse.close();
    }
  });

  it('refuses a batch on Streamable HTTP under a revision that removed batching (2025-06-18 and later)', async () => {
    const res = await postJson(server.url, [hit(1), hit(2)], { 'mcp-protocol-version': '2025-06-18' });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { message: 'protocol revision 2025-06-18 does not accept batches' } });
    expect(hits).toBe(0);
  });
});

describe('seam 6: rate limits count every message of a batch', () => {
  let server: TestKernel;
  beforeAll(async () => {
    server = await start({}, { perIp: { points: 10, durationSeconds: 60 } });
  });
  afterAll(() => server.close());

  it('refuses a legacy SSE batch of 20 calls on a perIp of 10 points, running none of them', async () => {
    hits = 0;
    const sse = await openSse(server.origin);
    try {
      const res = await postJson(
        new URL(sse.endpoint, server.origin),
        Array.from({ length: 20 }, (_, i) => hit(i + 1)),
      );
      expect(res.status).toBe(429);
      expect(res.headers.get('retry-after')).toBeTruthy();
      await new Promise((r) => setTimeout(r, 500));
      expect(hits).toBe(0);
    } finally {
      sse.close();
    }
  });
});

describe('seam 8: authentication before the body, and bounded slow clients', () => {
  let server: TestKernel;
  beforeAll(async () => {
    server = await start({ maxBodyBytes: 2 * 1024 * 1024, headersTimeoutMs: 1000, requestTimeoutMs: 1000 });
  });
  afterAll(() => server.close());

  it('refuses a 1 MiB nested body without credentials with 401 and never parses it', async () => {
    const depth = 512 * 1024;
    const body = '['.repeat(depth) + ']'.repeat(depth);
    const parse = JSON.parse;
    let bigParses = 0;
    JSON.parse = ((text: string, reviver?: Parameters<typeof JSON.parse>[1]) => {
      if (typeof text === 'string' && text.length > 100_000) bigParses++;
      return parse(text, reviver);
    }) as typeof JSON.parse;
    try {
      const res = await fetch(server.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
        body,
      });
      expect(res.status).toBe(401);
      await res.body?.cancel();
    } finally {
      JSON.parse = parse;
    }
    expect(bigParses).toBe(0);
  });

  it('cuts a slow-loris body at server.requestTimeoutMs instead of waiting on it', async () => {
    const socket = connect(Number(server.url.port), '127.0.0.1');
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    socket.write(`POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nX-API-Key: ${KEY}\r\nContent-Length: 1000\r\n\r\n`);
    let answer = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (answer += chunk));
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    socket.on('error', () => undefined);
    // One byte every 200 ms would take 200 s for the whole body; the server must not wait that long.
    let sent = 0;
    const trickle = setInterval(() => {
      if (!socket.destroyed && sent < 100) socket.write(sent++ === 0 ? '[' : ' ');
    }, 200);
    const cut = await Promise.race([closed.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 20_000))]);
    clearInterval(trickle);
    socket.destroy();
    expect(cut).toBe(true);
    expect(sent).toBeLessThan(100);
    if (answer) expect(statusOf(answer)).toBe(408);
  }, 30_000);
});

describe('seam 9: two credentials, one answer; a strict Host', () => {
  let server: TestKernel;
  let port: number;
  beforeAll(async () => {
    server = await start();
    port = Number(server.url.port);
  });
  afterAll(() => server.close());

  const head = (extra: string[]) =>
    [
      'POST /mcp HTTP/1.1',
      'Content-Type: application/json',
      'Accept: application/json, text/event-stream',
      'MCP-Protocol-Version: 2025-11-25',
      'Connection: close',
      ...extra,
    ].join('\r\n') + '\r\n';
  const list = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} });
  const withBody = (lines: string[]) => head([...lines, `Content-Length: ${Buffer.byteLength(list)}`]) + '\r\n';

  it('refuses two Authorization headers (Node would keep the first, a valid key) with 400', async () => {
    const answer = await rawExchange(port, withBody(['Host: 127.0.0.1', `Authorization: ApiKey ${KEY}`, 'Authorization: Bearer not-a-token']), list);
    expect(statusOf(answer)).toBe(400);
    expect(answer).toContain('header(s) sent more than once: authorization');
  });

  it('refuses two X-API-Key headers with 400, not a 401 for their joined value', async () => {
    const answer = await rawExchange(port, withBody(['Host: 127.0.0.1', `X-API-Key: ${KEY}`, 'X-API-Key: another-key']), list);
    expect(statusOf(answer)).toBe(400);
  });

  it('answers Host localhost:1@evil.example with 400, never 500', async () => {
    const answer = await rawExchange(port, withBody(['Host: localhost:1@evil.example', `X-API-Key: ${KEY}`]), list);
    expect(statusOf(answer)).toBe(400);
    expect(answer).toContain('malformed Host header');
  });

  it('still serves one credential and a plain Host', async () => {
    const answer = await rawExchange(port, withBody([`Host: 127.0.0.1:${port}`, `X-API-Key: ${KEY}`]), list);
    expect(statusOf(answer)).toBe(200);
    expect(answer).toContain('seam_hit');
  });
});
