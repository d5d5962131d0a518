// Server-side printers of the core (v1) kinds, after pkg/printers/internalversion/printers.go of Kubernetes v1.31:
// the same column names, types and priorities, and cells computed the same way.
import type { KubeObject } from './fixture-store.js';
import { accessModes, AGE, age, col, formatLabels, get, NAME, since, type Printer } from './table-format.js';

interface ContainerStatus {
  ready?: boolean;
  restartCount?: number;
  state?: Record<string, { reason?: string; exitCode?: number; signal?: number }>;
  lastState?: { terminated?: { finishedAt?: string } };
}

/** The pod's STATUS: the first waiting or terminated reason of a container, Terminating, or the phase. */
function podStatus(o: KubeObject): string {
  let reason = String(get(o, 'status.reason') ?? get(o, 'status.phase') ?? 'Unknown');
  const statuses = (get(o, 'status.containerStatuses') as ContainerStatus[] | undefined) ?? [];
  for (const s of [...statuses].reverse()) {
    const waiting = s.state?.waiting?.reason;
    const terminated = s.state?.terminated;
    if (waiting) reason = waiting;
    else if (terminated) reason = terminated.reason ?? (terminated.signal ? `Signal:${terminated.signal}` : `ExitCode:${terminated.exitCode ?? 0}`);
  }
  if (get(o, 'metadata.deletionTimestamp')) reason = get(o, 'status.reason') === 'NodeLost' ? 'Unknown' : 'Terminating';
  return reason;
}

const pods: Printer = {
  columns: [
    NAME,
    col('Ready', 'string', 'The aggregate readiness state of this pod for accepting traffic.'),
    col('Status', 'string', 'The aggregate status of the containers in this pod.'),
    col('Restarts', 'string', 'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.'),
    AGE,
    col('IP', 'string', 'podIP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated.', 1),
    col(
      'Node',
      'string',
      'NodeName indicates in which node this pod is scheduled. If empty, this pod is a candidate for scheduling by the scheduler defined in schedulerName.',
      1,
    ),
    col('Nominated Node', 'string', 'nominatedNodeName is set only when this pod preempts other pods on the node, but it cannot be scheduled right away.', 1),
    col('Readiness Gates', 'string', 'If specified, all readiness gates will be evaluated for pod readiness.', 1),
  ],
  cells(o, now) {
    const statuses = (get(o, 'status.containerStatuses') as ContainerStatus[] | undefined) ?? [];
    const containers = ((get(o, 'spec.containers') as unknown[] | undefined) ?? []).length;
    const restarts = statuses.reduce((n, s) => n + (s.restartCount ?? 0), 0);
    const last = statuses
      .map((s) => s.lastState?.terminated?.finishedAt)
      .filter((t): t is string => t !== undefined)
      .sort()
      .at(-1);
    const gates = (get(o, 'spec.readinessGates') as { conditionType: string }[] | undefined) ?? [];
    const conditions = (get(o, 'status.conditions') as { type: string; status: string }[] | undefined) ?? [];
    const podIPs = (get(o, 'status.podIPs') as { ip: string }[] | undefined) ?? [];
    return [
      o.metadata.name,
      `${statuses.filter((s) => s.ready).length}/${containers}`,
      podStatus(o),
      last && restarts > 0 ? `${restarts} (${since(last, now)} ago)` : String(restarts),
      age(o, now),
      podIPs[0]?.ip ?? get(o, 'status.podIP') ?? '<none>',
      get(o, 'spec.nodeName') || '<none>',
      get(o, 'status.nominatedNodeName') || '<none>',
      gates.length === 0
        ? '<none>'
        : `${gates.filter((g) => conditions.some((c) => c.type === g.conditionType && c.status === 'True')).length}/${gates.length}`,
    ];
  },
};

function servicePorts(ports: unknown): string {
  const list = (ports ?? []) as { port: number; nodePort?: number; protocol?: string }[];
  if (list.length === 0) return '<none>';
  return list.map((p) => (p.nodePort ? `${p.port}:${p.nodePort}/${p.protocol ?? 'TCP'}` : `${p.port}/${p.protocol ?? 'TCP'}`)).join(',');
}

function externalIP(o: KubeObject): string {
  const type = String(get(o, 'spec.type') ?? 'ClusterIP');
  const external = (get(o, 'spec.externalIPs') as string[] | undefined) ?? [];
  if (type === 'ExternalName') return String(get(o, 'spec.externalName') ?? '');
  if (type === 'LoadBalancer') {
    const ingress = ((get(o, 'status.loadBalancer.ingress') as { ip?: string; hostname?: string }[] | undefined) ?? []).map((i) => i.ip ?? i.hostname ?? '');
    const all = [...ingress, ...external];
    return all.length > 0 ? all.join(',') : '<pending>';
  }
  return external.length > 0 ? external.join(',') : '<none>';
}

const services: Printer = {
  columns: [
    NAME,
    col('Type', 'string', 'type determines how the Service is exposed.'),
    col('Cluster-IP', 'string', 'clusterIP is the IP address of the service and is usually assigned randomly.'),
    col('External-IP', 'string', 'externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service.'),
    col('Port(s)', 'string', 'The list of ports that are exposed by this service.'),
    AGE,
    col('Selector', 'string', 'Route service traffic to pods with label keys and values matching this selector.', 1),
  ],
  cells: (o, now) => [
    o.metadata.name,
    get(o, 'spec.type') ?? 'ClusterIP',
    get(o, 'spec.clusterIP') || '<none>',
    externalIP(o),
    servicePorts(get(o, 'spec.ports')),
    age(o, now),
    formatLabels(get(o, 'spec.selector')),
  ],
};

const count = (v: unknown) => Object.keys((v ?? {}) as object).length;

const configmaps: Printer = {
  columns: [NAME, col('Data', 'string', 'Data contains the configuration data.'), AGE],
  cells: (o, now) => [o.metadata.name, count(o.data) + count(o.binaryData), age(o, now)],
};

const secrets: Printer = {
  columns: [
    NAME,
    col('Type', 'string', 'Used to facilitate programmatic handling of secret data.'),
    col('Data', 'string', 'Data contains the secret data.'),
    AGE,
  ],
  cells: (o, now) => [o.metadata.name, o.type ?? 'Opaque', count(o.data), age(o, now)],
};

const namespaces: Printer = {
  columns: [NAME, col('Status', 'string', 'The status of the namespace'), AGE],
  cells: (o, now) => [o.metadata.name, get(o, 'status.phase') ?? '', age(o, now)],
};

function nodeStatus(o: KubeObject): string {
  const ready = ((get(o, 'status.conditions') as { type: string; status: string }[] | undefined) ?? []).find((c) => c.type === 'Ready');
  const status = [ready === undefined ? 'Unknown' : ready.status === 'True' ? 'Ready' : 'NotReady'];
  if (get(o, 'spec.unschedulable') === true) status.push('SchedulingDisabled');
  return status.join(',');
}

function nodeRoles(o: KubeObject): string {
  const roles = new Set<string>();
  for (const [key, value] of Object.entries((o.metadata.labels ?? {}) as Record<string, string>)) {
    if (key.startsWith('node-role.kubernetes.io/') && key.length > 'node-role.kubernetes.io/'.length) roles.add(key.slice('node-role.kubernetes.io/'.length));
    else if (key === 'kubernetes.io/role' && value !== '') roles.add(value);
  }
  return roles.size === 0 ? '<none>' : [...roles].sort().join(',');
}

const address = (o: KubeObject, type: string) =>
  ((get(o, 'status.addresses') as { type: string; address: string }[] | undefined) ?? []).find((a) => a.type === type)?.address ?? '<none>';

const nodes: Printer = {
  columns: [
    NAME,
    col('Status', 'string', 'The status of the node'),
    col('Roles', 'string', 'The roles of the node'),
    AGE,
    col('Version', 'string', 'Kubelet Version reported by the node.'),
    col('Internal-IP', 'string', 'List of addresses reachable to the node.', 1),
    col('External-IP', 'string', 'List of addresses reachable to the node.', 1),
    col('OS-Image', 'string', 'OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy)).', 1),
    col('Kernel-Version', 'string', "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64).", 1),
    col('Container-Runtime', 'string', 'ContainerRuntime Version reported by the node through runtime remote API (e.g. containerd://1.4.2).', 1),
  ],
  cells: (o, now) => [
    o.metadata.name,
    nodeStatus(o),
    nodeRoles(o),
    age(o, now),
    get(o, 'status.nodeInfo.kubeletVersion') ?? '',
    address(o, 'InternalIP'),
    address(o, 'ExternalIP'),
    get(o, 'status.nodeInfo.osImage') || '<unknown>',
    get(o, 'status.nodeInfo.kernelVersion') || '<unknown>',
    get(o, 'status.nodeInfo.containerRuntimeVersion') || '<unknown>',
  ],
};

/** Core Events (and events.k8s.io Events, which the server prints from the same internal object). */
const events: Printer = {
  columns: [
    col('Last Seen', 'string', 'The time at which the most recent occurrence of this event was recorded.'),
    col('Type', 'string', 'Type of this event (Normal, Warning), new types could be added in the future'),
    col('Reason', 'string', "This should be a short, machine understandable string that gives the reason for the transition into the object's current status."),
    col('Object', 'string', 'The object that this event is about.'),
    col(
      'Subobject',
      'string',
      'If referring to a piece of an object instead of an entire object, this string should contain a valid JSON/Go field access statement.',
      1,
    ),
    col('Source', 'string', 'The component reporting this event. Should be a short machine understandable string.', 1),
    col('Message', 'string', 'A human-readable description of the status of this operation.'),
    col('First Seen', 'string', 'The time at which the event was first recorded. (Time of server receipt is in TypeMeta.)', 1),
    col('Count', 'string', 'The number of times this event has occurred.', 1),
    { ...NAME, priority: 1 },
  ],
  cells(o, now) {
    const first = get(o, 'firstTimestamp') ? since(get(o, 'firstTimestamp'), now) : since(get(o, 'eventTime'), now);
    let last = get(o, 'lastTimestamp') ? since(get(o, 'lastTimestamp'), now) : first;
    let times = Number(get(o, 'count') ?? 0);
    const series = get(o, 'series') as { lastObservedTime?: string; count?: number } | null | undefined;
    if (series) {
      last = since(series.lastObservedTime, now);
      times = series.count ?? 0;
    } else if (times === 0) times = 1;
    const kind = String(get(o, 'involvedObject.kind') ?? '').toLowerCase();
    const name = get(o, 'involvedObject.name') as string | undefined;
    const component = (get(o, 'source.component') as string | undefined) || (get(o, 'reportingComponent') as string | undefined) || '';
    const host = (get(o, 'source.host') as string | undefined) || (get(o, 'reportingInstance') as string | undefined) || '';
    return [
      last,
      get(o, 'type') ?? '',
      get(o, 'reason') ?? '',
      name ? `${kind}/${name}` : kind,
      get(o, 'involvedObject.fieldPath') ?? '',
      host === '' ? component : `${component}, ${host}`,
      String(get(o, 'message') ?? '').trim(),
      first,
      times,
      o.metadata.name,
    ];
  },
};

const serviceaccounts: Printer = {
  columns: [
    NAME,
    col('Secrets', 'string', 'Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use.'),
    AGE,
  ],
  cells: (o, now) => [o.metadata.name, ((o.secrets as unknown[] | undefined) ?? []).length, age(o, now)],
};

const persistentvolumeclaims: Printer = {
  columns: [
    NAME,
    col('Status', 'string', 'phase represents the current phase of PersistentVolumeClaim.'),
    col('Volume', 'string', 'volumeName is the binding reference to the PersistentVolume backing this claim.'),
    col('Capacity', 'string', 'capacity represents the actual resources of the underlying volume.'),
    col('Access Modes', 'string', 'accessModes contains the actual access modes the volume backing the PVC has.'),
    col('StorageClass', 'string', 'StorageClass of the pvc'),
    col('VolumeAttributesClass', 'string', 'VolumeAttributesClass of the pvc'),
    AGE,
    col('VolumeMode', 'string', 'volumeMode defines what type of volume is required by the claim.', 1),
  ],
  cells(o, now) {
    const bound = Boolean(get(o, 'spec.volumeName'));
    return [
      o.metadata.name,
      get(o, 'metadata.deletionTimestamp') ? 'Terminating' : (get(o, 'status.phase') ?? ''),
      get(o, 'spec.volumeName') ?? '',
      bound ? (get(o, 'status.capacity.storage') ?? '0') : '',
      bound ? accessModes(get(o, 'status.accessModes')) : '',
      get(o, 'spec.storageClassName') ?? '',
      get(o, 'spec.volumeAttributesClassName') || '<unset>',
      age(o, now),
      get(o, 'spec.volumeMode') ?? '<unset>',
    ];
  },
};

const persistentvolumes: Printer = {
  columns: [
    NAME,
    col('Capacity', 'string', "capacity is the description of the persistent volume's resources and capacity."),
    col('Access Modes', 'string', 'accessModes contains all ways the volume can be mounted.'),
    col('Reclaim Policy', 'string', 'persistentVolumeReclaimPolicy defines what happens to a persistent volume when released from its claim.'),
    col('Status', 'string', 'phase indicates if a volume is available, bound to a claim, or released by a claim.'),
    col('Claim', 'string', 'claimRef is part of a bi-directional binding between PersistentVolume and PersistentVolumeClaim.'),
    col('StorageClass', 'string', 'StorageClass of the pv'),
    col('VolumeAttributesClass', 'string', 'VolumeAttributesClass of the pv'),
    col('Reason', 'string', 'reason is a brief CamelCase string that describes any failure and is meant for machine parsing and tidy display in the CLI.'),
    AGE,
    col('VolumeMode', 'string', 'volumeMode defines if a volume is intended to be used with a formatted filesystem or to remain in raw block state.', 1),
  ],
  cells(o, now) {
    const claim = get(o, 'spec.claimRef') as { namespace?: string; name?: string } | undefined;
    return [
      o.metadata.name,
      get(o, 'spec.capacity.storage') ?? '0',
      accessModes(get(o, 'spec.accessModes')),
      get(o, 'spec.persistentVolumeReclaimPolicy') ?? '',
      get(o, 'metadata.deletionTimestamp') ? 'Terminating' : (get(o, 'status.phase') ?? ''),
      claim ? `${claim.namespace ?? ''}/${claim.name ?? ''}` : '',
      get(o, 'spec.storageClassName') ?? '',
      get(o, 'spec.volumeAttributesClassName') || '<unset>',
      get(o, 'status.reason') ?? '',
      age(o, now),
      get(o, 'spec.volumeMode') ?? '<unset>',
    ];
  },
};

/** formatEndpoints: the first three ip:port pairs, then how many more. */
function formatEndpoints(subsets: unknown): string {
  const list = (subsets ?? []) as { addresses?: { ip: string }[]; ports?: { port: number }[] }[];
  if (list.length === 0) return '<none>';
  const shown: string[] = [];
  let total = 0;
  let more = false;
  for (const subset of list) {
    const addresses = subset.addresses ?? [];
    const ports = subset.ports ?? [];
    for (const port of ports.length === 0 ? [undefined] : ports) {
      total += addresses.length;
      for (const a of addresses) {
        if (shown.length === 3) {
          more = true;
          break;
        }
        shown.push(port === undefined ? a.ip : a.ip.includes(':') ? `[${a.ip}]:${port.port}` : `${a.ip}:${port.port}`);
      }
    }
  }
  return more ? `${shown.join(',')} + ${total - 3} more...` : shown.join(',');
}

const endpoints: Printer = {
  columns: [NAME, col('Endpoints', 'string', 'The set of all endpoints is the union of all subsets.'), AGE],
  cells: (o, now) => [o.metadata.name, formatEndpoints(o.subsets), age(o, now)],
};

/** Printers of the core group, keyed by resource. */
export const CORE_PRINTERS: Readonly<Record<string, Printer>> = {
  pods,
  services,
  configmaps,
  secrets,
  namespaces,
  nodes,
  events,
  serviceaccounts,
  persistentvolumeclaims,
  persistentvolumes,
  endpoints,
};
