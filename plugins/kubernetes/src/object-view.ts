// What the pack shows of an object: noise removed, Secret values withheld, a one-line summary per kind.

export type KubeObject = Record<string, unknown> & { metadata?: Record<string, unknown> };

const get = (o: unknown, path: string): unknown =>
  path.split('.').reduce<unknown>((v, k) => (typeof v === 'object' && v !== null ? (v as Record<string, unknown>)[k] : undefined), o);

/**
 * The object as a model should see it: `metadata.managedFields` dropped (bookkeeping, often larger than the object),
 * and a Secret's values replaced by their sizes, so credentials never enter a model's context, unless the
 * operator opted in with `secrets: read`.
 */
export function cleanObject(object: KubeObject, kind: string, apiVersion: string, secretValues = false): KubeObject {
  const { managedFields: _managed, ...metadata } = (object.metadata ?? {}) as Record<string, unknown>;
  const cleaned: KubeObject = { apiVersion: object.apiVersion ?? apiVersion, kind: object.kind ?? kind, ...object, metadata };
  if (cleaned.kind === 'Secret' && !secretValues) {
    for (const field of ['data', 'stringData']) {
      const values = cleaned[field] as Record<string, string> | undefined;
      if (values) cleaned[field] = Object.fromEntries(Object.entries(values).map(([k, v]) => [k, `<withheld: ${String(v).length} characters>`]));
    }
  }
  return cleaned;
}

export interface Summary {
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
  readonly created?: string;
  readonly status?: string;
  readonly ready?: string;
  readonly [detail: string]: unknown;
}

/** kubectl's pod STATUS column: the first waiting/terminated reason, else Terminating, else the phase. */
export function podStatus(pod: unknown): string {
  const statuses = [...((get(pod, 'status.initContainerStatuses') as unknown[]) ?? []), ...((get(pod, 'status.containerStatuses') as unknown[]) ?? [])];
  for (const s of statuses) {
    const reason = (get(s, 'state.waiting.reason') ?? get(s, 'state.terminated.reason')) as string | undefined;
    if (reason && reason !== 'Completed') return reason;
  }
  if (get(pod, 'metadata.deletionTimestamp')) return 'Terminating';
  return String(get(pod, 'status.phase') ?? 'Unknown');
}

const conditionStatus = (o: unknown, type: string) =>
  ((get(o, 'status.conditions') as { type: string; status: string }[] | undefined) ?? []).find((c) => c.type === type)?.status;

export function summarize(object: KubeObject, kind: string): Summary {
  const base = {
    kind,
    name: String(get(object, 'metadata.name')),
    ...(get(object, 'metadata.namespace') ? { namespace: String(get(object, 'metadata.namespace')) } : {}),
    ...(get(object, 'metadata.creationTimestamp') ? { created: String(get(object, 'metadata.creationTimestamp')) } : {}),
  };
  const n = (path: string) => Number(get(object, path) ?? 0);
  switch (kind) {
    case 'Pod': {
      const statuses = (get(object, 'status.containerStatuses') as { ready?: boolean; restartCount?: number }[] | undefined) ?? [];
      const containers = ((get(object, 'spec.containers') as unknown[]) ?? []).length;
      return {
        ...base,
        status: podStatus(object),
        ready: `${statuses.filter((s) => s.ready).length}/${containers}`,
        restarts: statuses.reduce((sum, s) => sum + (s.restartCount ?? 0), 0),
        ...(get(object, 'spec.nodeName') ? { node: get(object, 'spec.nodeName') } : {}),
        ...(get(object, 'status.podIP') ? { ip: get(object, 'status.podIP') } : {}),
      };
    }
    case 'Deployment':
    case 'StatefulSet':
    case 'ReplicaSet':
      return {
        ...base,
        ready: `${n('status.readyReplicas')}/${n('spec.replicas')}`,
        upToDate: n('status.updatedReplicas'),
        available: n('status.availableReplicas'),
        status: n('status.readyReplicas') >= n('spec.replicas') ? 'Ready' : 'NotReady',
      };
    case 'DaemonSet':
      return {
        ...base,
        ready: `${n('status.numberReady')}/${n('status.desiredNumberScheduled')}`,
        status: n('status.numberUnavailable') > 0 ? 'NotReady' : 'Ready',
      };
    case 'Node': {
      const ready = conditionStatus(object, 'Ready');
      return {
        ...base,
        status: `${ready === 'True' ? 'Ready' : 'NotReady'}${get(object, 'spec.unschedulable') ? ',SchedulingDisabled' : ''}`,
        roles: Object.keys((get(object, 'metadata.labels') as Record<string, string>) ?? {})
          .filter((l) => l.startsWith('node-role.kubernetes.io/'))
          .map((l) => l.slice('node-role.kubernetes.io/'.length)),
        version: get(object, 'status.nodeInfo.kubeletVersion'),
      };
    }
    case 'Service':
      return {
        ...base,
        type: get(object, 'spec.type'),
        clusterIP: get(object, 'spec.clusterIP'),
        ports: ((get(object, 'spec.ports') as { port: number; protocol?: string }[]) ?? []).map((p) => `${p.port}/${p.protocol ?? 'TCP'}`).join(','),
      };
    case 'Namespace':
    case 'PersistentVolumeClaim':
    case 'PersistentVolume':
      return { ...base, status: String(get(object, 'status.phase') ?? '') };
    case 'Job':
      return {
        ...base,
        status: conditionStatus(object, 'Complete') === 'True' ? 'Complete' : conditionStatus(object, 'Failed') === 'True' ? 'Failed' : 'Running',
        succeeded: n('status.succeeded'),
        failed: n('status.failed'),
      };
    case 'Event':
      return {
        ...base,
        type: get(object, 'type'),
        reason: get(object, 'reason'),
        object: `${String(get(object, 'involvedObject.kind'))}/${String(get(object, 'involvedObject.name'))}`,
        message: get(object, 'message'),
        count: get(object, 'count') ?? 1,
        last: get(object, 'lastTimestamp') ?? get(object, 'eventTime') ?? get(object, 'metadata.creationTimestamp'),
      };
    default:
      return base;
  }
}

/** One summary as a text line, for the readable content block. */
export function summaryLine(s: Summary): string {
  const { kind: _kind, name, namespace, created: _created, ...rest } = s;
  const details = Object.entries(rest)
    .filter(([, v]) => v !== undefined && v !== '' && !(Array.isArray(v) && v.length === 0))
    .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join(',') : String(v)}`)
    .join(' ');
  return `${namespace ? `${namespace}/` : ''}${name}${details ? `  ${details}` : ''}`;
}
