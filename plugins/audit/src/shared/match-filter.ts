import type { AuditEvent, AuditFilter } from '@cnmcp/core/plugin';

const globToRegExp = (glob: string) => new RegExp(`^${glob.replace(/[.+^${}()|[\]\\?]/g, '\\$&').replace(/\*/g, '.*')}$`);

/** A predicate for every field of a filter but `limit` (which the caller applies while streaming). */
export function matcherOf(filter: AuditFilter): (event: AuditEvent) => boolean {
  const tool = filter.tool === undefined ? undefined : globToRegExp(filter.tool);
  const since = filter.since?.getTime();
  const until = filter.until?.getTime();
  return (e) => {
    const time = Date.parse(e.time);
    return (
      (since === undefined || time >= since) &&
      (until === undefined || time <= until) &&
      (filter.type === undefined || e.type === filter.type) &&
      (filter.actor === undefined || e.actor?.id === filter.actor) &&
      (filter.outcome === undefined || e.outcome === filter.outcome) &&
      (tool === undefined || (e.tool !== undefined && tool.test(e.tool))) &&
      (filter.after === undefined || e.id > filter.after)
    );
  };
}
