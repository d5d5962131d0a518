import type { CidrList } from '../transport/cidr-list.js';
import type { LimitStage } from './limit.js';
import { stop, type Verdict } from './verdict.js';

export type AdmitStage = (ip: string) => Verdict;

/** `limits.denyList`: these client addresses are refused before any other stage (no store involved). */
export function compileDenyList(deny: CidrList): AdmitStage | undefined {
  if (deny.size === 0) return undefined;
  return (ip) => (deny.has(ip) ? stop('FORBIDDEN', 'requests from this address are not accepted', { details: { denyList: true } }) : { continue: true });
}

/** `limits.allowList`: these client addresses skip the per-address limit; every other rule still applies. */
export function exemptAllowList(limit: LimitStage | undefined, allow: CidrList): LimitStage | undefined {
  if (!limit || allow.size === 0) return limit;
  return (ip) => (allow.has(ip) ? Promise.resolve({ continue: true }) : limit(ip));
}
