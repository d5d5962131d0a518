import type { ToolContext } from '@cnmcp/core/plugin';
import type { KubeObject } from '../object-view.js';
import { summarize, type Summary } from '../object-view.js';
import type { PackDeps } from '../pack-deps.js';

/** Most events returned for one object; the newest are kept. */
export const MAX_OBJECT_EVENTS = 50;

const lastSeen = (e: KubeObject) => String(e.lastTimestamp ?? e.eventTime ?? e.metadata?.creationTimestamp ?? '');

/** Newest first. */
export function byRecency(events: KubeObject[]): KubeObject[] {
  return [...events].sort((a, b) => (lastSeen(a) < lastSeen(b) ? 1 : lastSeen(a) > lastSeen(b) ? -1 : 0));
}

/** The core/v1 events about one object, newest first, as `kubectl describe` shows them. */
export async function eventsOf(
  deps: PackDeps,
  ctx: ToolContext,
  kind: string,
  name: string,
  namespace: string | undefined,
): Promise<{ events: Summary[]; truncated: boolean }> {
  const events = await deps.catalog.resolve(ctx, 'events', 'v1');
  const selector = [`involvedObject.kind=${kind}`, `involvedObject.name=${name}`, ...(namespace ? [`involvedObject.namespace=${namespace}`] : [])].join(',');
  const list = (await deps.backend.call(ctx, `list events of ${kind} "${name}"`, () =>
    deps.backend.objects.list(events.apiVersion, events.kind, namespace, undefined, undefined, undefined, selector, undefined, 500),
  )) as unknown as { items?: KubeObject[] };
  const sorted = byRecency(list.items ?? []);
  return { events: sorted.slice(0, MAX_OBJECT_EVENTS).map((e) => summarize(e, 'Event')), truncated: sorted.length > MAX_OBJECT_EVENTS };
}

export function eventLines(events: readonly Summary[]): string {
  return events
    .map((e) => `${String(e.last)}  ${String(e.type)}  ${String(e.reason)}  ${String(e.object)}  (x${String(e.count)})  ${String(e.message)}`)
    .join('\n');
}
