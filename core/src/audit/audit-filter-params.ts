import type { AuditEvent, AuditFilter } from '../plugin/ports/audit-sink.js';

const UNITS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const OUTCOMES: ReadonlySet<string> = new Set(['success', 'failure', 'denied', 'error']);

/** The one time grammar of audit filters (CLI flags and /admin/audit): `30s`, `30m`, `1h`, `7d` (that long ago) or an ISO date. */
export function parseAuditTime(text: string, now = Date.now()): Date | undefined {
  const relative = /^(\d+)([smhd])$/.exec(text);
  if (relative) return new Date(now - Number(relative[1]) * UNITS[relative[2]!]!);
  // Only dates that look like ISO 8601: Date's own parser also takes "1" or "March 7", which mean nothing here.
  if (!/^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(text)) return undefined;
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/**
 * The filters of `cnmcp audit query` and of `GET /admin/audit`, read by name from flags or a query string, so both
 * take exactly the same values. An invalid value is a message naming the parameter.
 */
export function parseAuditFilter(get: (name: string) => string | undefined, maxLimit: number, now = Date.now()): AuditFilter | string {
  const filter: { -readonly [K in keyof AuditFilter]: AuditFilter[K] } = {};
  for (const name of ['since', 'until'] as const) {
    const value = get(name);
    if (value === undefined) continue;
    const date = parseAuditTime(value, now);
    if (!date) return `${name} must be a duration ago (30s, 30m, 1h, 7d) or an ISO date, not ${JSON.stringify(value)}`;
    filter[name] = date;
  }
  for (const name of ['type', 'actor', 'tool', 'after'] as const) {
    const value = get(name);
    if (value !== undefined) filter[name] = value;
  }
  const outcome = get('outcome');
  if (outcome !== undefined) {
    if (!OUTCOMES.has(outcome)) return 'outcome must be success, failure, denied or error';
    filter.outcome = outcome as AuditEvent['outcome'];
  }
  const limitText = get('limit') ?? '100';
  const limit = /^\d+$/.test(limitText) ? Number(limitText) : NaN;
  if (!Number.isSafeInteger(limit) || limit < 1) return 'limit must be a positive integer';
  filter.limit = Math.min(limit, maxLimit);
  return filter;
}
