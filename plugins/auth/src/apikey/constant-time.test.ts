import { timingSafeEqual } from 'node:crypto';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { authRequest, setupStrategy } from '../testing/apikey-basic-context.js';
import apikey from './plugin.js';

// Every module of this file's graph gets node:crypto with timingSafeEqual wrapped in a spy that still does the real
// comparison: the test sees the calls the plugin makes, and nothing here measures time.
vi.mock('node:crypto', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:crypto')>();
  return { ...actual, timingSafeEqual: vi.fn(actual.timingSafeEqual) };
});

const compare = vi.mocked(timingSafeEqual);

const KEYS = ['Abc123!@#Xyz789!@#', 'Zyx987)(*Cba321)(*', 'ThisIsAVeryLongAPIKey123!@#WithSpecialChars'];
const config = { keys: KEYS.map((key, i) => ({ id: `key-${i}`, key, roles: [] })) };

/** The byte lengths of both arguments of every timingSafeEqual call made while authenticating `presented`. */
async function comparisonsFor(presented: string): Promise<{ outcome: string; lengths: [number, number][] }> {
  const strategy = await setupStrategy(apikey, config);
  compare.mockClear();
  const outcome = await strategy.authenticate(authRequest({ 'x-api-key': presented }));
  const lengths = compare.mock.calls.map(([a, b]) => [(a as Buffer).byteLength, (b as Buffer).byteLength] as [number, number]);
  return { outcome: outcome.kind, lengths };
}

describe('API key comparison is constant-time', () => {
  beforeEach(() => {
    compare.mockClear();
  });

  it('is the real node:crypto function, wrapped', () => {
    expect(vi.isMockFunction(timingSafeEqual)).toBe(true);
  });

  it('compares a near miss and a far miss the same way: against every key, equal-length buffers', async () => {
    const near = await comparisonsFor(KEYS[1]!.slice(0, -1) + 'x'); // differs only in the last character
    const far = await comparisonsFor('x'); // a different length and nothing in common
    const long = await comparisonsFor('Q'.repeat(4096));
    for (const run of [near, far, long]) {
      expect(run.outcome).toBe('fail');
      expect(run.lengths).toHaveLength(KEYS.length);
      for (const [a, b] of run.lengths) expect(a).toBe(b);
    }
    expect(far.lengths).toEqual(near.lengths);
    expect(long.lengths).toEqual(near.lengths);
  });

  it('does not stop at the first match: a valid key costs the same comparisons as a wrong one', async () => {
    const first = await comparisonsFor(KEYS[0]!);
    const wrong = await comparisonsFor('Nope123!@#Nope123!@#');
    expect(first.outcome).toBe('ok');
    expect(first.lengths).toEqual(wrong.lengths);
  });
});
