import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { startTestKernel } from '@cnmcp/core/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEvent, Logger } from '@cnmcp/core/plugin';
import { verifyChains } from '../../../../core/src/audit/verify-chain.js';
import { startPostgres, type TestPostgres } from '../../../../test/support/postgres-server.js';
import postgres from './plugin.js';
import { PostgresSink } from './postgres-sink.js';

const silent: Logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => silent };

let server: TestPostgres;

beforeAll(async () => {
  server = await startPostgres();
}, 180_000);

afterAll(() => server?.stop());

async function all(events: AsyncIterable<AuditEvent>): Promise<AuditEvent[]> {
  const list: AuditEvent[] = [];
  for await (const event of events) list.push(event);
  return list;
}

describe('postgres sink in the real kernel', () => {
  it('records every tool call in the table, chained, verifiable and tamper-evident', async () => {
    // Registered, `use: postgres` selects these sources.
    const kernel = await startTestKernel({ config: { audit: [{ use: 'postgres', url: server.url }], toolPacks: [{ use: 'utilities' }] }, plugins: [postgres] });
    const client = new Client({ name: 'audit-postgres-test', version: '1' }, { versionNegotiation: { mode: { pin: '2026-07-28' } } });
    await client.connect(new StreamableHTTPClientTransport(kernel.url));
    await client.callTool({ name: 'utilities_hash', arguments: { input: 'abc' } });
    await client.callTool({ name: 'utilities_get_time', arguments: { timezone: 'Nowhere/Special' } });
    await client.close();
    await kernel.close();

    const sink = await PostgresSink.open({ url: server.url, table: 'cnmcp_audit', failClosed: false, poolMax: 1 }, silent);
    const db = new pg.Client({ connectionString: server.url });
    await db.connect();
    try {
      const events = await all(sink.query({}));
      expect(events.map((e) => e.type)).toEqual(['config.loaded', 'server.started', 'tool.call', 'tool.call', 'server.stopped']);
      expect(events.filter((e) => e.type === 'tool.call').map((e) => [e.tool, e.outcome])).toEqual([
        ['utilities_hash', 'success'],
        ['utilities_get_time', 'failure'],
      ]);
      const { rows } = await db.query(`SELECT id, type, tool, chain, seq FROM cnmcp_audit WHERE type = 'tool.call' ORDER BY id`);
      expect(rows).toEqual(
        events.filter((e) => e.type === 'tool.call').map((e) => ({ id: e.id, type: 'tool.call', tool: e.tool, chain: events[0]!.chain, seq: String(e.seq) })),
      );
      expect(await verifyChains(sink.query({}))).toMatchObject({ events: 5, chains: 1, erased: 0, problems: [] });

      // Someone with write access to the table rewrites history.
      const victim = events[2]!;
      await db.query(`UPDATE cnmcp_audit SET event = jsonb_set(event, '{outcome}', '"failure"') WHERE id = $1`, [victim.id]);
      expect((await verifyChains(sink.query({}))).problems).toEqual([
        { chain: victim.chain, eventId: victim.id, seq: victim.seq, problem: 'edited', detail: 'the event does not match its hash' },
      ]);
    } finally {
      await db.end();
      await sink.close();
    }
  });

  it('stops the server from starting when the database cannot be reached, without the password', async () => {
    const url = 'postgres://auditor:Sup3r-Secret@127.0.0.1:1/audit';
    const start = startTestKernel({ config: { audit: [{ use: 'postgres', url }] }, plugins: [postgres] });
    await expect(start).rejects.toMatchObject({
      code: 'PLUGIN_CONFIG_INVALID',
      path: '/audit/0',
      message: 'audit-sink/postgres failed to start: cannot connect to PostgreSQL at auditor@127.0.0.1:1/audit: connect ECONNREFUSED 127.0.0.1:1',
    });
    await expect(start).rejects.toMatchObject({ message: expect.not.stringContaining('Sup3r-Secret') });
  });

  it('refuses a table name that is not a plain identifier', async () => {
    const start = startTestKernel({ config: { audit: [{ use: 'postgres', url: server.url, table: 'audit; DROP TABLE x' }] }, plugins: [postgres] });
    await expect(start).rejects.toMatchObject({ code: 'CONFIG_INVALID', message: expect.stringContaining('/audit/0/table') });
  });
});
