import { describe, expect, it } from 'vitest';
import { durationSeconds, timeSeconds } from './prom-time.js';

describe('prometheus times', () => {
  it('reads durations, combined units included', () => {
    expect(durationSeconds('90s')).toBe(90);
    expect(durationSeconds('1h30m')).toBe(5400);
    expect(durationSeconds('500ms')).toBe(0.5);
    expect(() => durationSeconds('5 minutes')).toThrow(/not a duration/);
  });

  it('reads now, now-<duration>, Unix seconds and RFC 3339', () => {
    expect(timeSeconds('now', 1000, 'time')).toBe(1000);
    expect(timeSeconds('now-1m', 1000, 'time')).toBe(940);
    expect(timeSeconds('1700000000.5', 0, 'time')).toBe(1_700_000_000.5);
    expect(timeSeconds('2026-01-31T12:00:00Z', 0, 'time')).toBe(Date.UTC(2026, 0, 31, 12) / 1000);
    expect(() => timeSeconds('2026-13-45T99:00:00Z', 0, 'start')).toThrow(/start "2026-13-45T99:00:00Z" is not a time/);
  });
});
