// Server-side printing: the meta.k8s.io/v1 Table the API server returns when a client (kubectl get) asks for
// `Accept: application/json;as=Table;v=v1;g=meta.k8s.io`. Columns are the real printers' (pkg/printers/internalversion).
import type { KubeObject } from './fixture-store.js';

interface Column {
  readonly name: string;
  readonly type: string;
  readonly format: string;
  readonly description: string;
  readonly priority: number;
}

const NAME: Column = {
  name: 'Name',
  type: 'string',
  format: 'name',
  description:
    'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names',
  priority: 0,
};
const AGE: Column = {
  name: 'Age',
  type: 'string',
  format: '',
  description:
    'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata',
  priority: 0,
};
const col = (name: string, type: string, description: string, priority = 0): Column => ({ name, type, format: '', description, priority });

/** kubectl's short duration ("45s", "12m", "3h", "11d"), from the fixture's recorded clock. */
export function shortAge(timestamp: unknown, now: number): string {
  const seconds = Math.max(0, Math.floor((now - Date.parse(String(timestamp))) / 1000));
  if (seconds < 120) return `${seconds}s`;
  if (seconds < 3600 * 3) return `${Math.floor(seconds / 60)}m`;
  if (seconds < 86400 * 2) return `${Math.floor(seconds / 3600)}h`;
  return `${Math.floor(seconds / 86400)}d`;
}

type Printer = { columns: readonly Column[]; cells(o: KubeObject, now: number): unknown[] };

const get = (o: unknown, path: string): unknown =>
  path.split('.').reduce<unknown>((v, k) => (typeof v === 'object' && v !== null ? (v as Record<string, unknown>)[k] : undefined), o);

function podStatus(o: KubeObject): string {
  const statuses = (get(o, 'status.containerStatuses') as { state?: Record<string, { reason?: string }> }[] | undefined) ?? [];
  for (const s of statuses) {
    const reason = s.state?.waiting?.reason ?? s.state?.terminated?.reason;
    if (reason) return reason;
  }
  if (get(o, 'metadata.deletionTimestamp')) return 'Terminating';
  return String(get(o, 'status.phase') ?? 'Unknown');
}

const PRINTERS: Readonly<Record<string, Printer>> = {
  pods: {
    columns: [
      NAME,
      col('Ready', 'string', 'The aggregate readiness state of this pod for accepting traffic.'),
      col('Status', 'string', 'The aggregate status of the containers in this pod.'),
      col('Restarts', 'string', 'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.'),
      AGE,
      col('IP', 'string', 'IP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated.', 1),
      col(
        'Node',
        'string',
        'NodeName is a request to schedule this pod onto a specific node. If it is non-empty, the scheduler simply schedules this pod onto that node, assuming that it fits resource requirements.',
        1,
      ),
    ],
    cells(o, now) {
      const statuses =
        (get(o, 'status.containerStatuses') as
          { ready?: boolean; restartCount?: number; lastState?: { terminated?: { finishedAt?: string } } }[] | undefined) ?? [];
      const containers = (get(o, 'spec.containers') as unknown[]).length;
      const restarts = statuses.reduce((n, s) => n + (s.restartCount ?? 0), 0);
      const last = statuses.map((s) => s.lastState?.terminated?.finishedAt).find((t) => t !== undefined);
      return [
        o.metadata.name,
        `${statuses.filter((s) => s.ready).length}/${containers}`,
        podStatus(o),
        last && restarts > 0 ? `${restarts} (${shortAge(last, now)} ago)` : String(restarts),
        shortAge(o.metadata.creationTimestamp, now),
        get(o, 'status.podIP') ?? '<none>',
        get(o, 'spec.nodeName') ?? '<none>',
      ];
    },
  },
  deployments: {
    columns: [
      NAME,
      col('Ready', 'string', 'Number of the pod with ready state'),
      col('Up-to-date', 'string', 'Total number of non-terminated pods targeted by this deployment that have the desired template spec.'),
      col('Available', 'string', 'Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.'),
      AGE,
      col('Containers', 'string', 'Names of each container in the template.', 1),
      col('Images', 'string', 'Images referenced by each container in the template.', 1),
    ],
    cells(o, now) {
      const containers = (get(o, 'spec.template.spec.containers') as { name: string; image: string }[]) ?? [];
      return [
        o.metadata.name,
        `${Number(get(o, 'status.readyReplicas') ?? 0)}/${Number(get(o, 'spec.replicas') ?? 0)}`,
        Number(get(o, 'status.updatedReplicas') ?? 0),
        Number(get(o, 'status.availableReplicas') ?? 0),
        shortAge(o.metadata.creationTimestamp, now),
        containers.map((c) => c.name).join(','),
        containers.map((c) => c.image).join(','),
      ];
    },
  },
};

/** The default printer every resource without its own has: name and creation time. */
const DEFAULT: Printer = {
  columns: [NAME, { ...AGE, name: 'Created At', type: 'date' }],
  cells: (o) => [o.metadata.name, o.metadata.creationTimestamp],
};

export function table(
  resource: string,
  objects: readonly KubeObject[],
  listMeta: Record<string, unknown>,
  includeObject: string,
  now: number,
  apiVersion: string,
  kind: string,
): Record<string, unknown> {
  const printer = PRINTERS[resource] ?? DEFAULT;
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: listMeta,
    columnDefinitions: printer.columns,
    rows: objects.map((o) => ({
      cells: printer.cells(o, now),
      object:
        includeObject === 'None'
          ? undefined
          : includeObject === 'Object'
            ? { kind, apiVersion, ...o }
            : { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: o.metadata },
    })),
  };
}
