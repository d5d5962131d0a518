import type { AuditEvent, AuditSink } from '../plugin/ports/audit-sink.js';
import { parseAuditTime } from '../audit/audit-filter-params.js';

/** Events read per chart request at most (the same bound as /admin/audit/stats). */
export const ACTIVITY_SCAN_LIMIT = 100_000;
const MINUTE = 60_000;
/** Bucket widths, smallest first: the first that keeps a range under ~180 points is used. */
const BUCKETS = [MINUTE, 5 * MINUTE, 15 * MINUTE, 60 * MINUTE, 6 * 60 * MINUTE, 24 * 60 * MINUTE];
const OUTCOMES = ['success', 'failure', 'denied', 'error'] as const;
const TOP = 10;

export interface Activity {
  readonly from: string;
  readonly to: string;
  readonly bucketMs: number;
  /** Start of each bucket, in ms since the epoch. */
  readonly buckets: readonly number[];
  /** MCP calls (any event naming a tool: calls, and refusals of one) by outcome. */
  readonly calls: Readonly<Record<(typeof OUTCOMES)[number], readonly number[]>>;
  readonly authFailures: readonly number[];
  /** Lockouts starting, and attempts refused while locked out. */
  readonly lockouts: readonly number[];
  /** Refusals by the rate limits (ip, identity, tool), lockouts apart. */
  readonly rateLimited: readonly number[];
  /** Identities (or claimed subjects) and source addresses most often refused (denied or failed), most first. */
  readonly topRefusedIdentities: readonly (readonly [string, number])[];
  readonly topRefusedSources: readonly (readonly [string, number])[];
  readonly scanned: number;
  readonly truncated: boolean;
}

/** `since` (default 1h) and `until` (default now) in the audit time grammar; a message naming the parameter when invalid. */
export function rangeFromQuery(params: URLSearchParams, now = Date.now()): { from: Date; to: Date } | string {
  const read = (name: string, fallback: Date) => {
    const text = params.get(name);
    return text ? parseAuditTime(text, now) : fallback;
  };
  const from = read('since', new Date(now - 60 * MINUTE));
  const to = read('until', new Date(now));
  if (!from) return 'since must be a duration ago (30s, 30m, 1h, 7d) or an ISO date';
  if (!to) return 'until must be a duration ago (30s, 30m, 1h, 7d) or an ISO date';
  if (to <= from) return 'until must be after since';
  return { from, to };
}

/** Counts per time bucket over a range, read in one pass of the sink's query (bounded by ACTIVITY_SCAN_LIMIT). */
export async function activityOf(sink: AuditSink, from: Date, to: Date): Promise<Activity> {
  const span = to.getTime() - from.getTime();
  const bucketMs = BUCKETS.find((b) => span / b <= 180) ?? BUCKETS.at(-1)!;
  const start = Math.floor(from.getTime() / bucketMs) * bucketMs;
  const count = Math.max(1, Math.ceil((to.getTime() - start) / bucketMs));
  const series = () => new Array<number>(count).fill(0);
  const calls = Object.fromEntries(OUTCOMES.map((o) => [o, series()])) as Record<(typeof OUTCOMES)[number], number[]>;
  const authFailures = series();
  const lockouts = series();
  const rateLimited = series();
  const identities = new Map<string, number>();
  const sources = new Map<string, number>();
  let scanned = 0;
  for await (const event of sink.query!({ since: from, until: to, limit: ACTIVITY_SCAN_LIMIT })) {
    scanned++;
    const i = Math.floor((Date.parse(event.time) - start) / bucketMs);
    if (i < 0 || i >= count) continue;
    if (event.tool !== undefined) calls[event.outcome][i]!++;
    if (event.type === 'auth.failure') authFailures[i]!++;
    // A lockout starting, and each attempt refused while it lasts (a rate.limited refusal marked lockout).
    const lockout = event.type === 'auth.lockout' || (event.type === 'rate.limited' && event.details?.lockout === true);
    if (lockout) lockouts[i]!++;
    else if (event.type === 'rate.limited') rateLimited[i]!++;
    if (event.outcome === 'denied' || event.outcome === 'failure') {
      bump(identities, refusedIdentity(event));
      bump(sources, event.source?.ip);
    }
  }
  return {
    from: from.toISOString(),
    to: to.toISOString(),
    bucketMs,
    buckets: Array.from({ length: count }, (_, i) => start + i * bucketMs),
    calls,
    authFailures,
    lockouts,
    rateLimited,
    topRefusedIdentities: top(identities),
    topRefusedSources: top(sources),
    scanned,
    truncated: scanned >= ACTIVITY_SCAN_LIMIT,
  };
}

/** The authenticated actor, or for a refused login the subject it claimed. */
function refusedIdentity(event: AuditEvent): string | undefined {
  if (event.actor) return event.actor.id;
  const subject = event.details?.subject;
  return typeof subject === 'string' ? subject : undefined;
}

function bump(map: Map<string, number>, key: string | undefined): void {
  if (key !== undefined && key !== '') map.set(key, (map.get(key) ?? 0) + 1);
}

const top = (map: Map<string, number>) => [...map].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, TOP);
