import type { ServerResponse } from 'node:http';
import type { AuditEvent, AuditFilter, AuditSink } from '../plugin/ports/audit-sink.js';
import { sendJsonRpcError } from './send-error.js';

const OUTCOMES = new Set(['success', 'failure', 'denied', 'error']);
const STATS_SCAN_LIMIT = 100_000;

/** The filters of `cnmcp audit query`, read from a query string. Invalid values are a 400 naming the parameter. */
export function filterFromQuery(params: URLSearchParams, maxLimit: number): AuditFilter | string {
  const filter: { -readonly [K in keyof AuditFilter]: AuditFilter[K] } = {};
  for (const name of ['since', 'until'] as const) {
    const value = params.get(name);
    if (value === null) continue;
    const date = new Date(value);
    if (Number.isNaN(date.getTime())) return `${name} must be an ISO date`;
    filter[name] = date;
  }
  for (const name of ['type', 'actor', 'tool', 'after'] as const) {
    const value = params.get(name);
    if (value !== null) filter[name] = value;
  }
  const outcome = params.get('outcome');
  if (outcome !== null) {
    if (!OUTCOMES.has(outcome)) return 'outcome must be success, failure, denied or error';
    filter.outcome = outcome as AuditEvent['outcome'];
  }
  const limit = Number(params.get('limit') ?? 100);
  if (!Number.isInteger(limit) || limit < 1) return 'limit must be a positive integer';
  filter.limit = Math.min(limit, maxLimit);
  return filter;
}

/** GET /admin/audit: one page of events, oldest first, with the cursor of the next page. */
export async function serveAuditPage(res: ServerResponse, sink: AuditSink, params: URLSearchParams): Promise<void> {
  const filter = filterFromQuery(params, 1000);
  if (typeof filter === 'string') return sendJsonRpcError(res, 400, -32602, filter);
  const events: AuditEvent[] = [];
  for await (const event of sink.query!(filter)) events.push(event);
  const next = events.length === filter.limit ? events.at(-1)?.id : undefined;
  res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ events, ...(next ? { next } : {}) }));
}

/** GET /admin/audit/stats: counts by type, outcome, tool and actor over a range (at most 100,000 events scanned). */
export async function serveAuditStats(res: ServerResponse, sink: AuditSink, params: URLSearchParams): Promise<void> {
  const filter = filterFromQuery(params, STATS_SCAN_LIMIT);
  if (typeof filter === 'string') return sendJsonRpcError(res, 400, -32602, filter);
  const count = (map: Record<string, number>, key: string | undefined) => {
    if (key !== undefined) map[key] = (map[key] ?? 0) + 1;
  };
  const stats = { total: 0, byType: {}, byOutcome: {}, byTool: {}, byActor: {} } as { total: number } & Record<
    'byType' | 'byOutcome' | 'byTool' | 'byActor',
    Record<string, number>
  >;
  for await (const event of sink.query!({ ...filter, limit: STATS_SCAN_LIMIT })) {
    stats.total++;
    count(stats.byType, event.type);
    count(stats.byOutcome, event.outcome);
    count(stats.byTool, event.tool);
    count(stats.byActor, event.actor?.id);
  }
  res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ ...stats, truncated: stats.total >= STATS_SCAN_LIMIT }));
}
