import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEvent, Logger } from '@cnmcp/core/plugin';
import { eventHash, HashChain } from '../../../../core/src/audit/hash-chain.js';
import { verifyChains } from '../../../../core/src/audit/verify-chain.js';
import { startPostgres, type TestPostgres } from '../../../../test/support/postgres-server.js';
import type { PostgresSinkConfig } from './config-schema.js';
import { PostgresSink, type PostgresSinkOptions } from './postgres-sink.js';

const silent: Logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => silent };

let server: TestPostgres;
let db: pg.Pool;
const sinks: PostgresSink[] = [];

beforeAll(async () => {
  server = await startPostgres();
  db = new pg.Pool({ connectionString: server.url, max: 2 });
  db.on('error', () => {}); // the last test stops the server under it
}, 180_000);

afterAll(async () => {
  await Promise.all(sinks.map((s) => s.close()));
  await db?.end();
  await server?.stop();
});

/** A sink on its own table, so tests do not see each other's events. */
async function open(table: string, config: Partial<PostgresSinkConfig> = {}, options: PostgresSinkOptions = {}): Promise<PostgresSink> {
  const sink = await PostgresSink.open({ url: server.url, table, failClosed: false, poolMax: 3, ...config }, silent, options);
  sinks.push(sink);
  return sink;
}

async function all(events: AsyncIterable<AuditEvent>): Promise<AuditEvent[]> {
  const list: AuditEvent[] = [];
  for await (const event of events) list.push(event);
  return list;
}

type Draft = Partial<Omit<AuditEvent, 'chain' | 'seq' | 'prevHash' | 'hash'>>;

/** Events as the kernel makes them: monotonic ids, linked by core's HashChain. */
function chainOf(drafts: readonly Draft[], start = Date.parse('2026-11-24T12:00:00.000Z')): AuditEvent[] {
  const chain = new HashChain();
  return drafts.map((draft, i) =>
    chain.link({
      id: `01JDB6Z3R8${chain.id.slice(0, 6).toUpperCase()}${String(i).padStart(10, '0')}`,
      time: new Date(start + i * 1000).toISOString(),
      type: 'tool.call',
      outcome: 'success',
      ...draft,
    }),
  );
}

describe('postgres audit sink', () => {
  it('migrates once, however many replicas start together and however often', async () => {
    const replicas = await Promise.all([open('mig'), open('mig'), open('mig')]);
    await open('mig');
    expect(replicas).toHaveLength(3);
    const { rows } = await db.query('SELECT version, description FROM mig_migrations');
    expect(rows).toEqual([{ version: 1, description: 'events table and its indexes' }]);
    const columns = await db.query(`SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'mig' ORDER BY ordinal_position`);
    expect(columns.rows.map((c) => `${c.column_name} ${c.data_type}`)).toEqual([
      'id text',
      'time timestamp with time zone',
      'type text',
      'outcome text',
      'actor_id text',
      'tool text',
      'chain text',
      'seq bigint',
      'event jsonb',
      'event_text text',
    ]);
    const indexes = await db.query(`SELECT indexname FROM pg_indexes WHERE tablename = 'mig' ORDER BY indexname`);
    expect(indexes.rows.map((i) => i.indexname)).toEqual(['mig_actor_id_idx', 'mig_pkey', 'mig_time_idx', 'mig_tool_idx', 'mig_type_idx']);

    // A newer release migrated the table further: this one starts and says so.
    await db.query(`INSERT INTO mig_migrations (version, description) VALUES (99, 'from the future')`);
    const warnings: unknown[] = [];
    const logger: Logger = { ...silent, warn: (message, fields) => warnings.push({ message, fields }) };
    sinks.push(await PostgresSink.open({ url: server.url, table: 'mig', failClosed: false, poolMax: 1 }, logger));
    expect(warnings).toEqual([{ message: 'audit table has migrations from a newer release', fields: { table: 'mig', versions: [99] } }]);
  });

  it('creates a schema-qualified table', async () => {
    await db.query('CREATE SCHEMA IF NOT EXISTS audit');
    const sink = await open('audit.events');
    await sink.write(chainOf([{}]));
    expect((await db.query('SELECT count(*)::int AS n FROM audit.events')).rows[0]).toEqual({ n: 1 });
    expect((await db.query('SELECT count(*)::int AS n FROM audit.events_migrations')).rows[0]).toEqual({ n: 1 });
  });

  it('returns events exactly as written, so every hash still verifies', async () => {
    const sink = await open('roundtrip');
    const events = chainOf([
      { type: 'server.started', details: { transport: 'http', url: 'http://127.0.0.1:1/mcp', nested: { list: [1, 'two', null, { three: true }] } } },
      {
        actor: { id: 'alice', authMethod: 'apikey', roles: ['admin', 'ops'] },
        source: { ip: '127.0.0.1', userAgent: 'node', transport: 'http' },
        requestId: '7',
        traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
        tool: 'utilities_hash',
        arguments: { input: 'ünïcødé 🙂 "quoted" \\ back\nslash', password: 'hmac-sha256:5c1f', n: 1.5, big: 12345678901234567890, tiny: 1e-7, neg: -0.25 },
        durationMs: 1.42,
      },
      { outcome: 'error', tool: 'utilities_get_time', error: { code: 'TOOL_FAILED', message: 'boom' }, durationMs: 0 },
      { type: 'auth.failure', outcome: 'denied', details: { reason: 'bad key', 'key with spaces': '', empty: {}, arr: [] } },
    ]);
    await sink.write(events.slice(0, 1));
    await sink.write(events.slice(1));
    expect(await all(sink.query({}))).toEqual(events);
    expect(await verifyChains(sink.query({}))).toMatchObject({ events: 4, chains: 1, erased: 0, problems: [] });
  });

  it('stores events jsonb cannot hold (NUL, lone surrogates) exactly, and still filters them', async () => {
    const sink = await open('odd');
    const events = chainOf([
      {
        actor: { id: 'mallory\u0000', authMethod: 'basic', roles: [] },
        tool: 'utilities_hash',
        arguments: { input: 'a\u0000b', odd: '\ud800x', 'k\u0000ey': ['\udc00'] },
      },
      { actor: { id: 'mallory\ufffd', authMethod: 'basic', roles: [] }, tool: 'utilities_hash', arguments: { input: 'plain' } },
      { tool: 'tool\u0000name' },
    ]);
    await sink.write(events);
    expect(await all(sink.query({}))).toEqual(events);
    expect(await verifyChains(sink.query({}))).toMatchObject({ events: 3, problems: [] });
    const { rows } = await db.query('SELECT id FROM odd WHERE event_text IS NOT NULL ORDER BY id');
    expect(rows.map((r) => r.id)).toEqual([events[0]!.id, events[2]!.id]); // U+FFFD itself is storable
    // The filter columns hold a replacement character; the answer still matches exactly.
    expect((await all(sink.query({ actor: 'mallory\u0000' }))).map((e) => e.id)).toEqual([events[0]!.id]);
    expect((await all(sink.query({ actor: 'mallory\ufffd' }))).map((e) => e.id)).toEqual([events[1]!.id]);
    expect((await all(sink.query({ tool: 'tool\u0000*' }))).map((e) => e.id)).toEqual([events[2]!.id]);

    const erased = await sink.erase('mallory\u0000', 'erased:0001');
    expect(erased).toEqual([{ id: events[0]!.id, hash: events[0]!.hash }]);
    const [after] = await all(sink.query({ actor: 'erased:0001' }));
    expect(after).toEqual({ ...events[0], actor: { ...events[0]!.actor, id: 'erased:0001' } });
    expect((await all(sink.query({ actor: 'mallory\ufffd' }))).map((e) => e.id)).toEqual([events[1]!.id]);
  });

  it('applies every filter in SQL, alone and together', async () => {
    const sink = await open('filters');
    const alice = { id: 'alice', authMethod: 'apikey', roles: [] };
    const bob = { id: 'bob', authMethod: 'bearer', roles: ['ops'] };
    const events = chainOf([
      { type: 'server.started' },
      { actor: alice, tool: 'kube_get_pods', outcome: 'success' },
      { actor: alice, tool: 'kubeXget_pods', outcome: 'failure' },
      { actor: bob, tool: 'kube_delete_pod', outcome: 'denied', type: 'access.denied' },
      { actor: bob, tool: 'a%b', outcome: 'success' },
      { actor: bob, tool: 'aXb', outcome: 'error' },
      { actor: alice, tool: 'back\\slash', outcome: 'success' },
      { type: 'auth.failure', outcome: 'denied' },
    ]);
    await sink.write(events);
    const ids = async (filter: Parameters<PostgresSink['query']>[0]) => (await all(sink.query(filter))).map((e) => events.findIndex((x) => x.id === e.id));

    expect(await ids({})).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(await ids({ type: 'access.denied' })).toEqual([3]);
    expect(await ids({ outcome: 'denied' })).toEqual([3, 7]);
    expect(await ids({ actor: 'alice' })).toEqual([1, 2, 6]);
    expect(await ids({ tool: 'kube_get_pods' })).toEqual([1]);
    expect(await ids({ tool: 'kube_*' })).toEqual([1, 3]); // `_` is literal, not LIKE's any-character
    expect(await ids({ tool: 'a%b' })).toEqual([4]); // `%` too
    expect(await ids({ tool: '*b' })).toEqual([4, 5]);
    expect(await ids({ tool: 'back\\slash' })).toEqual([6]);
    expect(await ids({ tool: '*' })).toEqual([1, 2, 3, 4, 5, 6]);
    // since and until are inclusive; events are one second apart from 12:00:00.
    expect(await ids({ since: new Date('2026-11-24T12:00:02.000Z') })).toEqual([2, 3, 4, 5, 6, 7]);
    expect(await ids({ until: new Date('2026-11-24T12:00:02.000Z') })).toEqual([0, 1, 2]);
    expect(await ids({ since: new Date('2026-11-24T12:00:02.000Z'), until: new Date('2026-11-24T12:00:04.000Z') })).toEqual([2, 3, 4]);
    expect(await ids({ after: events[5]!.id })).toEqual([6, 7]);
    expect(await ids({ limit: 3 })).toEqual([0, 1, 2]);
    expect(await ids({ limit: 0 })).toEqual([]);
    expect(await ids({ actor: 'bob', outcome: 'success', tool: 'a*', since: new Date('2026-11-24T12:00:01.000Z') })).toEqual([4]);
    expect(await ids({ actor: 'nobody' })).toEqual([]);
    expect(await ids({ tool: "x' OR '1'='1" })).toEqual([]);
  });

  it('writes a large batch in one transaction and streams it back in keyset pages', async () => {
    const sink = await open('paging');
    const events = chainOf(Array.from({ length: 2345 }, (_, i) => ({ tool: `tool_${i % 3}`, arguments: { i } })));
    await sink.write(events); // more rows than one INSERT takes: several statements, one commit
    expect(await all(sink.query({}))).toEqual(events);
    expect(await all(sink.query({ limit: 501 }))).toEqual(events.slice(0, 501));
    expect(await all(sink.query({ after: events[499]!.id, limit: 2 }))).toEqual(events.slice(500, 502));
    expect((await all(sink.query({ tool: 'tool_1' }))).length).toBe(782);
    expect(await verifyChains(sink.query({}))).toMatchObject({ events: 2345, chains: 1, problems: [] });

    // Pages are fetched as the caller reads: rows written after the first page show up in a later one.
    const small = await open('paging_small', {}, { pageSize: 7 });
    const first = chainOf(Array.from({ length: 10 }, () => ({})));
    await small.write(first.slice(0, 8));
    const seen: AuditEvent[] = [];
    for await (const event of small.query({})) {
      if (seen.length === 0) await small.write(first.slice(8));
      seen.push(event);
    }
    expect(seen).toEqual(first);
  });

  it('erases an actor by pseudonym, keeping hashes, and verify accounts for it', async () => {
    const sink = await open('erase');
    const alice = { id: 'alice', authMethod: 'apikey', roles: ['ops'] };
    const events = chainOf([{ actor: alice }, { actor: { ...alice, id: 'bob' } }, { actor: alice, tool: 't' }, { type: 'server.started' }]);
    await sink.write(events);
    const changed = await sink.erase('alice', 'erased:abc123');
    expect(changed).toEqual([0, 2].map((i) => ({ id: events[i]!.id, hash: events[i]!.hash })));
    expect(await all(sink.query({ actor: 'alice' }))).toEqual([]);
    const erased = await all(sink.query({ actor: 'erased:abc123' }));
    expect(erased).toEqual([0, 2].map((i) => ({ ...events[i], actor: { ...alice, id: 'erased:abc123' } })));
    expect(await sink.erase('alice', 'erased:abc123')).toEqual([]);

    // Unaccounted, the change is an edit; the CLI's audit.erased record makes it an erasure.
    expect((await verifyChains(sink.query({}))).problems).toMatchObject([{ eventId: events[0]!.id, problem: 'edited' }]);
    const record = new HashChain().link({
      id: '01ZZZZZZZZZZZZZZZZZZZZZZZZ',
      time: new Date().toISOString(),
      type: 'audit.erased',
      outcome: 'success',
      details: { pseudonym: 'erased:abc123', events: changed.map((c) => ({ ...c, erasedHash: eventHash(erased.find((e) => e.id === c.id)!) })) },
    });
    await sink.write([record]);
    expect(await verifyChains(sink.query({}))).toMatchObject({ events: 5, chains: 2, erased: 2, problems: [] });
  });

  it('erases the subject from every field that names it: a claimed user name of auth.failure too, and in event_text', async () => {
    const sink = await open('erase_subject');
    const events = chainOf([
      { type: 'auth.failure', outcome: 'failure', details: { strategy: 'basic', reason: 'wrong password', subject: 'alice' } },
      { type: 'auth.lockout', outcome: 'denied', details: { subject: 'alice' } },
      { type: 'auth.failure', outcome: 'failure', details: { subject: 'alice', note: 'nul \u0000 kept' } },
      { type: 'auth.failure', outcome: 'failure', details: { subject: 'alice-smith' } },
    ]);
    await sink.write(events);
    const changed = await sink.erase('alice', 'erased:abc123');
    expect(changed.map((c) => c.id)).toEqual([0, 1, 2].map((i) => events[i]!.id));
    const stored = await all(sink.query({}));
    expect(JSON.stringify(stored)).not.toContain('"alice"');
    expect(stored.map((e) => e.details?.subject)).toEqual(['erased:abc123', 'erased:abc123', 'erased:abc123', 'alice-smith']);
    const { rows } = await db.query<{ text: string }>(`SELECT event::text || coalesce(event_text, '') AS text FROM erase_subject`);
    expect(rows.map((r) => r.text).join('\n')).not.toContain('"alice"');
  });

  it('deletes events past retentionDays at startup', async () => {
    const old = chainOf([{}, {}], Date.now() - 40 * 86_400_000);
    const recent = chainOf([{}], Date.now() - 86_400_000);
    const plain = await open('retention');
    await plain.write([...old, ...recent]);
    const kept = await open('retention', { retentionDays: 30 });
    expect(await all(kept.query({}))).toEqual(recent);
  });

  it('rejects a batch it cannot store whole, storing none of it', async () => {
    const sink = await open('atomic');
    const [first, second] = chainOf([{}, {}]);
    await sink.write([first!]);
    await expect(sink.write([second!, first!])).rejects.toThrow(/duplicate key/);
    expect(await all(sink.query({}))).toEqual([first]);
    // Larger than one INSERT: the statements before the failing one are rolled back too.
    const many = chainOf(Array.from({ length: 1500 }, () => ({})));
    await expect(sink.write([...many, first!])).rejects.toThrow(/duplicate key/);
    expect(await all(sink.query({}))).toEqual([first]);
  });

  it('names host and database but never the password when it cannot connect', async () => {
    const refused = PostgresSink.open({ url: 'postgres://auditor:S3cr3t%2Fpw@127.0.0.1:1/auditdb', table: 'x', failClosed: false, poolMax: 1 }, silent);
    await expect(refused).rejects.toMatchObject({ code: 'AUDIT_PG_UNAVAILABLE', message: expect.stringContaining('auditor@127.0.0.1:1/auditdb') });
    await expect(refused).rejects.not.toThrow(/S3cr3t/);

    const url = new URL(server.url);
    url.password = 'wrong-Passw0rd';
    const denied = PostgresSink.open({ url: url.href, table: 'x', failClosed: false, poolMax: 1 }, silent);
    await expect(denied).rejects.toThrow(/password authentication failed/);
    await expect(denied).rejects.not.toThrow(/wrong-Passw0rd/);

    await expect(PostgresSink.open({ url: 'mysql://root:S3cr3t@db/x', table: 'x', failClosed: false, poolMax: 1 }, silent)).rejects.toMatchObject({
      code: 'AUDIT_PG_URL_INVALID',
      message: expect.not.stringContaining('S3cr3t'),
    });
  });

  // Last: it stops the server.
  it('rejects writes and queries once the database is gone', async () => {
    const sink = await open('gone', { failClosed: true });
    expect(sink.failClosed).toBe(true);
    await sink.write(chainOf([{}]));
    await server.stop();
    await expect(sink.write(chainOf([{}]))).rejects.toThrow();
    await expect(all(sink.query({}))).rejects.toThrow();
  });
});
