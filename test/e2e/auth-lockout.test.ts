import { afterEach, describe, expect, it } from 'vitest';
import type { AuditEvent } from '@cnmcp/core/plugin';
import { memoryAuditSink, startTestKernel, type TestKernel } from '@cnmcp/core/testing';

const KEY = 'Lockout-Test-Key-42!';
const events: AuditEvent[] = [];
const memorySink = memoryAuditSink(events);

let server: TestKernel | undefined;
afterEach(async () => {
  await server?.close();
  events.length = 0;
});

const list = (headers: Record<string, string>) =>
  fetch(server!.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2025-11-25', ...headers },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} }),
  });

describe('brute-force lockout with the real apikey strategy and memory store', () => {
  it('locks the address after 5 wrong keys, even for the right key, and audits the lockout', async () => {
    server = await startTestKernel({
      config: {
        authorization: { use: 'allow-all' },
        auth: [{ use: 'apikey', keys: [{ id: 'ops', key: KEY, roles: ['admin'] }] }],
        audit: [{ use: 'memory' }],
        toolPacks: [{ use: 'utilities' }],
      },
      plugins: [memorySink],
    });
    expect((await list({ 'x-api-key': KEY })).status).toBe(200);
    for (let i = 0; i < 5; i++) expect((await list({ 'x-api-key': `Wrong-Key-Attempt-${i}!` })).status).toBe(401);
    const locked = await list({ 'x-api-key': KEY });
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(800);
    expect(await locked.json()).toMatchObject({ error: { code: -31029, message: expect.stringContaining('too many failed authentication attempts') } });
    await server.kernel.stop();
    expect(events.filter((e) => e.type === 'auth.lockout')).toHaveLength(1);
    expect(events.filter((e) => e.type === 'auth.failure')).toHaveLength(5);
    expect(JSON.stringify(events)).not.toContain('Wrong-Key-Attempt');
    expect(JSON.stringify(events)).not.toContain(KEY);
  });

  it('does not count requests that carry no credential (OAuth-style discovery probes)', async () => {
    server = await startTestKernel({
      config: {
        authorization: { use: 'allow-all' },
        auth: [{ use: 'apikey', keys: [{ id: 'ops', key: KEY, roles: ['admin'] }] }],
        toolPacks: [{ use: 'utilities' }],
      },
    });
    for (let i = 0; i < 8; i++) expect((await list({})).status).toBe(401);
    expect((await list({ 'x-api-key': KEY })).status).toBe(200);
  });

  it('honours limits.authFailures', async () => {
    server = await startTestKernel({
      config: {
        authorization: { use: 'allow-all' },
        auth: [{ use: 'apikey', keys: [{ id: 'ops', key: KEY, roles: ['admin'] }] }],
        limits: { authFailures: { attempts: 2, lockoutSeconds: 60 } },
        toolPacks: [{ use: 'utilities' }],
      },
    });
    for (let i = 0; i < 2; i++) expect((await list({ 'x-api-key': 'Wrong-Key-Attempt-0!' })).status).toBe(401);
    const locked = await list({ 'x-api-key': KEY });
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeLessThanOrEqual(60);
  });
});
