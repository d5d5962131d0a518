// Server-side printers of the named API groups the kubernetes pack touches, after
// pkg/printers/internalversion/printers.go of Kubernetes v1.31 and metrics-server's pkg/api/table.go.
import type { KubeObject } from './fixture-store.js';
import { AGE, age, col, CONTAINERS, containerCells, formatLabels, formatSelector, get, IMAGES, NAME, since, type Printer } from './table-format.js';
import { sumQuantities } from './quantity-sum.js';

const int = (v: unknown): number => Number(v ?? 0);
const SELECTOR = (description: string) => col('Selector', 'string', description, 1);

const deployments: Printer = {
  columns: [
    NAME,
    col('Ready', 'string', 'Number of the pod with ready state'),
    col('Up-to-date', 'string', 'Total number of non-terminated pods targeted by this deployment that have the desired template spec.'),
    col('Available', 'string', 'Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.'),
    AGE,
    CONTAINERS,
    IMAGES,
    SELECTOR('Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this deployment.'),
  ],
  cells: (o, now) => [
    o.metadata.name,
    `${int(get(o, 'status.readyReplicas'))}/${int(get(o, 'spec.replicas'))}`,
    int(get(o, 'status.updatedReplicas')),
    int(get(o, 'status.availableReplicas')),
    age(o, now),
    ...containerCells(get(o, 'spec.template.spec.containers')),
    formatSelector(get(o, 'spec.selector')),
  ],
};

const replicasets: Printer = {
  columns: [
    NAME,
    col('Desired', 'integer', 'Replicas is the number of desired replicas.'),
    col('Current', 'integer', 'Replicas is the most recently observed number of replicas.'),
    col('Ready', 'integer', 'The number of ready replicas for this replica set.'),
    AGE,
    CONTAINERS,
    IMAGES,
    SELECTOR('Selector is a label query over pods that should match the replica count.'),
  ],
  cells: (o, now) => [
    o.metadata.name,
    int(get(o, 'spec.replicas')),
    int(get(o, 'status.replicas')),
    int(get(o, 'status.readyReplicas')),
    age(o, now),
    ...containerCells(get(o, 'spec.template.spec.containers')),
    formatSelector(get(o, 'spec.selector')),
  ],
};

const statefulsets: Printer = {
  columns: [NAME, col('Ready', 'string', 'Number of the pod with ready state'), AGE, CONTAINERS, IMAGES],
  cells: (o, now) => [
    o.metadata.name,
    `${int(get(o, 'status.readyReplicas'))}/${int(get(o, 'spec.replicas'))}`,
    age(o, now),
    ...containerCells(get(o, 'spec.template.spec.containers')),
  ],
};

const daemonsets: Printer = {
  columns: [
    NAME,
    col('Desired', 'integer', 'The total number of nodes that should be running the daemon pod.'),
    col('Current', 'integer', 'The number of nodes that are running at least 1 daemon pod and are supposed to run the daemon pod.'),
    col('Ready', 'integer', 'The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and ready.'),
    col('Up-to-date', 'integer', 'The total number of nodes that are running updated daemon pod'),
    col('Available', 'integer', 'The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and available.'),
    col('Node Selector', 'string', 'NodeSelector is a selector which must be true for the pod to fit on a node.'),
    AGE,
    CONTAINERS,
    IMAGES,
    SELECTOR('A label query over pods that are managed by the daemon set.'),
  ],
  cells: (o, now) => [
    o.metadata.name,
    int(get(o, 'status.desiredNumberScheduled')),
    int(get(o, 'status.currentNumberScheduled')),
    int(get(o, 'status.numberReady')),
    int(get(o, 'status.updatedNumberScheduled')),
    int(get(o, 'status.numberAvailable')),
    formatLabels(get(o, 'spec.template.spec.nodeSelector')),
    age(o, now),
    ...containerCells(get(o, 'spec.template.spec.containers')),
    formatSelector(get(o, 'spec.selector')),
  ],
};

const hasCondition = (o: KubeObject, type: string) =>
  ((get(o, 'status.conditions') as { type: string; status: string }[] | undefined) ?? []).some((c) => c.type === type && c.status === 'True');

function jobStatus(o: KubeObject): string {
  if (hasCondition(o, 'Complete')) return 'Complete';
  if (hasCondition(o, 'Failed')) return 'Failed';
  if (get(o, 'metadata.deletionTimestamp')) return 'Terminating';
  if (hasCondition(o, 'Suspended')) return 'Suspended';
  if (hasCondition(o, 'FailureTarget')) return 'FailureTarget';
  if (hasCondition(o, 'SuccessCriteriaMet')) return 'SuccessCriteriaMet';
  return 'Running';
}

function jobCompletions(o: KubeObject): string {
  const succeeded = int(get(o, 'status.succeeded'));
  const completions = get(o, 'spec.completions');
  if (typeof completions === 'number') return `${succeeded}/${completions}`;
  const parallelism = int(get(o, 'spec.parallelism'));
  return parallelism > 1 ? `${succeeded}/1 of ${parallelism}` : `${succeeded}/1`;
}

function jobDuration(o: KubeObject, now: number): string {
  const start = get(o, 'status.startTime') as string | undefined;
  const end = get(o, 'status.completionTime') as string | undefined;
  if (!start) return '';
  return since(start, end ? Date.parse(end) : now);
}

const jobs: Printer = {
  columns: [
    NAME,
    col('Status', 'string', 'Status of the job.'),
    col('Completions', 'string', 'The number of pods which reached phase Succeeded.'),
    col('Duration', 'string', 'Time required to complete the job.'),
    AGE,
    CONTAINERS,
    IMAGES,
    SELECTOR('A label query over pods that should match the pod count.'),
  ],
  cells: (o, now) => [
    o.metadata.name,
    jobStatus(o),
    jobCompletions(o),
    jobDuration(o, now),
    age(o, now),
    ...containerCells(get(o, 'spec.template.spec.containers')),
    formatSelector(get(o, 'spec.selector')),
  ],
};

const cronjobs: Printer = {
  columns: [
    NAME,
    col('Schedule', 'string', 'The schedule in Cron format, see https://en.wikipedia.org/wiki/Cron.'),
    col('Timezone', 'string', 'The time zone name for the given schedule, see https://en.wikipedia.org/wiki/List_of_tz_database_time_zones.'),
    col('Suspend', 'boolean', 'This flag tells the controller to suspend subsequent executions, it does not apply to already started executions.'),
    col('Active', 'integer', 'A list of pointers to currently running jobs.'),
    col('Last Schedule', 'string', 'Information when was the last time the job was successfully scheduled.'),
    AGE,
    CONTAINERS,
    IMAGES,
    SELECTOR('A label query over pods that should match the pod count.'),
  ],
  cells(o, now) {
    const suspend = get(o, 'spec.suspend');
    const last = get(o, 'status.lastScheduleTime');
    return [
      o.metadata.name,
      get(o, 'spec.schedule') ?? '',
      get(o, 'spec.timeZone') ?? '<none>',
      typeof suspend === 'boolean' ? (suspend ? 'True' : 'False') : '<unset>',
      ((get(o, 'status.active') as unknown[] | undefined) ?? []).length,
      last ? since(last, now) : '<none>',
      age(o, now),
      ...containerCells(get(o, 'spec.jobTemplate.spec.template.spec.containers')),
      formatSelector(get(o, 'spec.jobTemplate.spec.selector')),
    ];
  },
};

function ingressHosts(o: KubeObject): string {
  const rules = (get(o, 'spec.rules') as { host?: string }[] | undefined) ?? [];
  const hosts = rules.slice(0, 3).flatMap((r) => (r.host ? [r.host] : []));
  if (hosts.length === 0) return '*';
  return rules.length > 3 ? `${hosts.join(',')} + ${rules.length - 3} more...` : hosts.join(',');
}

const ingresses: Printer = {
  columns: [
    NAME,
    col('Class', 'string', 'The name of the IngressClass resource that should be used for additional configuration'),
    col('Hosts', 'string', 'Hosts that incoming requests are matched against before the ingress rule'),
    col('Address', 'string', 'Address is a list containing ingress points for the load-balancer'),
    col('Ports', 'string', 'Ports of TLS configurations that open'),
    AGE,
  ],
  cells: (o, now) => [
    o.metadata.name,
    get(o, 'spec.ingressClassName') ?? '<none>',
    ingressHosts(o),
    ((get(o, 'status.loadBalancer.ingress') as { ip?: string; hostname?: string }[] | undefined) ?? []).map((i) => i.ip ?? i.hostname ?? '').join(','),
    ((get(o, 'spec.tls') as unknown[] | undefined) ?? []).length > 0 ? '80, 443' : '80',
    age(o, now),
  ],
};

const networkpolicies: Printer = {
  columns: [NAME, col('Pod-Selector', 'string', 'Selects the pods to which this NetworkPolicy object applies.'), AGE],
  cells: (o, now) => [o.metadata.name, formatSelector(get(o, 'spec.podSelector')), age(o, now)],
};

/** rbac.SubjectsStrings: users, groups and service accounts of a binding, each comma-joined. */
function bindingCells(o: KubeObject): [string, string, string] {
  const subjects = (o.subjects as { kind: string; name: string; namespace?: string }[] | undefined) ?? [];
  const of = (kind: string) => subjects.filter((s) => s.kind === kind);
  return [
    of('User')
      .map((s) => s.name)
      .join(', '),
    of('Group')
      .map((s) => s.name)
      .join(', '),
    of('ServiceAccount')
      .map((s) => `${s.namespace ?? ''}/${s.name}`)
      .join(', '),
  ];
}

const binding = (what: string): Printer => ({
  columns: [
    NAME,
    col('Role', 'string', 'RoleRef can reference a Role in the current namespace or a ClusterRole in the global namespace.'),
    AGE,
    col('Users', 'string', `Users in the ${what}`, 1),
    col('Groups', 'string', `Groups in the ${what}`, 1),
    col('ServiceAccounts', 'string', `ServiceAccounts in the ${what}`, 1),
  ],
  cells: (o, now) => [o.metadata.name, `${String(get(o, 'roleRef.kind'))}/${String(get(o, 'roleRef.name'))}`, age(o, now), ...bindingCells(o)],
});

interface MetricSpec {
  type: string;
  resource?: { name: string; target: { averageUtilization?: number; averageValue?: string } };
}
interface MetricStatus {
  resource?: { current: { averageUtilization?: number; averageValue?: string } };
}

/** formatHPAMetrics for Resource metrics (the kind the fixtures hold): `cpu: 6%/70%`. */
function hpaTargets(o: KubeObject): string {
  const specs = (get(o, 'spec.metrics') as MetricSpec[] | undefined) ?? [];
  const statuses = (get(o, 'status.currentMetrics') as MetricStatus[] | undefined) ?? [];
  if (specs.length === 0) return '<none>';
  const list = specs.map((spec, i) => {
    if (spec.type !== 'Resource' || !spec.resource) return '<unknown>/<unknown>';
    const current = statuses[i]?.resource?.current;
    if (spec.resource.target.averageValue !== undefined)
      return `${spec.resource.name}: ${current?.averageValue ?? '<unknown>'}/${spec.resource.target.averageValue}`;
    const now = current?.averageUtilization !== undefined ? `${current.averageUtilization}%` : '<unknown>';
    const target = spec.resource.target.averageUtilization !== undefined ? `${spec.resource.target.averageUtilization}%` : '<auto>';
    return `${spec.resource.name}: ${now}/${target}`;
  });
  return list.length > 2 ? `${list.slice(0, 2).join(', ')} + ${list.length - 2} more...` : list.join(', ');
}

const horizontalpodautoscalers: Printer = {
  columns: [
    NAME,
    col('Reference', 'string', 'scaleTargetRef points to the target resource to scale, and is used to the pods for which metrics should be collected.'),
    col('Targets', 'string', 'metrics contains the specifications for which to use to calculate the desired replica count.'),
    col('MinPods', 'string', 'minReplicas is the lower limit for the number of replicas to which the autoscaler can scale down.'),
    col('MaxPods', 'string', 'maxReplicas is the upper limit for the number of replicas to which the autoscaler can scale up.'),
    col('Replicas', 'string', 'currentReplicas is current number of replicas of pods managed by this autoscaler.'),
    AGE,
  ],
  cells: (o, now) => [
    o.metadata.name,
    `${String(get(o, 'spec.scaleTargetRef.kind'))}/${String(get(o, 'spec.scaleTargetRef.name'))}`,
    hpaTargets(o),
    get(o, 'spec.minReplicas') === undefined ? '<unset>' : String(get(o, 'spec.minReplicas')),
    int(get(o, 'spec.maxReplicas')),
    int(get(o, 'status.currentReplicas')),
    age(o, now),
  ],
};

const poddisruptionbudgets: Printer = {
  columns: [
    NAME,
    col('Min Available', 'string', 'The minimum number of pods that must be available.'),
    col('Max Unavailable', 'string', 'The maximum number of pods that may be unavailable.'),
    col('Allowed Disruptions', 'integer', 'Calculated number of pods that may be disrupted at this time.'),
    AGE,
  ],
  cells: (o, now) => [
    o.metadata.name,
    get(o, 'spec.minAvailable') === undefined ? 'N/A' : String(get(o, 'spec.minAvailable')),
    get(o, 'spec.maxUnavailable') === undefined ? 'N/A' : String(get(o, 'spec.maxUnavailable')),
    int(get(o, 'status.disruptionsAllowed')),
    age(o, now),
  ],
};

/** metrics-server's table: name, one quantity column per resource (sorted), window. */
const metrics = (usageOf: (o: KubeObject) => Record<string, string>[]): Printer => ({
  columns: [
    col('Name', 'string', 'Name of the resource', 0, 'name'),
    col('cpu', 'string', '', 0, 'quantity'),
    col('memory', 'string', '', 0, 'quantity'),
    col('Window', 'string', '', 0, 'duration'),
  ],
  cells: (o) => {
    const usage = usageOf(o);
    return [o.metadata.name, sumQuantities(usage.map((u) => u.cpu ?? '0')), sumQuantities(usage.map((u) => u.memory ?? '0')), String(o.window ?? '')];
  },
});

/** Printers of the named groups, keyed by `group/resource`. */
export const GROUP_PRINTERS: Readonly<Record<string, Printer>> = {
  'apps/deployments': deployments,
  'apps/replicasets': replicasets,
  'apps/statefulsets': statefulsets,
  'apps/daemonsets': daemonsets,
  'batch/jobs': jobs,
  'batch/cronjobs': cronjobs,
  'networking.k8s.io/ingresses': ingresses,
  'networking.k8s.io/networkpolicies': networkpolicies,
  'rbac.authorization.k8s.io/rolebindings': binding('roleBinding'),
  'rbac.authorization.k8s.io/clusterrolebindings': binding('clusterRoleBinding'),
  'autoscaling/horizontalpodautoscalers': horizontalpodautoscalers,
  'policy/poddisruptionbudgets': poddisruptionbudgets,
  'metrics.k8s.io/pods': metrics((o) => ((o.containers as { usage: Record<string, string> }[] | undefined) ?? []).map((c) => c.usage)),
  'metrics.k8s.io/nodes': metrics((o) => [(o.usage ?? {}) as Record<string, string>]),
};
