import { describe, expect, it } from 'vitest';
import type { AuditEvent } from '../plugin/ports/audit-sink.js';
import { canonicalJson } from './canonical-json.js';
import { eventHash, HashChain } from './hash-chain.js';
import { verifyChains } from './verify-chain.js';

const chainOf = (n: number, chain = new HashChain()) =>
  Array.from({ length: n }, (_, i) =>
    chain.link({
      id: `01J${String(i).padStart(4, '0')}`,
      time: new Date(1_700_000_000_000 + i).toISOString(),
      type: 'tool.call',
      outcome: 'success',
      tool: `t${i}`,
    }),
  );

async function* from(events: AuditEvent[]) {
  yield* events;
}

describe('hash chain', () => {
  it('canonical JSON sorts keys at every level and drops undefined', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { y: 2, x: 1 }], c: undefined } })).toBe('{"a":{"d":[1,{"x":1,"y":2}]},"b":1}');
  });

  it('links each event to the previous hash, and verifies clean chains (several at once)', async () => {
    const events = [...chainOf(5), ...chainOf(3)];
    expect(events[1]!.prevHash).toBe(events[0]!.hash);
    expect(events[0]!.hash).toBe(eventHash(events[0]!));
    expect(await verifyChains(from(events))).toEqual({ events: 8, chains: 2, erased: 0, problems: [] });
  });

  it('reports the first edited, deleted or reordered event', async () => {
    const edited = chainOf(5);
    edited[2] = { ...edited[2]!, outcome: 'failure' };
    expect((await verifyChains(from(edited))).problems).toEqual([expect.objectContaining({ eventId: edited[2]!.id, seq: 3, problem: 'edited' })]);

    const deleted = chainOf(5);
    deleted.splice(1, 1);
    expect((await verifyChains(from(deleted))).problems).toEqual([expect.objectContaining({ seq: 3, problem: 'missing before', detail: 'seq 2 is missing' })]);

    const reordered = chainOf(5);
    [reordered[2], reordered[3]] = [reordered[3]!, reordered[2]!];
    expect((await verifyChains(from(reordered))).problems[0]).toMatchObject({ problem: 'missing before' });

    const relinked = chainOf(3);
    relinked[1] = { ...relinked[1]!, prevHash: 'f'.repeat(64) };
    relinked[1] = { ...relinked[1]!, hash: eventHash(relinked[1]!) };
    expect((await verifyChains(from(relinked))).problems[0]).toMatchObject({ seq: 2, problem: 'broken link' });
  });

  it('accepts an erased event only when a later audit.erased record lists it with its stored hash', async () => {
    const chain = new HashChain();
    const events = chainOf(3, chain).map((e) => ({ ...e }));
    const target = events[1]!;
    const erasedEvent: AuditEvent = { ...target, actor: { id: 'erased:abc', authMethod: 'apikey', roles: [] } };
    const record = chain.link({
      id: '01J9999',
      time: new Date().toISOString(),
      type: 'audit.erased',
      outcome: 'success',
      details: { events: [{ id: target.id, hash: target.hash, erasedHash: eventHash(erasedEvent) }] },
    });
    expect(await verifyChains(from([events[0]!, erasedEvent, events[2]!, record]))).toMatchObject({ erased: 1, problems: [] });
    expect((await verifyChains(from([events[0]!, erasedEvent, events[2]!]))).problems[0]).toMatchObject({ problem: 'edited' });
    const editedAfterErasure = { ...erasedEvent, outcome: 'failure' as const };
    expect((await verifyChains(from([events[0]!, editedAfterErasure, events[2]!, record]))).problems[0]).toMatchObject({ problem: 'edited' });
  });
});
