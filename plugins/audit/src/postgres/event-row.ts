import { auditLine, type AuditEvent } from '@cnmcp/core/plugin';

/** The columns an INSERT fills, in the order `rowOf` gives their values. */
export const COLUMNS = ['id', 'time', 'type', 'outcome', 'actor_id', 'tool', 'chain', 'seq', 'event', 'event_text'] as const;

/** What a SELECT of `id, event, event_text` returns (node-postgres parses jsonb). */
export interface StoredRow {
  readonly id: string;
  readonly event: AuditEvent;
  readonly event_text: string | null;
}

// In JSON.stringify's output: the escapes of U+0000 and of lone surrogates, which jsonb rejects (a false hit on an
// escaped backslash only costs a spare copy in event_text).
const UNSTORABLE_ESCAPE = /\\u0000|\\ud[89a-f]/i;
const UNSTORABLE_CHARS = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * A string PostgreSQL can store in text and jsonb: U+0000 and lone surrogates become U+FFFD. Used for the filter
 * columns and parameters only; the event itself is kept exactly (see `rowOf`).
 */
export function storable(text: string): string {
  return text.replace(UNSTORABLE_CHARS, '\ufffd');
}

/**
 * The column values of one event. `event` gets the event's JSON. PostgreSQL cannot hold U+0000 in text or jsonb,
 * and jsonb rejects lone surrogates, yet any client can put them in tool arguments: such an event keeps its exact
 * JSON in `event_text` (escapes are plain ASCII there) and a copy with those characters replaced in `event`, so
 * one odd argument can neither fail a whole batch nor keep its call out of the log.
 */
export function rowOf(event: AuditEvent): unknown[] {
  const json = auditLine(event);
  const exact = !UNSTORABLE_ESCAPE.test(json);
  const optional = (text: string | undefined) => (text === undefined ? null : storable(text));
  return [
    storable(event.id),
    timeOf(event.time),
    storable(event.type),
    storable(event.outcome),
    optional(event.actor?.id),
    optional(event.tool),
    storable(event.chain),
    event.seq,
    exact ? json : JSON.stringify(storableCopy(JSON.parse(json))),
    exact ? null : json,
  ];
}

/** The event a row holds, exactly as written. */
export function eventOf(row: StoredRow): AuditEvent {
  return row.event_text === null ? row.event : (JSON.parse(row.event_text) as AuditEvent);
}

// The time column orders and expires rows. An event time that PostgreSQL would not take (a plugin may set its
// own) falls back to the time of the write (the INSERT turns null into now()) instead of failing the batch.
function timeOf(time: string): string | null {
  const ms = Date.parse(time);
  if (!Number.isFinite(ms)) return null;
  const iso = new Date(ms).toISOString();
  return /^[1-9]\d{3}-/.test(iso) ? iso : null;
}

function storableCopy(value: unknown): unknown {
  if (typeof value === 'string') return storable(value);
  if (Array.isArray(value)) return value.map(storableCopy);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [storable(k), storableCopy(v)]));
  return value;
}
