import { timingSafeEqual } from 'node:crypto';
import { hashPassword, type AuthStrategy } from '@cnmcp/core/plugin';
import { hash as bcryptHash } from 'bcryptjs';
import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { authRequest, setupStrategy } from '../testing/apikey-basic-context.js';
import basic from './plugin.js';

// Every module of this file's graph (this plugin and core's scrypt verifier alike) gets node:crypto with
// timingSafeEqual wrapped in a spy that still does the real comparison. Nothing here measures time.
vi.mock('node:crypto', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:crypto')>();
  return { ...actual, timingSafeEqual: vi.fn(actual.timingSafeEqual) };
});

const compare = vi.mocked(timingSafeEqual);

const SCRYPT_PASSWORD = 'Scrypt-Password-0001';
const BCRYPT_PASSWORD = 'Bcrypt-Password-0001';
let strategy: AuthStrategy;

beforeAll(async () => {
  strategy = await setupStrategy(basic, {
    users: [
      { username: 'alice', passwordHash: await hashPassword(SCRYPT_PASSWORD), roles: [] },
      { username: 'bob', passwordHash: await bcryptHash(BCRYPT_PASSWORD, 10), roles: [] },
      { username: 'carol', passwordHash: await hashPassword('Carol-Password-0001'), roles: [] },
    ],
  });
});

beforeEach(() => {
  compare.mockClear();
});

/** The byte lengths of both arguments of every timingSafeEqual call made while authenticating. */
async function comparisonsFor(username: string, password: string): Promise<{ reason: string; lengths: [number, number][] }> {
  compare.mockClear();
  const outcome = await strategy.authenticate(authRequest({ authorization: `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}` }));
  const lengths = compare.mock.calls.map(([a, b]) => [(a as Buffer).byteLength, (b as Buffer).byteLength] as [number, number]);
  return { reason: outcome.kind === 'fail' ? outcome.reason : outcome.kind, lengths };
}

describe('password comparison is constant-time', () => {
  it('is the real node:crypto function, wrapped', () => {
    expect(vi.isMockFunction(timingSafeEqual)).toBe(true);
  });

  it.each([
    ['scrypt', 'alice', SCRYPT_PASSWORD, 32],
    ['bcrypt', 'bob', BCRYPT_PASSWORD, 23],
  ])('%s: a near miss, a far miss and the right password each make one comparison of equal-length digests', async (_algorithm, username, password, bytes) => {
    const near = await comparisonsFor(username, password.slice(0, -1) + 'X'); // differs only in the last character
    const far = await comparisonsFor(username, 'x'); // a different length and nothing in common
    const right = await comparisonsFor(username, password);
    expect([near.reason, far.reason, right.reason]).toEqual(['wrong password', 'wrong password', 'ok']);
    for (const run of [near, far, right]) expect(run.lengths).toEqual([[bytes, bytes]]);
  });

  it('an unknown user costs one comparison at the usual hash cost, like a known one', async () => {
    const known = await comparisonsFor('alice', 'x');
    const unknown = await comparisonsFor('mallory', 'x');
    const unknownNearName = await comparisonsFor('alicf', SCRYPT_PASSWORD);
    expect(unknown.reason).toBe('unknown user');
    expect(unknownNearName.reason).toBe('unknown user');
    expect(unknown.lengths).toEqual(known.lengths);
    expect(unknownNearName.lengths).toEqual(known.lengths);
  });
});
