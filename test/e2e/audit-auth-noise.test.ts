// Issue 18: one auth.success per HTTP request buried the trail (51 events for 16 tool calls, one per scrape). Now
// a credential records once per window; every failure is still recorded, one by one.
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import type { AuditEvent } from '@cnmcp/core/plugin';
import { memoryAuditSink, startTestKernel, type TestKernel } from '@cnmcp/core/testing';
import { describe, expect, it } from 'vitest';

const KEYS = { bot: 'Noise-Bot-Key-000111!', scraper: 'Noise-Scrape-Key-222333!' };

async function start(events: AuditEvent[], authSuccess?: Record<string, unknown>): Promise<TestKernel> {
  return startTestKernel({
    config: {
      auth: [
        {
          use: 'apikey',
          keys: [
            { id: 'bot', key: KEYS.bot, roles: ['admin'] },
            { id: 'prometheus', key: KEYS.scraper, roles: ['metrics'] },
          ],
        },
      ],
      authorization: { use: 'rbac', roles: { admin: { tools: ['*'] }, metrics: { permissions: ['metrics:read'] } } },
      telemetry: { metrics: { enabled: true } },
      ...(authSuccess ? { auditing: { authSuccess } } : {}),
      audit: [{ use: 'memory' }],
      toolPacks: [{ use: 'utilities' }],
    },
    plugins: [memoryAuditSink(events)],
  });
}

/** 16 tool calls over one client, 4 scrapes and 3 guesses at a key: the traffic of the issue, shrunk. */
async function traffic(server: TestKernel): Promise<void> {
  const client = new Client({ name: 'noise', version: '1' }, { versionNegotiation: { mode: { pin: '2026-07-28' } } });
  await client.connect(new StreamableHTTPClientTransport(server.url, { requestInit: { headers: { 'x-api-key': KEYS.bot } } }));
  for (let i = 0; i < 16; i++) await client.callTool({ name: 'utilities_get_timestamp', arguments: {} });
  await client.close();
  for (let i = 0; i < 4; i++) {
    const res = await fetch(new URL('/metrics', server.origin), { headers: { 'x-api-key': KEYS.scraper } });
    expect(res.status).toBe(200);
    await res.text();
  }
  for (let i = 0; i < 3; i++) {
    const res = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': `Guessed-Key-${i}-abcdef!` },
      body: '{}',
    });
    expect(res.status).toBe(401);
    await res.text();
  }
  await server.kernel.audit.hub.flush();
}

const count = (events: AuditEvent[], type: string) => events.filter((e) => e.type === type).length;

describe('auth.success noise', () => {
  it('records each credential once per window by default, and every failure', async () => {
    const events: AuditEvent[] = [];
    const server = await start(events);
    try {
      await traffic(server);
      const successes = events.filter((e) => e.type === 'auth.success');
      expect(successes.map((e) => e.actor?.id).sort()).toEqual(['bot', 'prometheus']);
      expect(count(events, 'auth.failure')).toBe(3);
      expect(count(events, 'tool.call')).toBe(16);
      // The metric still counts every attempt: the audit trail is quieter, the signal is not.
      const metrics = await (await fetch(new URL('/metrics', server.origin), { headers: { 'x-api-key': KEYS.scraper } })).text();
      const apikeySuccess = /^cnmcp_auth_attempts_total\{method="apikey",outcome="success"\} (\d+)/m.exec(metrics);
      expect(Number(apikeySuccess?.[1])).toBeGreaterThanOrEqual(20);
    } finally {
      await server.close();
    }
  });

  it('records again once the window has passed', async () => {
    const events: AuditEvent[] = [];
    const server = await start(events, { windowSeconds: 1 });
    try {
      const scrape = async () => (await fetch(new URL('/metrics', server.origin), { headers: { 'x-api-key': KEYS.scraper } })).text();
      await scrape();
      await scrape();
      await new Promise((resolve) => setTimeout(resolve, 1100));
      await scrape();
      await server.kernel.audit.hub.flush();
      expect(count(events, 'auth.success')).toBe(2);
    } finally {
      await server.close();
    }
  });

  it('records every request with record: every-request', async () => {
    const events: AuditEvent[] = [];
    const server = await start(events, { record: 'every-request' });
    try {
      await traffic(server);
      // 16 calls (one HTTP request each on 2026-07-28) plus at least the client's own requests, and 4 scrapes.
      expect(count(events, 'auth.success')).toBeGreaterThanOrEqual(20);
      expect(count(events, 'auth.failure')).toBe(3);
    } finally {
      await server.close();
    }
  });
});
