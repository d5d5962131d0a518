import { PASS, stop, type StageVerdict } from './verdict.js';

/**
 * A named permission (`audit:read`, `metrics:read`) when no authorizer is configured. Fail closed: with auth on,
 * nothing is granted (role names mean nothing without an authorizer that defines them); with no auth at all
 * (loopback development) the metrics stay readable, as before, and the audit log stays closed.
 */
export function decidePermission(name: string, authOn: boolean): StageVerdict {
  if (!authOn && name === 'metrics:read') return PASS;
  return stop('FORBIDDEN', `permission ${name} is not granted`, { details: { permission: name } });
}
