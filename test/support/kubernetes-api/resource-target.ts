// What a resource request is about (group, version, resource, namespace, name, subresource) and the views of the
// stored objects it is served with: typed objects, converted events, selections and tables.
import { eventsV1 } from './event-versions.js';
import { FIELD_SELECTORS, type ApiResource, type KubeObject } from './fixture-store.js';
import type { ServerState } from './routes.js';
import { fieldMatcher, labelMatcher } from './selectors.js';
import { table } from './tables.js';

export interface Target {
  readonly group: string;
  readonly version: string;
  readonly resource: ApiResource;
  readonly namespace: string | undefined;
  readonly name: string | undefined;
  readonly subresource: string | undefined;
}

export const apiVersionOf = (t: Pick<Target, 'group' | 'version'>): string => (t.group === '' ? t.version : `${t.group}/${t.version}`);

/** The object as the client's group version serves it: kind and apiVersion first, events.k8s.io converted. */
export function servedAs(t: Target, o: KubeObject): Record<string, unknown> {
  if (t.group === 'events.k8s.io') return eventsV1(o);
  return { kind: t.resource.kind, apiVersion: apiVersionOf(t), ...o };
}

/** The objects of `t` a list or watch selects: namespace, label and field selectors. */
export function selected(t: Target, query: URLSearchParams): (o: KubeObject) => boolean {
  const labels = labelMatcher(query.get('labelSelector') ?? undefined);
  const fields = fieldMatcher(query.get('fieldSelector') ?? undefined, FIELD_SELECTORS[t.resource.name] ?? []);
  return (o) =>
    (t.namespace === undefined || o.metadata.namespace === t.namespace) && labels((o.metadata.labels as Record<string, string> | undefined) ?? {}) && fields(o);
}

export function tableOf(
  state: ServerState,
  t: Target,
  query: URLSearchParams,
  objects: readonly KubeObject[],
  meta: Record<string, unknown>,
  noHeaders = false,
) {
  return table(
    {
      noHeaders,
      group: t.group,
      resource: t.resource.name,
      includeObject: query.get('includeObject') ?? 'PartialObjectMetadata',
      now: state.now,
      served: (o) => servedAs(t, o),
    },
    objects,
    meta,
  );
}
