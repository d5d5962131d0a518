import type { AuditEvent } from './ports/audit-sink.js';

/**
 * Where each audit event type the code emits can carry the person it is about: the authenticated actor, a claimed
 * user name (basic auth, an expired API key, a client certificate's CN) or a lockout key. `test` enumerates the
 * types emitted anywhere in core and the plugins and fails on a type missing here, so a new event type is
 * thought through for erasure. Erasure itself replaces the subject wherever it stands as a whole value (see
 * `eraseSubject`), so a field forgotten here is still erased.
 */
export const SUBJECT_FIELDS: Readonly<Record<string, readonly string[]>> = {
  'auth.success': ['actor.id'],
  'auth.failure': ['details.subject'],
  'auth.lockout': ['details.subject'],
  'access.denied': ['actor.id'],
  'rate.limited': ['actor.id', 'details.subject'],
  'input.rejected': ['actor.id'],
  'input.sanitized': ['actor.id'],
  'request.rejected': ['actor.id'],
  'tool.call': ['actor.id', 'arguments'],
  'resource.read': ['actor.id'],
  'prompt.get': ['actor.id', 'arguments'],
  'request.failed': ['actor.id'],
  // The viewer, and an actor it filtered the log by.
  'console.view': ['actor.id', 'details.filters.actor'],
  // The reader of /admin/audit, and an actor it filtered the log by.
  'audit.read': ['actor.id', 'details.filters.actor'],
  error: [],
  'config.loaded': [],
  'config.insecure': [],
  'server.started': [],
  'server.stopped': [],
  'secret.stored': [],
  'secret.rotated': [],
  'secret.deleted': [],
  'tls.issued': [],
  'tls.renewed': [],
  'tls.issue_failed': [],
  'tls.renewal_failed': [],
  'tls.reloaded': [],
  'tls.reload_failed': [],
  // Names pseudonyms and hashes only.
  'audit.erased': [],
  'audit.unavailable': [],
};

/** Fields that seal and place an event: never personal data, never rewritten. */
const SEAL = new Set(['id', 'time', 'type', 'outcome', 'chain', 'seq', 'prevHash', 'hash', 'keyId']);

/**
 * The event with every string equal to `subject` (in the actor, details, arguments, error, source: any field but
 * the seal) replaced by `pseudonym`, or undefined when the event does not name the subject. Keys keep their order.
 */
export function eraseSubject(event: AuditEvent, subject: string, pseudonym: string): AuditEvent | undefined {
  let changed = false;
  const replace = (value: unknown): unknown => {
    if (value === subject) {
      changed = true;
      return pseudonym;
    }
    if (Array.isArray(value)) return value.map(replace);
    if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, replace(v)]));
    return value;
  };
  const erased = Object.fromEntries(Object.entries(event).map(([k, v]) => [k, SEAL.has(k) ? v : replace(v)])) as unknown as AuditEvent;
  return changed ? erased : undefined;
}
