import type { AuditEvent } from '@cnmcp/core/plugin';

/** Detail keys never forwarded, whatever an event carries: a receiver is outside the audit trail's protection. */
const SENSITIVE_KEY = /secret|passw|token|key|authorization|cookie|credential/i;

/**
 * The part of an audit event a receiver gets. Tool arguments are left out (even their HMACs can be guessed from a
 * short value), errors keep only their code, and details lose every key that could name a credential.
 */
export function eventPayload(event: AuditEvent): Record<string, unknown> {
  const details = event.details ? Object.fromEntries(Object.entries(event.details).filter(([key]) => !SENSITIVE_KEY.test(key))) : undefined;
  return {
    id: event.id,
    time: event.time,
    type: event.type,
    outcome: event.outcome,
    ...(event.actor ? { actor: { id: event.actor.id, authMethod: event.actor.authMethod } } : {}),
    ...(event.source
      ? { source: { ...(event.source.ip ? { ip: event.source.ip } : {}), ...(event.source.transport ? { transport: event.source.transport } : {}) } }
      : {}),
    ...(event.tool ? { tool: event.tool } : {}),
    ...(event.requestId ? { requestId: event.requestId } : {}),
    ...(event.traceId ? { traceId: event.traceId } : {}),
    ...(event.error ? { error: { code: event.error.code } } : {}),
    ...(details && Object.keys(details).length > 0 ? { details } : {}),
  };
}
