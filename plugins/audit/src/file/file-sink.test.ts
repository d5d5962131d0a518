import { mkdtempSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AuditEvent } from '@cnmcp/core/plugin';
import { eventHash, HashChain } from '../../../../core/src/audit/hash-chain.js';
import { verifyChains } from '../../../../core/src/audit/verify-chain.js';
import { FileSink } from './file-sink.js';

const config = (dir: string, extra: Partial<{ maxSizeBytes: number; retentionDays: number; gzip: boolean }> = {}) => ({
  path: join(dir, 'logs', 'audit.jsonl'),
  failClosed: true,
  maxSizeBytes: 50 * 1024 * 1024,
  retentionDays: 90,
  gzip: true,
  ...extra,
});

function events(n: number, chain = new HashChain(), start = 0): AuditEvent[] {
  return Array.from({ length: n }, (_, i) =>
    chain.link({
      id: `01JAAAAAAA${String(start + i).padStart(6, '0')}`,
      time: new Date(Date.UTC(2026, 10, 24, 12, 0, start + i)).toISOString(),
      type: i % 2 ? 'auth.failure' : 'tool.call',
      outcome: i % 2 ? 'failure' : 'success',
      actor: { id: i % 3 === 0 ? 'alice' : 'bob', authMethod: 'apikey', roles: [] },
      tool: i % 2 ? undefined : `kubernetes_get_${i}`,
    }),
  );
}

const collect = async (iterable: AsyncIterable<AuditEvent>) => {
  const out: AuditEvent[] = [];
  for await (const e of iterable) out.push(e);
  return out;
};

describe('file audit sink', () => {
  it('appends JSON lines to a 0600 file in a 0700 directory and reads them back unchanged', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cnmcp-audit-'));
    const sink = await FileSink.open(config(dir));
    const written = events(5);
    await sink.write(written.slice(0, 2));
    await sink.write(written.slice(2));
    expect(statSync(join(dir, 'logs', 'audit.jsonl')).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'logs')).mode & 0o777).toBe(0o700);
    expect(readFileSync(join(dir, 'logs', 'audit.jsonl'), 'utf8').trim().split('\n')).toHaveLength(5);
    expect(await collect(sink.query({}))).toEqual(written);
    expect(await verifyChains(sink.query({}))).toMatchObject({ events: 5, problems: [] });
    await sink.close();
    await expect(sink.write(written)).rejects.toThrow('closed');
  });

  it('filters by type, actor, tool pattern, outcome, time, cursor and limit', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cnmcp-audit-'));
    const sink = await FileSink.open(config(dir));
    const written = events(10);
    await sink.write(written);
    const ids = async (filter: Parameters<FileSink['query']>[0]) => (await collect(sink.query(filter))).map((e) => e.id);
    expect(await ids({ type: 'auth.failure' })).toEqual(written.filter((e) => e.type === 'auth.failure').map((e) => e.id));
    expect(await ids({ actor: 'alice' })).toEqual(written.filter((e) => e.actor?.id === 'alice').map((e) => e.id));
    expect(await ids({ tool: 'kubernetes_get_*' })).toHaveLength(5);
    expect(await ids({ outcome: 'failure', limit: 2 })).toEqual([written[1]!.id, written[3]!.id]);
    expect(await ids({ since: new Date(written[8]!.time) })).toEqual([written[8]!.id, written[9]!.id]);
    expect(await ids({ until: new Date(written[0]!.time) })).toEqual([written[0]!.id]);
    expect(await ids({ after: written[7]!.id })).toEqual([written[8]!.id, written[9]!.id]);
    await sink.close();
  });

  it('rotates at the size limit into gzip files and keeps the order across files', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cnmcp-audit-'));
    const sink = await FileSink.open(config(dir, { maxSizeBytes: 2048 }));
    const chain = new HashChain();
    const written: AuditEvent[] = [];
    for (let i = 0; i < 6; i++) {
      const batch = events(3, chain, i * 3);
      written.push(...batch);
      await sink.write(batch);
      await new Promise((r) => setTimeout(r, 2)); // distinct rotation timestamps
    }
    const files = readdirSync(join(dir, 'logs'));
    expect(files.filter((f) => f.endsWith('.gz')).length).toBeGreaterThan(0);
    expect(await collect(sink.query({}))).toEqual(written);
    expect(await verifyChains(sink.query({}))).toMatchObject({ events: 18, problems: [] });
    await sink.close();
  });

  it('deletes rotated files older than the retention at setup', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cnmcp-audit-'));
    const first = await FileSink.open(config(dir));
    await first.close();
    const old = join(dir, 'logs', 'audit.jsonl.20250101T000000000Z.gz');
    writeFileSync(old, '');
    utimesSync(old, new Date('2025-01-01'), new Date('2025-01-01'));
    const recent = join(dir, 'logs', 'audit.jsonl.20261120T000000000Z.gz');
    writeFileSync(recent, '');
    const sink = await FileSink.open(config(dir, { retentionDays: 30 }));
    expect(readdirSync(join(dir, 'logs')).sort()).toEqual(['audit.jsonl', 'audit.jsonl.20261120T000000000Z.gz']);
    await sink.close();
  });

  it('erases one actor in place, returning the ids and stored hashes, and verify accounts for it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cnmcp-audit-'));
    const sink = await FileSink.open(config(dir));
    const chain = new HashChain();
    const written = events(6, chain);
    await sink.write(written);
    const changed = await sink.erase('alice', 'erased:1234');
    const alice = written.filter((e) => e.actor?.id === 'alice');
    expect(changed).toEqual(alice.map((e) => ({ id: e.id, hash: e.hash })));
    expect((await collect(sink.query({ actor: 'alice' })))).toEqual([]);
    expect((await collect(sink.query({ actor: 'erased:1234' }))).map((e) => e.id)).toEqual(alice.map((e) => e.id));
    expect((await verifyChains(sink.query({}))).problems[0]).toMatchObject({ problem: 'edited' });
    const erasedForms = await collect(sink.query({ actor: 'erased:1234' }));
    const listed = changed.map((c) => ({ ...c, erasedHash: eventHash(erasedForms.find((e) => e.id === c.id)!) }));
    await sink.write([chain.link({ id: '01JAAAAAAA999999', time: new Date().toISOString(), type: 'audit.erased', outcome: 'success', details: { events: listed } })]);
    expect(await verifyChains(sink.query({}))).toMatchObject({ erased: alice.length, problems: [] });
    await sink.close();
  });
});
