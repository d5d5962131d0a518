import { afterEach, describe, expect, it } from 'vitest';
import { definePlugin } from '../plugin/define-plugin.js';
import type { AuditEvent, AuditFilter } from '../plugin/ports/audit-sink.js';
import { startTestKernel, type TestKernel } from '../testing/start-test-kernel.js';

// Doubles: an auth strategy that trusts an x-test-role header (tests only), and an in-memory queryable sink.
const roleHeader = definePlugin({
  kind: 'auth',
  name: 'role-header',
  configSchema: { type: 'object' },
  setup: async () => ({
    scheme: 'Test',
    authenticate: async (req) => {
      const role = req.headers['x-test-role'];
      return typeof role === 'string'
        ? { kind: 'ok' as const, identity: { id: `${role}-user`, authMethod: 'test', roles: [role] } }
        : { kind: 'none' as const };
    },
  }),
});
// An authorizer double: every tool, and the server permissions to the `admin` role only.
const adminGate = definePlugin({
  kind: 'authorizer',
  name: 'admin-gate',
  configSchema: { type: 'object' },
  setup: async () => ({
    authorize: (identity, target) =>
      target.kind !== 'permission' || identity.roles.includes('admin') ? { allow: true as const } : { allow: false as const, reason: 'not admin' },
    visibleTools: (_identity, tools) => tools,
  }),
});
const stored: AuditEvent[] = [];
async function* memoryQuery(filter: AuditFilter) {
  let n = 0;
  for (const e of stored) {
    if ((filter.type && e.type !== filter.type) || (filter.after && e.id <= filter.after)) continue;
    if (n++ >= (filter.limit ?? Infinity)) return;
    yield e;
  }
}
const memory = definePlugin({
  kind: 'audit-sink',
  name: 'memory',
  configSchema: { type: 'object' },
  setup: async () => ({
    write: async (batch) => void stored.push(...batch),
    query: memoryQuery,
    close: async () => {},
  }),
});
const store = definePlugin({
  kind: 'rate-limit-store',
  name: 'memory',
  configSchema: { type: 'object' },
  setup: async () => ({
    consume: async () => ({ allowed: true as const, remaining: 1, resetMs: 0 }),
    peek: async () => ({ allowed: true as const, remaining: 1, resetMs: 0 }),
    reset: async () => {},
  }),
});

let server: TestKernel;
afterEach(async () => {
  await server?.close();
  stored.length = 0;
});

const get = (path: string, role?: string) => fetch(new URL(path, server.origin), { headers: role ? { 'x-test-role': role } : {} });

describe('/admin/audit', () => {
  it('requires the admin role, and pages through events with a cursor', async () => {
    server = await startTestKernel({
      config: { auth: [{ use: 'role-header' }], authorization: { use: 'admin-gate' }, audit: [{ use: 'memory' }] },
      plugins: [roleHeader, adminGate, memory, store],
    });
    for (let i = 0; i < 3; i++) await get('/admin/audit', 'viewer');
    expect((await get('/admin/audit')).status).toBe(401);
    const denied = await get('/admin/audit', 'viewer');
    expect(denied.status).toBe(403);
    const first = (await (await get('/admin/audit?limit=2', 'admin')).json()) as { events: AuditEvent[]; next?: string };
    expect(first.events).toHaveLength(2);
    expect(first.next).toBe(first.events[1]!.id);
    const second = (await (await get(`/admin/audit?limit=2&after=${first.next}`, 'admin')).json()) as { events: AuditEvent[] };
    expect(second.events[0]!.id > first.next!).toBe(true);
    expect((await get('/admin/audit?outcome=maybe', 'admin')).status).toBe(400);
  });

  it('counts events by type, outcome, tool and actor', async () => {
    server = await startTestKernel({
      config: { auth: [{ use: 'role-header' }], authorization: { use: 'admin-gate' }, audit: [{ use: 'memory' }] },
      plugins: [roleHeader, adminGate, memory, store],
    });
    await get('/admin/audit', 'viewer');
    await new Promise((r) => setTimeout(r, 20));
    const stats = (await (await get('/admin/audit/stats', 'admin')).json()) as {
      total: number;
      byType: Record<string, number>;
      byActor: Record<string, number>;
    };
    expect(stats.byType['access.denied']).toBe(1);
    expect(stats.byActor['viewer-user']).toBeGreaterThanOrEqual(1);
    expect(stats.total).toBeGreaterThanOrEqual(3);
  });

  it('records every read of the log as audit.read, with the filters it used', async () => {
    server = await startTestKernel({
      config: { auth: [{ use: 'role-header' }], authorization: { use: 'admin-gate' }, audit: [{ use: 'memory' }] },
      plugins: [roleHeader, adminGate, memory, store],
    });
    expect((await get('/admin/audit?actor=viewer-user&limit=5', 'admin')).status).toBe(200);
    expect((await get('/admin/audit/stats?type=tool.call', 'admin')).status).toBe(200);
    await new Promise((r) => setTimeout(r, 20));
    const reads = stored.filter((e) => e.type === 'audit.read');
    expect(reads.map((e) => [e.actor?.id, e.outcome, e.details])).toEqual([
      ['admin-user', 'success', { path: '/admin/audit', filters: { actor: 'viewer-user', limit: '5' } }],
      ['admin-user', 'success', { path: '/admin/audit/stats', filters: { type: 'tool.call' } }],
    ]);
  });

  it('withholds the page when a fail-closed sink cannot record the read', async () => {
    let failing = false;
    const fragile = definePlugin({
      kind: 'audit-sink',
      name: 'fragile',
      configSchema: { type: 'object' },
      setup: async () => ({
        failClosed: true,
        write: async (batch) => (failing ? Promise.reject(new Error('disk full')) : void stored.push(...batch)),
        query: memoryQuery,
        close: async () => {},
      }),
    });
    server = await startTestKernel({
      config: { auth: [{ use: 'role-header' }], authorization: { use: 'admin-gate' }, audit: [{ use: 'fragile' }] },
      plugins: [roleHeader, adminGate, fragile, store],
    });
    expect((await get('/admin/audit', 'admin')).status).toBe(200);
    failing = true;
    const refused = await get('/admin/audit', 'admin');
    expect(refused.status).toBe(503);
    expect(await refused.text()).not.toContain('"events"');
  });
});
