import { describe, expect, it } from 'vitest';
import type { AuditEvent } from '../plugin/ports/audit-sink.js';
import { canonicalJson } from './canonical-json.js';
import { chainKeyOf, keyringOf, type ChainKey } from './chain-key.js';
import { eventHash, HashChain } from './hash-chain.js';
import { contentDigest, verifyChains } from './verify-chain.js';

const KEY = chainKeyOf('chain-key-for-the-unit-tests-000000000');
const KEYS = keyringOf([KEY]);

const chainOf = (n: number, chain = new HashChain(KEY), startMs = 1_700_000_000_000) =>
  Array.from({ length: n }, (_, i) =>
    chain.link({
      id: `01J${String(i).padStart(4, '0')}`,
      time: new Date(startMs + i).toISOString(),
      type: 'tool.call',
      outcome: 'success',
      tool: `t${i}`,
    }),
  );

/** What an intruder without the key does: edit, then re-hash every event after with plain SHA-256. */
function resealWithoutKey(events: AuditEvent[], guessKey?: ChainKey): AuditEvent[] {
  let prevHash = '';
  return events.map((event) => {
    const { hash: _hash, keyId: _keyId, ...rest } = event;
    const unsealed = { ...rest, prevHash, ...(guessKey ? { keyId: guessKey.id } : {}) };
    const hash = eventHash(unsealed, guessKey ? keyringOf([guessKey]) : new Map())!;
    prevHash = hash;
    return { ...unsealed, hash };
  });
}

describe('hash chain', () => {
  it('canonical JSON sorts keys at every level and drops undefined', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { y: 2, x: 1 }], c: undefined } })).toBe('{"a":{"d":[1,{"x":1,"y":2}]},"b":1}');
  });

  it('links each event to the previous hash, seals it with the key it names, and verifies clean chains (several at once)', async () => {
    const events = [...chainOf(5), ...chainOf(3)];
    expect(events[1]!.prevHash).toBe(events[0]!.hash);
    expect(events[0]!.keyId).toBe(KEY.id);
    expect(events[0]!.hash).toBe(eventHash(events[0]!, KEYS));
    expect(await verifyChains(events, KEYS)).toEqual({ events: 8, chains: 2, erased: 0, unkeyed: [], problems: [] });
  });

  it('reports the first edited, deleted or reordered event', async () => {
    const edited = chainOf(5);
    edited[2] = { ...edited[2]!, outcome: 'failure' };
    expect((await verifyChains(edited, KEYS)).problems).toEqual([expect.objectContaining({ eventId: edited[2]!.id, seq: 3, problem: 'edited' })]);

    const deleted = chainOf(5);
    deleted.splice(1, 1);
    expect((await verifyChains(deleted, KEYS)).problems).toEqual([expect.objectContaining({ seq: 3, problem: 'missing before', detail: 'seq 2 is missing' })]);

    const reordered = chainOf(5);
    [reordered[2], reordered[3]] = [reordered[3]!, reordered[2]!];
    expect((await verifyChains(reordered, KEYS)).problems[0]).toMatchObject({ problem: 'missing before' });
  });

  it('attack: an event edited and the rest re-hashed (with SHA-256, or an HMAC under a guessed key) is caught', async () => {
    const original = chainOf(4);
    const edited = original.map((e, i) => (i === 1 ? { ...e, outcome: 'denied' as const } : e));
    // Re-sealed with plain SHA-256: with a key configured, an unkeyed chain is not accepted.
    expect((await verifyChains(resealWithoutKey(edited), KEYS)).problems).toEqual([expect.objectContaining({ seq: 1, problem: 'unkeyed' })]);
    // Even when unkeyed chains from before the key are accepted, one that starts after keyed chains began is not.
    const keyedBefore = chainOf(1, new HashChain(KEY), 1_600_000_000_000);
    expect((await verifyChains([...keyedBefore, ...resealWithoutKey(edited)], KEYS, { allowUnkeyed: true })).problems).toEqual([
      expect.objectContaining({ problem: 'unkeyed after keyed' }),
    ]);
    // Re-sealed under another key: it names a key nobody configured.
    const guessed = resealWithoutKey(edited, chainKeyOf('a-key-the-intruder-made-up-000000000'));
    expect((await verifyChains(guessed, KEYS)).problems).toEqual([expect.objectContaining({ seq: 1, problem: 'unknown key' })]);
    // Re-sealed under the real key id but a made-up key: every hash fails.
    const spoofed = resealWithoutKey(edited, { id: KEY.id, key: Buffer.alloc(32) });
    expect((await verifyChains(spoofed, KEYS)).problems).toEqual([expect.objectContaining({ seq: 1, problem: 'edited' })]);
  });

  it('reports a chain written before the key as unkeyed (not tampered) when allowed, and verifies rotated keys', async () => {
    const legacy = chainOf(2, new HashChain(), 1_600_000_000_000);
    const old = chainKeyOf('the-previous-chain-key-0000000000000');
    const rotated = chainOf(2, new HashChain(old));
    const current = chainOf(2);
    const both = keyringOf([KEY, old]);
    expect(await verifyChains([...legacy, ...rotated, ...current], both, { allowUnkeyed: true })).toMatchObject({
      chains: 3,
      unkeyed: [legacy[0]!.chain],
      problems: [],
    });
    expect((await verifyChains([...legacy, ...rotated, ...current], both)).problems).toEqual([expect.objectContaining({ problem: 'unkeyed' })]);
    expect((await verifyChains([...rotated, ...current], KEYS)).problems).toEqual([expect.objectContaining({ problem: 'unknown key' })]);
    // Without any key configured, unkeyed chains are all there is: they verify as before.
    expect(await verifyChains(legacy)).toMatchObject({ unkeyed: [legacy[0]!.chain], problems: [] });
  });

  it('accepts an erased event only when an authenticated audit.erased record lists it with its stored hash', async () => {
    const chain = new HashChain(KEY);
    const events = chainOf(3, chain);
    const target = events[1]!;
    const erasedEvent: AuditEvent = { ...target, actor: { id: 'erased:abc', authMethod: 'apikey', roles: [] } };
    const record = chain.link({
      id: '01J9999',
      time: new Date().toISOString(),
      type: 'audit.erased',
      outcome: 'success',
      details: { events: [{ id: target.id, hash: target.hash, erasedHash: contentDigest(erasedEvent) }] },
    });
    expect(await verifyChains([events[0]!, erasedEvent, events[2]!, record], KEYS)).toMatchObject({ erased: 1, problems: [] });
    expect((await verifyChains([events[0]!, erasedEvent, events[2]!], KEYS)).problems[0]).toMatchObject({ problem: 'edited' });
    const editedAfterErasure = { ...erasedEvent, outcome: 'failure' as const };
    expect((await verifyChains([events[0]!, editedAfterErasure, events[2]!, record], KEYS)).problems[0]).toMatchObject({ problem: 'edited' });
  });

  it('attack: one appended, forged audit.erased record does not make an edited event pass', async () => {
    const events = chainOf(3);
    const forgedEdit: AuditEvent = { ...events[1]!, outcome: 'success', tool: 'harmless_tool' };
    const entry = { id: forgedEdit.id, hash: forgedEdit.hash, erasedHash: contentDigest(forgedEdit) };
    const forge = (keyId?: string) => {
      const unsealed = {
        id: '01J9999',
        time: events[2]!.time,
        type: 'audit.erased',
        outcome: 'success' as const,
        details: { events: [entry] },
        chain: 'f'.repeat(16),
        seq: 1,
        prevHash: '',
        ...(keyId ? { keyId } : {}),
      };
      return { ...unsealed, hash: eventHash({ ...unsealed, keyId: undefined })! } as AuditEvent;
    };
    for (const record of [forge(), forge(KEY.id)]) {
      const { problems, erased } = await verifyChains([events[0]!, forgedEdit, events[2]!, record], KEYS);
      expect(erased).toBe(0);
      expect(problems).toEqual(expect.arrayContaining([expect.objectContaining({ eventId: forgedEdit.id, problem: 'edited' })]));
    }
  });
});
