import type { AuditEvent, AuditFilter, AuditSink } from '../plugin/ports/audit-sink.js';
import { parseAuditFilter } from '../audit/audit-filter-params.js';
import { jsonAnswer, jsonRpcErrorAnswer, type HttpAnswer } from './http-answer.js';

const STATS_SCAN_LIMIT = 100_000;

/** The filters of `cnmcp audit query`, read from a query string with the CLI's grammar. Invalid values are a 400 naming the parameter. */
export function filterFromQuery(params: URLSearchParams, maxLimit: number): AuditFilter | string {
  return parseAuditFilter((name) => params.get(name) ?? undefined, maxLimit);
}

/** GET /admin/audit: one page of events, oldest first, with the cursor of the next page. */
export async function serveAuditPage(sink: AuditSink, params: URLSearchParams): Promise<HttpAnswer> {
  const filter = filterFromQuery(params, 1000);
  if (typeof filter === 'string') return jsonRpcErrorAnswer(400, -32602, filter);
  const events: AuditEvent[] = [];
  for await (const event of sink.query!(filter)) events.push(event);
  const next = events.length === filter.limit ? events.at(-1)?.id : undefined;
  return jsonAnswer(200, { events, ...(next ? { next } : {}) });
}

/** GET /admin/audit/stats: counts by type, outcome, tool and actor over a range (at most 100,000 events scanned). */
export async function serveAuditStats(sink: AuditSink, params: URLSearchParams): Promise<HttpAnswer> {
  const filter = filterFromQuery(params, STATS_SCAN_LIMIT);
  if (typeof filter === 'string') return jsonRpcErrorAnswer(400, -32602, filter);
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
  return jsonAnswer(200, { ...stats, truncated: stats.total >= STATS_SCAN_LIMIT });
}
