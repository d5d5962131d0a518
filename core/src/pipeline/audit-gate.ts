import { stop, type Verdict } from './verdict.js';

/** What a request is for, as `auditing.refuseWhenUnrecordable` names it. */
export type AuditedEndpoint = 'mcp' | 'admin' | 'metrics';
export const AUDITED_ENDPOINTS: readonly AuditedEndpoint[] = ['mcp', 'admin', 'metrics'];

const OPEN: Verdict = { continue: true };

/**
 * The gate in front of everything the server would have to record, as Vault's audit devices work: while the
 * audit hub cannot store events in a fail-closed sink, a request to a gated endpoint is refused (HTTP 503,
 * JSON-RPC -31050) before it is authenticated or served, so no answer, denial or 401 leaves unrecorded.
 */
export function auditGate(hub: { canRecord(): boolean }, refuse: readonly AuditedEndpoint[]): (endpoint: AuditedEndpoint) => Verdict {
  const gated = new Set(refuse);
  return (endpoint) =>
    gated.has(endpoint) && !hub.canRecord()
      ? stop('AUDIT_UNAVAILABLE', 'the audit log is unavailable; the server answers nothing it cannot record', { headers: { 'Retry-After': '5' } })
      : OPEN;
}
