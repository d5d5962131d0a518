// Behind a real HAProxy that appends X-Forwarded-For: clients are told apart by the address the proxy saw, a
// client's own (spoofed) X-Forwarded-For changes nothing, and neither does going around the proxy.
import { request } from 'node:http';
import type { AuditEvent } from '@cnmcp/core/plugin';
import { memoryAuditSink, startTestKernel, type TestKernel } from '@cnmcp/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHaproxy, type TestProxy } from '../support/haproxy-proxy.js';

const events: AuditEvent[] = [];
const memorySink = memoryAuditSink(events);

let server: TestKernel;
let proxy: TestProxy;
beforeAll(async () => {
  server = await startTestKernel({
    config: {
      server: { trustedProxies: ['127.0.0.1'] },
      rateLimit: { use: 'memory' },
      limits: { perIp: { points: 3, durationSeconds: 60 } },
      audit: [{ use: 'memory' }],
      toolPacks: [{ use: 'utilities' }],
    },
    plugins: [memorySink],
  });
  proxy = await startHaproxy(server.url.host);
});
afterAll(async () => {
  await proxy?.stop();
  await server?.close();
});

/** One ping from a given loopback source address (Linux routes all of 127.0.0.0/8 to lo), to the proxy or the server. */
function ping(origin: string, from: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      new URL('/mcp', origin),
      {
        method: 'POST',
        localAddress: from,
        agent: false,
        headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2025-11-25', ...headers },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' }));
  });
}

async function statuses(n: number, send: (i: number) => Promise<number>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(await send(i));
  return out;
}

describe('rate limits behind HAProxy', () => {
  it('counts each client by the address the proxy saw, whatever X-Forwarded-For it sends itself', async () => {
    expect(await statuses(5, (i) => ping(proxy.origin, '127.0.0.2', { 'x-forwarded-for': `198.51.100.${i}` }))).toEqual([200, 200, 200, 429, 429]);
    // Another client through the same proxy has its own count.
    expect(await statuses(3, () => ping(proxy.origin, '127.0.0.3'))).toEqual([200, 200, 200]);
    // Going around the proxy: the peer is not trusted, so its header is not read either.
    expect(await statuses(4, (i) => ping(server.origin, '127.0.0.4', { 'x-forwarded-for': `127.0.0.${10 + i}` }))).toEqual([200, 200, 200, 429]);

    await server.kernel.stop();
    expect(events.filter((e) => e.type === 'rate.limited').map((e) => e.source?.ip)).toEqual(['127.0.0.2', '127.0.0.2', '127.0.0.4']);
  });
});
