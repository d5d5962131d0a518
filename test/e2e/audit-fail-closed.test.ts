// With a fail-closed PostgreSQL sink killed mid-run, the server must answer nothing it would have to record: not
// the tool call (it already got -31050), and neither tools/list, nor a denial, nor a 401, nor the admin endpoint.
import { startTestKernel } from '@cnmcp/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgres, type TestPostgres } from '../support/postgres-server.js';

const KEY = 'Fail-Closed-Key-0042!';
const VIEWER = 'Fail-Closed-Viewer-0042!';
let db: TestPostgres;

beforeAll(async () => {
  db = await startPostgres();
}, 180_000);
afterAll(() => db?.stop());

describe('fail-closed audit: the server stops answering while it cannot record', () => {
  it('refuses tools/list, denials, 401s and /admin/audit with -31050 once the database is gone', async () => {
    const server = await startTestKernel({
      config: {
        auth: [
          {
            use: 'apikey',
            keys: [
              { id: 'ops', key: KEY, roles: ['admin'] },
              { id: 'viewer', key: VIEWER, roles: ['viewer'] },
            ],
          },
        ],
        authorization: { use: 'rbac', roles: { admin: { tools: ['*'], permissions: ['audit:read'] }, viewer: { tools: ['utilities_get_time'] } } },
        audit: [{ use: 'postgres', url: db.url, failClosed: true }],
        toolPacks: [{ use: 'utilities' }],
      },
    });
    const rpc = (key: string, method: string, params: Record<string, unknown> = {}) =>
      fetch(server.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2025-11-25', 'x-api-key': key },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
      });
    const call = (key: string, name: string) => rpc(key, 'tools/call', { name, arguments: name === 'utilities_hash' ? { input: 'x' } : {} });
    const answer = async (res: Response) => ({ status: res.status, body: await res.text() });
    try {
      // Up: everything is answered (and recorded).
      expect((await rpc(KEY, 'tools/list')).status).toBe(200);
      expect((await rpc('Wrong-Key-Value-0042!', 'tools/list')).status).toBe(401);
      expect((await answer(await call(VIEWER, 'utilities_hash'))).body).toContain('-32003');
      expect((await fetch(new URL('/admin/audit', server.origin), { headers: { 'x-api-key': KEY } })).status).toBe(200);

      await db.stop();
      // The first call after the kill is withheld by its own record (it fails to write): the state turns.
      expect((await answer(await call(KEY, 'utilities_hash'))).body).toContain('-31050');

      for (const [what, res] of [
        ['tools/list', await rpc(KEY, 'tools/list')],
        ['a tool call', await call(KEY, 'utilities_hash')],
        ['a denied tool call', await call(VIEWER, 'utilities_hash')],
        ['a wrong key', await rpc('Wrong-Key-Value-0042!', 'tools/list')],
        ['no key', await rpc('', 'tools/list')],
        ['/admin/audit', await fetch(new URL('/admin/audit', server.origin), { headers: { 'x-api-key': KEY } })],
        ['/admin/audit/stats', await fetch(new URL('/admin/audit/stats?since=1h', server.origin), { headers: { 'x-api-key': KEY } })],
      ] as const) {
        const { status, body } = await answer(res);
        expect([what, status]).toEqual([what, 503]);
        expect(JSON.parse(body)).toMatchObject({ error: { code: -31050, message: expect.stringContaining('audit log is unavailable') } });
        expect(body).not.toContain('utilities_');
      }
      // Liveness stays answered: nothing there is recorded.
      expect((await fetch(new URL('/healthz', server.origin))).status).toBe(200);
    } finally {
      await server.close();
    }
  }, 180_000);
});
