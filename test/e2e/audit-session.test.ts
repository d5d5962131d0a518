import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { definePlugin, type AuditEvent } from '@cnmcp/core/plugin';
import { startTestKernel } from '@cnmcp/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import postgres from '../../plugins/audit/src/postgres/plugin.js';
import { startPostgres, type TestPostgres } from '../support/postgres-server.js';

const KEY = 'Session-Test-Key-007!';
const pack = definePlugin({
  kind: 'tool-pack',
  name: 'session',
  configSchema: { type: 'object' },
  setup: async () => ({
    tools: [
      {
        name: 'session_echo_note',
        description: 'echo',
        inputSchema: { type: 'object', properties: { note: { type: 'string' } } },
        annotations: { readOnlyHint: true },
        handler: async (a: Record<string, unknown>) => ({ content: [{ type: 'text' as const, text: String(a.note) }] }),
      },
      {
        name: 'session_fail_always',
        description: 'fails',
        inputSchema: { type: 'object' },
        annotations: { readOnlyHint: true },
        handler: async () => ({ content: [{ type: 'text' as const, text: 'backend down' }], isError: true }),
      },
      {
        name: 'session_delete_thing',
        description: 'destructive',
        inputSchema: { type: 'object' },
        annotations: { destructiveHint: true },
        handler: async () => ({ content: [] }),
      },
    ],
  }),
});

let pg: TestPostgres;
beforeAll(async () => {
  pg = await startPostgres();
}, 60_000);
afterAll(async () => {
  await pg?.stop();
});

const summary = (events: readonly AuditEvent[]) =>
  events
    .filter((e) => !['config.loaded', 'server.started', 'server.stopped'].includes(e.type))
    .map((e) => `${e.type} ${e.outcome} ${e.actor?.id ?? '-'} ${e.tool ?? '-'}`);

describe('one session, audited identically in the file sink and in PostgreSQL (real server)', () => {
  it('records a failed login, a success, a denied tool, a sanitized call, a rejected call and a tool error', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'cnmcp-session-')), 'audit.jsonl');
    const server = await startTestKernel({
      config: {
        auth: [{ use: 'apikey', keys: [{ id: 'viewer-bot', key: KEY, roles: ['viewer'] }] }],
        authorization: { use: 'rbac', roles: { viewer: { tools: ['session_*'], readOnly: true } } },
        sanitize: { use: 'injection-filter', mode: 'strip', overrides: { session_echo_note: { fields: { '/note': 'strip' } } } },
        audit: [
          { use: 'file', path },
          { use: 'postgres', url: pg.url },
        ],
        toolPacks: [{ use: 'session' }],
      },
      plugins: [pack, postgres],
    });
    expect(
      (await fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': 'Not-The-Key-At-All-1!' }, body: '{}' })).status,
    ).toBe(401);
    const client = new Client({ name: 'session', version: '1' }, { versionNegotiation: { mode: { pin: '2026-07-28' } } });
    await client.connect(new StreamableHTTPClientTransport(server.url, { requestInit: { headers: { 'x-api-key': KEY } } }));
    await expect(client.callTool({ name: 'session_delete_thing', arguments: {} })).rejects.toMatchObject({ code: -32003 });
    await client.callTool({ name: 'session_echo_note', arguments: { note: 'a;b' } });
    expect(await client.callTool({ name: 'session_echo_note', arguments: { note: 42 } })).toMatchObject({ isError: true });
    expect((await client.callTool({ name: 'session_fail_always', arguments: {} })).isError).toBe(true);
    await client.close();
    const sink = await postgres.setup({ config: { url: pg.url, table: 'cnmcp_audit', failClosed: false, poolMax: 1 } } as never);
    await server.close();

    const fromFile = readFileSync(path, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as AuditEvent);
    const fromPostgres: AuditEvent[] = [];
    for await (const e of sink.query!({})) fromPostgres.push(e);
    await sink.close();

    // Each tools/call over the 2026-07-28 protocol is one HTTP request, so each carries its own auth.success.
    const expected = [
      'auth.failure failure - -',
      'auth.success success viewer-bot -',
      'access.denied denied viewer-bot session_delete_thing',
      'auth.success success viewer-bot -',
      'input.sanitized success viewer-bot session_echo_note',
      'tool.call success viewer-bot session_echo_note',
      'auth.success success viewer-bot -',
      'input.rejected failure viewer-bot session_echo_note',
      'auth.success success viewer-bot -',
      'tool.call failure viewer-bot session_fail_always',
    ];
    expect(summary(fromFile).filter((line) => !line.startsWith('auth.success'))).toEqual(expected.filter((line) => !line.startsWith('auth.success')));
    expect(summary(fromFile).filter((line) => line.startsWith('auth.success')).length).toBeGreaterThanOrEqual(4);
    expect(fromPostgres).toEqual(fromFile);
  });
});
