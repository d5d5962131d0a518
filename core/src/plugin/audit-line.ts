import type { AuditEvent } from './ports/audit-sink.js';

// Filled by the hub's hash chain, which builds each event's canonical JSON for its hash anyway. Keyed weakly by
// the event object itself: an entry lives as long as its event and belongs to the server that linked it.
const lines = new WeakMap<AuditEvent, string>();

/** Records the JSON text of a linked event (core's hash chain calls it; a sink never needs to). */
export function keepAuditLine(event: AuditEvent, line: string): void {
  lines.set(event, line);
}

/**
 * An audit event as one line of JSON, for a sink to write: the text its hash was computed over (keys sorted,
 * `hash` last), so an event is serialized once, not once for the hash and once for the sink. An event the hub did
 * not link (a test's hand-made one) is serialized here.
 *
 * @example stream.write(batch.map((event) => `${auditLine(event)}\n`).join(''))
 */
export function auditLine(event: AuditEvent): string {
  return lines.get(event) ?? JSON.stringify(event);
}
