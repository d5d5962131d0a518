import { silentLogger } from '../testing/start-test-kernel.js';
import { describe, expect, it } from 'vitest';
import type { RateLimitDecision, RateLimitRule, RateLimitStore } from '../plugin/ports/rate-limit-store.js';
import type { AuthStrategy } from '../plugin/ports/auth-strategy.js';
import { compileClaimReader } from './auth-claim.js';
import { compileLockout } from './lockout.js';
import type { Stop } from './verdict.js';
import { createStoreHealth } from './store-health.js';
import { metrics } from '@opentelemetry/api';

const health = (policy: 'deny' | 'allow' = 'deny') => createStoreHealth(policy, silentLogger, metrics.getMeter('test'));

// An in-memory store double with the port's semantics as the real stores have them (no windows: counts only): the
// consume that takes the last point leaves 0 remaining, and peek refuses a key with every point used.
function countingStore(): RateLimitStore & { counts: Map<string, number> } {
  const counts = new Map<string, number>();
  const refused = (rule: RateLimitRule): RateLimitDecision => ({ allowed: false, retryAfterMs: (rule.blockDurationSeconds ?? 1) * 1000, resetMs: 1000 });
  return {
    counts,
    consume: async (key, rule) => {
      const used = (counts.get(key) ?? 0) + 1;
      counts.set(key, used);
      return used <= rule.points ? { allowed: true, remaining: rule.points - used, resetMs: 1000 } : refused(rule);
    },
    peek: async (key, rule) => {
      const used = counts.get(key) ?? 0;
      return used < rule.points ? { allowed: true, remaining: rule.points - used, resetMs: 1000 } : refused(rule);
    },
    reset: async (key) => void counts.delete(key),
  };
}

const noClaims = () => undefined;
const basicOps = { strategy: 'auth/basic', subject: 'ops' };

describe('lockout', () => {
  const settings = { attempts: 3, windowSeconds: 300, lockoutSeconds: 900 };

  it('locks an address after N failures and says when to retry', async () => {
    const lockout = compileLockout(countingStore(), settings, health(), noClaims)!;
    for (let i = 0; i < 3; i++) expect(await lockout.check(undefined, '10.0.0.1')).toEqual({ continue: true });
    expect(await lockout.failed(basicOps, '10.0.0.1')).toEqual([]);
    expect(await lockout.failed(undefined, '10.0.0.1')).toEqual([]);
    expect(await lockout.failed(undefined, '10.0.0.1')).toEqual(['source']);
    expect(await lockout.check(undefined, '10.0.0.1')).toMatchObject({ continue: false, code: 'RATE_LIMITED', headers: { 'Retry-After': '900' } });
    expect(await lockout.check(undefined, '10.0.0.2')).toEqual({ continue: true });
  });

  it('locks a claimed subject attacked from many addresses, before anything is verified', async () => {
    const lockout = compileLockout(countingStore(), settings, health(), noClaims)!;
    const started = [];
    for (let i = 0; i < 3; i++) started.push(await lockout.failed(basicOps, `10.0.1.${i}`));
    expect(started).toEqual([[], [], ['subject']]);
    const refused = await lockout.check(basicOps, '10.0.1.99');
    expect(refused).toMatchObject({ continue: false, code: 'RATE_LIMITED', details: { scope: 'subject', strategy: 'auth/basic', subject: 'ops' } });
    // The client's answer says nothing about which key is locked.
    const sourceLocked = compileLockout(countingStore(), settings, health(), noClaims)!;
    for (let i = 0; i < 3; i++) await sourceLocked.failed(undefined, '10.0.2.1');
    const bySource = await sourceLocked.check(undefined, '10.0.2.1');
    expect(bySource.continue).toBe(false);
    const { details: _a, ...clientSees } = refused as Stop;
    const { details: _b, ...clientSeesToo } = bySource as Stop;
    expect(clientSees).toEqual(clientSeesToo);
  });

  it("keys a subject per strategy: a Basic user named ops does not lock another strategy's ops", async () => {
    const lockout = compileLockout(countingStore(), settings, health(), noClaims)!;
    for (let i = 0; i < 3; i++) await lockout.failed(basicOps, `10.0.3.${i}`);
    expect(await lockout.check({ strategy: 'auth/other', subject: 'ops' }, '10.0.3.99')).toEqual({ continue: true });
  });

  it('hashes subject keys: a claimed name never reaches the store in clear', async () => {
    const store = countingStore();
    const lockout = compileLockout(store, settings, health(), noClaims)!;
    await lockout.failed({ strategy: 'auth/basic', subject: 'x'.repeat(8000) }, '10.0.4.1');
    expect([...store.counts.keys()].every((key) => key.length < 100)).toBe(true);
  });

  it('denies when the store fails (fail closed)', async () => {
    const broken: RateLimitStore = {
      consume: () => Promise.reject(new Error('down')),
      peek: () => Promise.reject(new Error('down')),
      reset: () => Promise.reject(new Error('down')),
    };
    const lockout = compileLockout(broken, settings, health(), noClaims)!;
    expect(await lockout.check(undefined, '10.0.0.1')).toMatchObject({ continue: false, code: 'RATE_LIMITED' });
    expect(await lockout.check(basicOps, '10.0.0.1')).toMatchObject({ continue: false });
  });

  it('lets requests through when the store fails and onStoreError is allow', async () => {
    const broken: RateLimitStore = {
      consume: () => Promise.reject(new Error('down')),
      peek: () => Promise.reject(new Error('down')),
      reset: () => Promise.reject(new Error('down')),
    };
    const lockout = compileLockout(broken, settings, health('allow'), noClaims)!;
    expect(await lockout.check(basicOps, '10.0.0.1')).toEqual({ continue: true });
    expect(await lockout.failed(basicOps, '10.0.0.1')).toEqual([]);
  });
});

describe('claimed subjects', () => {
  const request = { headers: { 'x-user': 'ops' }, url: new URL('http://internal/mcp'), remoteAddress: '10.0.0.1' };
  const strategy = (scheme: string, claimedSubject?: AuthStrategy['claimedSubject']): AuthStrategy => ({
    scheme,
    authenticate: async () => ({ kind: 'none' }),
    ...(claimedSubject ? { claimedSubject } : {}),
  });

  it('takes the first strategy, in config order, whose credential names a subject', () => {
    const read = compileClaimReader(
      [
        { id: 'auth/token', port: strategy('Token') },
        { id: 'auth/none', port: strategy('None', () => undefined) },
        { id: 'auth/user', port: strategy('User', (r) => r.headers['x-user'] as string) },
        { id: 'auth/later', port: strategy('Later', () => 'someone') },
      ],
      silentLogger,
    );
    expect(read(request)).toEqual({ strategy: 'auth/user', subject: 'ops' });
  });

  it('skips a strategy that throws while reading its claim', () => {
    const read = compileClaimReader(
      [
        {
          id: 'auth/broken',
          port: strategy('Broken', () => {
            throw new Error('bad header');
          }),
        },
      ],
      silentLogger,
    );
    expect(read(request)).toBeUndefined();
  });
});
