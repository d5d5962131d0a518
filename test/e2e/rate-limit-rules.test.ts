// Rate-limit rules in the real kernel with the memory store: per address (behind trusted proxies or not), per
// identity, per tool, burst, allow and deny lists, and what a refused client and the operator see.
import { definePlugin, type AuditEvent } from '@cnmcp/core/plugin';
import { memoryAuditSink, startTestKernel, type TestKernel } from '@cnmcp/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { connectLegacySse, rpcErrorOf } from '../support/clients.js';
import { jsonRpcMessagesOf, rawRequest, type RawResponse } from '../support/raw-http.js';
import { parsePrometheusText, sampleValue } from '../support/prometheus-text.js';

const events: AuditEvent[] = [];
const memorySink = memoryAuditSink(events);

const tool = (name: string) => ({
  name,
  description: `Tool ${name}`,
  inputSchema: { type: 'object', properties: {}, additionalProperties: false } as const,
  handler: async () => ({ content: [{ type: 'text' as const, text: name }] }),
});
const pack = definePlugin({
  kind: 'tool-pack',
  name: 'pack',
  configSchema: { type: 'object', additionalProperties: false },
  setup: async () => ({ tools: [tool('pack_get_item'), tool('pack_delete_item'), tool('pack_delete_all')] }),
});

const KEYS = { alice: 'Alice-Rate-Limit-Key-1!', bob: 'Bob-Rate-Limit-Key-22!' };
const auth = [{ use: 'apikey', keys: Object.entries(KEYS).map(([id, key]) => ({ id, key, roles: ['admin'] })) }];
// /metrics takes the metrics:read permission, granted by the rbac config (a role name alone grants nothing).
const authorization = { use: 'rbac', roles: { admin: { tools: ['*'], permissions: ['metrics:read'] } } };

let server: TestKernel | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
  events.length = 0;
});

const start = (config: Record<string, unknown>) =>
  startTestKernel({
    config: { rateLimit: { use: 'memory' }, audit: [{ use: 'memory' }], toolPacks: [{ use: 'pack' }], telemetry: { metrics: { enabled: true } }, ...config },
    plugins: [memorySink, pack],
  });

let id = 0;
function rpc(method: string, params: Record<string, unknown>, headers: Record<string, string> = {}): Promise<RawResponse> {
  return rawRequest(server!.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2025-11-25', ...headers },
    body: JSON.stringify({ jsonrpc: '2.0', id: ++id, method, params }),
  });
}
/** `cnmcp_rate_limited_total` as the server's own /metrics reports it. */
async function rateLimited(limit: string, headers: Record<string, string> = {}): Promise<number | undefined> {
  const page = await fetch(new URL('/metrics', server!.origin), { headers });
  return sampleValue(parsePrometheusText(await page.text()), 'cnmcp_rate_limited_total', { limit });
}
const ping = (headers: Record<string, string> = {}) => rpc('ping', {}, headers);
const call = (name: string, headers: Record<string, string>) => rpc('tools/call', { name, arguments: {} }, headers);
const rpcError = (r: RawResponse) =>
  jsonRpcMessagesOf(r.headers['content-type'] as string | undefined, r.body)[0]?.error as { code: number; message: string } | undefined;

async function statuses(n: number, send: (i: number) => Promise<RawResponse>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push((await send(i)).status);
  return out;
}

describe('per-address limits and the client address', () => {
  it('keys by the X-Forwarded-For client behind a trusted proxy, with RateLimit-* headers, audit and metric', async () => {
    server = await start({ server: { trustedProxies: ['127.0.0.0/8'] }, limits: { perIp: { points: 2, durationSeconds: 60 } } });
    const from = (client: string) => () => ping({ 'x-forwarded-for': `${client}, 127.0.0.2` });
    const first = await from('203.0.113.7')();
    expect(first.status).toBe(200);
    expect(first.headers).toMatchObject({ 'ratelimit-limit': '2', 'ratelimit-remaining': '1' });
    expect(Number(first.headers['ratelimit-reset'])).toBeGreaterThan(50);
    expect((await from('203.0.113.7')()).status).toBe(200);
    const refused = await from('203.0.113.7')();
    expect(refused.status).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(59);
    expect(refused.headers).toMatchObject({ 'ratelimit-limit': '2', 'ratelimit-remaining': '0', 'ratelimit-reset': refused.headers['retry-after'] });
    expect(rpcError(refused)).toMatchObject({ code: -31029, message: expect.stringContaining('rate limit exceeded (ip)') });
    // Another client behind the same proxy has its own count.
    expect(await statuses(2, from('198.51.100.9'))).toEqual([200, 200]);
    expect(await rateLimited('ip')).toBe(1);

    await server.kernel.stop();
    const limited = events.filter((e) => e.type === 'rate.limited');
    expect(limited).toHaveLength(1);
    expect(limited[0]).toMatchObject({
      outcome: 'denied',
      source: { ip: '203.0.113.7' },
      error: { code: 'RATE_LIMITED' },
      details: { rule: 'ip', scope: 'ip', limit: 2 },
    });
  });

  it('ignores X-Forwarded-For from an untrusted peer: rotating a spoofed header does not evade the limit', async () => {
    server = await start({ server: { trustedProxies: ['10.0.0.0/8'] }, limits: { perIp: { points: 3, durationSeconds: 60 } } });
    expect(await statuses(6, (i) => ping({ 'x-forwarded-for': `198.51.100.${i}` }))).toEqual([200, 200, 200, 429, 429, 429]);
    await server.kernel.stop();
    expect(events.filter((e) => e.type === 'rate.limited').map((e) => e.source?.ip)).toEqual(['127.0.0.1', '127.0.0.1', '127.0.0.1']);
  });

  it('exempts allow-listed addresses from perIp and refuses deny-listed ones with 403', async () => {
    server = await start({ limits: { perIp: { points: 1, durationSeconds: 60 }, allowList: ['127.0.0.0/8'] } });
    expect(await statuses(4, () => ping())).toEqual([200, 200, 200, 200]);
    await server.close();

    server = await start({ server: { trustedProxies: ['127.0.0.1'] }, limits: { denyList: ['192.0.2.0/24'] } });
    const denied = await ping({ 'x-forwarded-for': '192.0.2.44' });
    expect(denied.status).toBe(403);
    expect(rpcError(denied)).toMatchObject({ code: -32003, message: 'requests from this address are not accepted' });
    expect((await ping({ 'x-forwarded-for': '198.51.100.1' })).status).toBe(200);
  });

  it('allows a burst above the steady rate, then refuses', async () => {
    server = await start({ limits: { perIp: { points: 2, durationSeconds: 60, burst: { points: 2, durationSeconds: 600 } } } });
    expect(await statuses(5, () => ping())).toEqual([200, 200, 200, 200, 429]);
    expect(server.kernel.pipeline().find((s) => s.stage === 'limit(ip)')?.detail).toContain('+2 burst per 600s');
  });

  it('names a bad CIDR by its config path before anything listens', async () => {
    await expect(start({ server: { trustedProxies: ['10.0.0.0/8', '10.0.0.0/40'] }, limits: { denyList: ['localhost'] } })).rejects.toThrow(
      /\/server\/trustedProxies\/1: "10\.0\.0\.0\/40" is not an IP address or CIDR[\s\S]*\/limits\/denyList\/0/,
    );
  });
});

describe('per-identity and per-tool limits', () => {
  it('counts each identity on its own, from the same address', async () => {
    server = await start({ auth, authorization, limits: { perIdentity: { points: 2, durationSeconds: 60 } } });
    const asAlice = () => ping({ 'x-api-key': KEYS.alice });
    expect(await statuses(3, asAlice)).toEqual([200, 200, 429]);
    expect((await ping({ 'x-api-key': KEYS.bob })).status).toBe(200);
    await server.kernel.stop();
    expect(events.find((e) => e.type === 'rate.limited')).toMatchObject({ actor: { id: 'alice' }, details: { rule: 'identity', scope: 'identity' } });
  });

  it('limits the tools a pattern matches per identity with JSON-RPC -31029, leaving other tools alone', async () => {
    server = await start({ auth, authorization, limits: { perTool: [{ tools: 'pack_delete_*', points: 2, durationSeconds: 60 }] } });
    const alice = { 'x-api-key': KEYS.alice };
    // Both delete tools draw from one count.
    expect(rpcError(await call('pack_delete_item', alice))).toBeUndefined();
    expect(rpcError(await call('pack_delete_all', alice))).toBeUndefined();
    const refused = await call('pack_delete_item', alice);
    expect(refused.status).toBe(200);
    expect(rpcError(refused)).toMatchObject({
      code: -31029,
      message: expect.stringMatching(/rate limit exceeded \(tool\[0\]:pack_delete_\*\); retry after \d+s/),
    });
    expect(rpcError(await call('pack_get_item', alice))).toBeUndefined();
    expect(rpcError(await call('pack_delete_item', { 'x-api-key': KEYS.bob }))).toBeUndefined();
    expect(await rateLimited('tool', alice)).toBe(1);
    await server.kernel.stop();
    expect(events.filter((e) => e.type === 'rate.limited')).toEqual([
      expect.objectContaining({ tool: 'pack_delete_item', actor: expect.objectContaining({ id: 'alice' }) }),
    ]);
  });

  it('refuses inside an open legacy SSE stream with a JSON-RPC error, the stream staying usable', async () => {
    server = await start({ limits: { perTool: [{ tools: 'pack_delete_*', points: 1, durationSeconds: 60 }] } });
    const client = await connectLegacySse(server.origin);
    try {
      await client.callTool('pack_delete_item', {});
      const error = await rpcErrorOf(client.callTool('pack_delete_item', {}));
      expect(error.code).toBe(-31029);
      expect(error.message).toContain('rate limit exceeded (tool[0]:pack_delete_*)');
      expect((await client.callTool('pack_get_item', {})).content).toEqual([{ type: 'text', text: 'pack_get_item' }]);
    } finally {
      await client.close();
    }
  });
});
