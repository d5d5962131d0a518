import type { AuditEvent, AuditFilter, AuditSink } from '../plugin/ports/audit-sink.js';
import { parseAuditFilter } from '../audit/audit-filter-params.js';

/** Events read per page at most when a filter the sinks cannot apply (address, text) has to be tested here. */
export const SEARCH_SCAN_LIMIT = 20_000;
const PAGE_MAX = 200;

export interface EventSearch {
  readonly filter: AuditFilter;
  /** Source address, exact. */
  readonly ip?: string;
  /** Text matched in any field, case-insensitive, or as its HMAC (how sensitive values are stored). */
  readonly text?: string;
}

export interface EventPage {
  readonly events: readonly AuditEvent[];
  /** Pass as `after` for the next page; absent when the log has no more matching events. */
  readonly next?: string;
  /** Events read to fill this page. */
  readonly scanned: number;
}

/** The explorer's query string: the CLI's filters (one grammar, audit-filter-params.ts) plus `ip` and `q`. */
export function searchFromQuery(params: URLSearchParams): EventSearch | string {
  const filter = parseAuditFilter((name) => params.get(name) || undefined, PAGE_MAX);
  if (typeof filter === 'string') return filter;
  const ip = params.get('ip') || undefined;
  const text = params.get('q') || undefined;
  if (text !== undefined && text.length > 512) return 'q must be at most 512 characters';
  return { filter, ...(ip ? { ip } : {}), ...(text ? { text } : {}) };
}

/**
 * One page of matching events, oldest first, read from the sink's cursor (`after`) and never past one page
 * (plus at most SEARCH_SCAN_LIMIT events when address or text must be tested here): the log is never loaded whole.
 * A page cut short by the scan limit still returns a cursor, so the next page continues where this one stopped.
 */
export async function searchEvents(sink: AuditSink, search: EventSearch, hmac: (value: string) => string): Promise<EventPage> {
  const pageSize = search.filter.limit ?? 100;
  const local = matcherOf(search, hmac);
  const events: AuditEvent[] = [];
  let scanned = 0;
  let last: string | undefined;
  const limit = local ? SEARCH_SCAN_LIMIT : pageSize;
  for await (const event of sink.query!({ ...search.filter, limit })) {
    scanned++;
    last = event.id;
    if (local && !local(event)) continue;
    events.push(event);
    if (events.length === pageSize) break;
  }
  const more = events.length === pageSize || scanned === limit;
  return { events, scanned, ...(more && last ? { next: last } : {}) };
}

function matcherOf(search: EventSearch, hmac: (value: string) => string): ((event: AuditEvent) => boolean) | undefined {
  const { ip, text } = search;
  if (ip === undefined && text === undefined) return undefined;
  const needle = text?.toLowerCase();
  // Sensitive values are stored as their HMAC under the deployment key: hash what was typed, as the log did.
  const hashed = text !== undefined ? hmac(text) : undefined;
  return (event) => {
    if (ip !== undefined && event.source?.ip !== ip) return false;
    if (needle === undefined) return true;
    const json = JSON.stringify(event);
    return json.includes(hashed!) || json.toLowerCase().includes(needle);
  };
}
