import { describe, expect, it } from 'vitest';
import { parseAuditFilter, parseAuditTime } from './audit-filter-params.js';

const NOW = Date.parse('2026-12-04T12:00:00.000Z');
const parse = (params: Record<string, string>, max = 1000) => parseAuditFilter((name) => params[name], max, NOW);

describe('the audit filter grammar (CLI flags and /admin/audit alike)', () => {
  it('takes durations ago and ISO dates', () => {
    expect(parseAuditTime('30s', NOW)?.toISOString()).toBe('2026-12-04T11:59:30.000Z');
    expect(parseAuditTime('1h', NOW)?.toISOString()).toBe('2026-12-04T11:00:00.000Z');
    expect(parseAuditTime('7d', NOW)?.toISOString()).toBe('2026-11-27T12:00:00.000Z');
    expect(parseAuditTime('2026-12-01', NOW)?.toISOString()).toBe('2026-12-01T00:00:00.000Z');
    expect(parseAuditTime('2026-12-01T10:00:00+02:00', NOW)?.toISOString()).toBe('2026-12-01T08:00:00.000Z');
    for (const bad of ['yesterday', '1', '1w', '-1h', 'March 7', '2026-13-01', '']) expect(parseAuditTime(bad, NOW)).toBeUndefined();
  });

  it('builds the filter, caps the limit, and names the parameter it refuses', () => {
    expect(parse({ since: '1h', until: '2026-12-04', type: 'auth.failure', actor: 'a', tool: 'k_*', outcome: 'denied', after: '01J', limit: '5000' })).toEqual({
      since: new Date('2026-12-04T11:00:00.000Z'),
      until: new Date('2026-12-04T00:00:00.000Z'),
      type: 'auth.failure',
      actor: 'a',
      tool: 'k_*',
      outcome: 'denied',
      after: '01J',
      limit: 1000,
    });
    expect(parse({})).toEqual({ limit: 100 });
    expect(parse({ since: 'yesterday' })).toMatch(/^since must be a duration ago/);
    expect(parse({ until: 'soon' })).toMatch(/^until must be/);
    expect(parse({ outcome: 'maybe' })).toBe('outcome must be success, failure, denied or error');
    for (const limit of ['0', '-1', '1.5', 'abc', '1e3', '']) expect(parse({ limit })).toBe('limit must be a positive integer');
  });
});
