import type { AuditEvent, AuditFilter } from '@cnmcp/core/plugin';
import { toolGlobRegExp } from './tool-glob.js';

/**
 * A predicate for every field of a filter but `limit`, which the caller applies while streaming. `since` and `until`
 * are inclusive and compare the event's `time`; `after` compares ids (ULIDs sort by time).
 */
export function matcherOf(filter: AuditFilter): (event: AuditEvent) => boolean {
  const tool = filter.tool === undefined ? undefined : toolGlobRegExp(filter.tool);
  const since = filter.since?.getTime();
  const until = filter.until?.getTime();
  return (e) => {
    if (filter.type !== undefined && e.type !== filter.type) return false;
    if (filter.outcome !== undefined && e.outcome !== filter.outcome) return false;
    if (filter.actor !== undefined && e.actor?.id !== filter.actor) return false;
    if (filter.after !== undefined && !(e.id > filter.after)) return false;
    if (tool !== undefined && (e.tool === undefined || !tool.test(e.tool))) return false;
    if (since === undefined && until === undefined) return true;
    const time = Date.parse(e.time);
    return (since === undefined || time >= since) && (until === undefined || time <= until);
  };
}
