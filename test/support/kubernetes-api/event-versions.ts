// events.k8s.io/v1 serves the Events stored as core v1 Events, converted field by field as the apiserver's
// conversion functions (k8s.io/kubernetes/pkg/apis/events/v1) do.
import type { KubeObject } from './fixture-store.js';

export function eventsV1(core: KubeObject): Record<string, unknown> {
  const e = core as Record<string, unknown>;
  const out: Record<string, unknown> = {
    kind: 'Event',
    apiVersion: 'events.k8s.io/v1',
    metadata: core.metadata,
    eventTime: e.eventTime ?? null,
  };
  const copy = (from: string, to: string) => {
    if (e[from] !== undefined && e[from] !== null && e[from] !== '') out[to] = e[from];
  };
  copy('series', 'series');
  copy('reportingComponent', 'reportingController');
  copy('reportingInstance', 'reportingInstance');
  copy('action', 'action');
  copy('reason', 'reason');
  copy('involvedObject', 'regarding');
  copy('related', 'related');
  copy('message', 'note');
  copy('type', 'type');
  copy('source', 'deprecatedSource');
  copy('firstTimestamp', 'deprecatedFirstTimestamp');
  copy('lastTimestamp', 'deprecatedLastTimestamp');
  copy('count', 'deprecatedCount');
  return out;
}
