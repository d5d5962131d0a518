import { describe, expect, it } from 'vitest';
import { lifetimeExceeds } from './token-lifetime.js';

const now = 1_000_000;

describe('lifetimeExceeds', () => {
  it('measures exp - iat when iat is in the past, whatever is left of it', () => {
    expect(lifetimeExceeds({ iat: now - 3000, exp: now + 600 }, 3600, 30, now)).toBe(false);
    expect(lifetimeExceeds({ iat: now - 3000, exp: now + 601 }, 3600, 30, now)).toBe(true);
    // Almost expired, but issued for a year: refused, since it was a long-lived credential all along.
    expect(lifetimeExceeds({ iat: now - 31_536_000, exp: now + 10 }, 3600, 30, now)).toBe(true);
  });

  it('measures exp - now, with the clock tolerance, when iat is absent', () => {
    expect(lifetimeExceeds({ exp: now + 3630 }, 3600, 30, now)).toBe(false);
    expect(lifetimeExceeds({ exp: now + 3631 }, 3600, 30, now)).toBe(true);
  });

  it('does not let a future iat shorten the lifetime', () => {
    expect(lifetimeExceeds({ iat: now + 31_536_000, exp: now + 31_536_060 }, 3600, 30, now)).toBe(true);
  });
});
