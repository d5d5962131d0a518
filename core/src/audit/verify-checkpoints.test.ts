import { describe, expect, it } from 'vitest';
import { chainKeyOf } from './chain-key.js';
import { signCheckpoint, type Checkpoint } from './checkpoint.js';
import { HashChain } from './hash-chain.js';
import { verifyCheckpoints } from './verify-checkpoints.js';

const KEY = chainKeyOf('checkpoint-unit-test-key-000000000000');
const chainOf = (n: number, startMs: number) => {
  const chain = new HashChain(KEY);
  return Array.from({ length: n }, (_, i) =>
    chain.link({ id: `01J${startMs}${i}`, time: new Date(startMs + i).toISOString(), type: 'tool.call', outcome: 'success' }),
  );
};
const anchor = (events: ReturnType<typeof chainOf>): Checkpoint =>
  signCheckpoint({ chain: events.at(-1)!.chain, seq: events.at(-1)!.seq, head: events.at(-1)!.hash, time: events.at(-1)!.time }, KEY);
const read = (...list: Checkpoint[]) => ({ latest: new Map(list.map((c) => [c.chain, c])), forged: [] });

describe('verifyCheckpoints', () => {
  it('passes a log that still holds every checkpointed event, and a chain that grew since', () => {
    const a = chainOf(3, 1_700_000_000_000);
    expect(verifyCheckpoints(a, read(signCheckpoint({ chain: a[0]!.chain, seq: 2, head: a[1]!.hash, time: a[1]!.time }, KEY)), 'f')).toEqual([]);
  });

  it('names a missing tail, a re-sealed anchor, and a missing chain (with a retention hint when it is older than the rest)', () => {
    const old = chainOf(2, 1_600_000_000_000);
    const a = chainOf(4, 1_700_000_000_000);
    const problems = verifyCheckpoints(a.slice(0, 2), read(anchor(old), anchor(a)), 'f');
    expect(problems).toEqual([
      expect.objectContaining({ chain: old[0]!.chain, problem: 'missing chain', detail: expect.stringContaining('retention') }),
      expect.objectContaining({ chain: a[0]!.chain, problem: 'missing tail', detail: expect.stringMatching(/^seq 3\.\.4 are missing/) }),
    ]);
    const resealed = a.map((e, i) => (i === 3 ? { ...e, hash: 'f'.repeat(64) } : e));
    expect(verifyCheckpoints(resealed, read(anchor(a)), 'f')).toEqual([expect.objectContaining({ problem: 'edited', seq: 4 })]);
    expect(verifyCheckpoints([], read(anchor(a)), 'f')).toEqual([expect.objectContaining({ problem: 'empty log' })]);
  });
});
