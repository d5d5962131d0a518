// Prompts that turn the pack's tools into workflows: each names the exact tools to call, in order, with the
// arguments filled in. Arguments are checked as Kubernetes names before they reach the text.
import { CnmcpError, readThroughTool, type PromptArgument, type PromptDefinition, type ReadContext, type ToolDefinition } from '@cnmcp/core/plugin';

const NAME = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;
const KIND = /^[A-Za-z][A-Za-z0-9.]{0,62}$/;
const WORKLOAD_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet'];

type Args = Readonly<Record<string, string>>;

function checked(args: Args, name: string, rule: RegExp, what: string): string | undefined {
  const value = args[name];
  if (value === undefined || value === '') return undefined;
  if (!rule.test(value)) throw new CnmcpError('INVALID_PARAMS', `argument ${name}: "${value.slice(0, 64)}" is not ${what}`);
  return value;
}

const arg = (name: string, description: string, required = false): PromptArgument => ({ name, description, required });

/** The prompts of the pack; with several contexts each takes an optional `context` too. */
export function kubernetesPrompts(tools: readonly ToolDefinition[], contexts: readonly string[]): PromptDefinition[] {
  const contextArg = contexts.length > 0 ? [arg('context', `Kubeconfig context (cluster): ${contexts.join(', ')}; default ${contexts[0]}.`)] : [];
  /** The common call arguments as the text states them, e.g. `namespace: "shop", context: "prod"`. */
  const scope = (args: Args, extra: Record<string, string | undefined> = {}) => {
    const context = args.context;
    if (context !== undefined && context !== '' && !contexts.includes(context))
      throw new CnmcpError('INVALID_PARAMS', `argument context: "${context.slice(0, 64)}" is not one of ${contexts.join(', ') || '(no contexts configured)'}`);
    const parts = Object.entries({ ...extra, ...(context ? { context } : {}) }).filter(([, v]) => v !== undefined);
    return parts.map(([k, v]) => `${k}: ${JSON.stringify(v)}`).join(', ');
  };
  const listTool = tools.find((t) => t.name === 'kubernetes_list_resources_summary');
  const namesOf = async (kind: string, value: string, ctx: ReadContext, namespace?: string) => {
    if (!listTool) return [];
    const read = await readThroughTool(listTool, { kind, limit: 500, ...(namespace ? { namespace } : {}) }, ctx);
    return ((read.items ?? []) as { name?: unknown }[]).map((i) => String(i.name)).filter((n) => n.startsWith(value));
  };
  const complete = async (argument: string, value: string, ctx: ReadContext) => {
    if (argument === 'namespace') return namesOf('namespaces', value, ctx);
    if (argument === 'node') return namesOf('nodes', value, ctx);
    if (argument === 'context') return contexts.filter((c) => c.startsWith(value));
    if (argument === 'kind') return WORKLOAD_KINDS.filter((k) => k.toLowerCase().startsWith(value.toLowerCase()));
    return [];
  };
  const text = (lines: string[]) => ({ messages: [{ role: 'user' as const, content: { type: 'text' as const, text: lines.join('\n') } }] });

  return [
    {
      name: 'kubernetes_diagnose_workload',
      title: 'Diagnose a workload',
      description: 'Find why a Deployment, StatefulSet or DaemonSet is unhealthy: status, pods, events, logs. Changes nothing.',
      arguments: [
        arg('namespace', 'Namespace of the workload.', true),
        arg('name', 'Workload name.', true),
        arg('kind', 'Deployment (default), StatefulSet or DaemonSet.'),
        ...contextArg,
      ],
      tools: ['kubernetes_describe_resource', 'kubernetes_list_resources_summary', 'kubernetes_get_pod_logs', 'kubernetes_list_events'],
      complete,
      async get(args) {
        const namespace = checked(args, 'namespace', NAME, 'a namespace name');
        const name = checked(args, 'name', NAME, 'an object name');
        const kind = checked(args, 'kind', KIND, 'a kind') ?? 'Deployment';
        const at = scope(args, { namespace });
        return text([
          `Diagnose the ${kind} "${name}" in namespace "${namespace}". Read only: change nothing.`,
          `1. Call kubernetes_describe_resource with kind: "${kind}", name: "${name}", ${at}. Note ready/available replicas, conditions and events.`,
          `2. Call kubernetes_list_resources_summary with kind: "pods", ${at} and find the pods of this ${kind} (their names start with "${name}-"). Note status, ready and restarts.`,
          `3. For each pod that is not Running and ready, or restarts: call kubernetes_describe_resource with kind: "Pod" and its name, then kubernetes_get_pod_logs with its name, ${at} (and previous: true when it restarted).`,
          `4. Call kubernetes_list_events with ${at}, type: "Warning" for scheduling, image, probe and quota problems.`,
          'Report: the root cause with the evidence (event reasons, log lines, conditions), what is affected, and the fix you suggest. Do not call any tool that changes the cluster.',
        ]);
      },
    },
    {
      name: 'kubernetes_safe_remediation',
      title: 'Remediate a workload safely',
      description: 'Restart or scale a workload with a dry run first, user confirmation, and a rollout check after.',
      arguments: [
        arg('namespace', 'Namespace of the workload.', true),
        arg('name', 'Workload name.', true),
        arg('kind', 'Deployment (default), StatefulSet or DaemonSet.'),
        arg('action', 'restart (default) or scale.'),
        arg('replicas', 'For scale: the desired number of replicas.'),
        ...contextArg,
      ],
      tools: ['kubernetes_describe_resource', 'kubernetes_restart_workload', 'kubernetes_scale_workload', 'kubernetes_get_rollout_status'],
      complete: async (argument, value, ctx) =>
        argument === 'action' ? ['restart', 'scale'].filter((a) => a.startsWith(value)) : complete(argument, value, ctx),
      async get(args) {
        const namespace = checked(args, 'namespace', NAME, 'a namespace name');
        const name = checked(args, 'name', NAME, 'an object name');
        const kind = checked(args, 'kind', KIND, 'a kind') ?? 'Deployment';
        const action = args.action || 'restart';
        if (action !== 'restart' && action !== 'scale') throw new CnmcpError('INVALID_PARAMS', 'argument action: use restart or scale');
        const replicas = args.replicas;
        if (action === 'scale' && !/^(0|[1-9][0-9]{0,3})$/.test(replicas ?? ''))
          throw new CnmcpError('INVALID_PARAMS', 'argument replicas: scale needs a whole number from 0 to 9999');
        const at = scope(args, { namespace });
        const change =
          action === 'scale'
            ? `kubernetes_scale_workload with kind: "${kind}", name: "${name}", replicas: ${replicas}, ${at}`
            : `kubernetes_restart_workload with kind: "${kind}", name: "${name}", ${at}`;
        return text([
          `${action === 'scale' ? `Scale the ${kind} "${name}" to ${replicas} replicas` : `Restart the ${kind} "${name}"`} in namespace "${namespace}", safely.`,
          `1. Call kubernetes_describe_resource with kind: "${kind}", name: "${name}", ${at}. Record the current replicas and readiness; stop and report if a rollout is already in progress.`,
          `2. Call ${change}, dryRun: true. Show the user what would change.`,
          `3. Only after the user agrees, call ${change} (without dryRun). The server may ask the user to confirm again.`,
          `4. Call kubernetes_get_rollout_status with kind: "${kind}", name: "${name}", ${at} until it is done or has failed.`,
          'Report what changed and the final state. If the rollout fails, say so and suggest kubernetes_rollout_recovery; do not retry on your own.',
        ]);
      },
    },
    {
      name: 'kubernetes_rollout_recovery',
      title: 'Recover a stuck rollout',
      description: 'Find why a rollout does not progress (new pods failing, quota, image) and propose the way back.',
      arguments: [
        arg('namespace', 'Namespace of the workload.', true),
        arg('name', 'Workload name.', true),
        arg('kind', 'Deployment (default), StatefulSet or DaemonSet.'),
        ...contextArg,
      ],
      tools: [
        'kubernetes_get_rollout_status',
        'kubernetes_describe_resource',
        'kubernetes_list_resources_summary',
        'kubernetes_get_pod_logs',
        'kubernetes_list_events',
      ],
      complete,
      async get(args) {
        const namespace = checked(args, 'namespace', NAME, 'a namespace name');
        const name = checked(args, 'name', NAME, 'an object name');
        const kind = checked(args, 'kind', KIND, 'a kind') ?? 'Deployment';
        const at = scope(args, { namespace });
        return text([
          `The rollout of the ${kind} "${name}" in namespace "${namespace}" is stuck or failing. Find out why and how to recover.`,
          `1. Call kubernetes_get_rollout_status with kind: "${kind}", name: "${name}", ${at}.`,
          `2. Call kubernetes_describe_resource with kind: "${kind}", name: "${name}", ${at}: compare the current and the previous revision (image, env, resources) and read the conditions (ProgressDeadlineExceeded, ReplicaFailure).`,
          `3. Call kubernetes_list_resources_summary with kind: "pods", ${at}; for the new pods that fail, call kubernetes_get_pod_logs (previous: true after a crash) and kubernetes_describe_resource.`,
          `4. Call kubernetes_list_events with ${at}, type: "Warning".`,
          'Report the cause, then propose one recovery: fix forward (the change to make) or roll back (the previous image or revision). Change nothing yourself; name the tool and arguments the user should approve.',
        ]);
      },
    },
    {
      name: 'kubernetes_namespace_overview',
      title: 'Namespace overview',
      description: 'What runs in a namespace and what is wrong there: workloads, unhealthy objects, warnings, heaviest pods.',
      arguments: [arg('namespace', 'Namespace to review.', true), ...contextArg],
      tools: ['kubernetes_list_resources_summary', 'kubernetes_list_unhealthy_resources', 'kubernetes_list_events', 'kubernetes_top'],
      complete,
      async get(args) {
        const namespace = checked(args, 'namespace', NAME, 'a namespace name');
        const at = scope(args, { namespace });
        return text([
          `Give an overview of namespace "${namespace}". Read only.`,
          `1. Call kubernetes_list_resources_summary with kind: "deployments", ${at}; then with kind: "statefulsets", kind: "daemonsets", kind: "services".`,
          `2. Call kubernetes_list_unhealthy_resources with ${at}.`,
          `3. Call kubernetes_list_events with ${at}, type: "Warning".`,
          `4. Call kubernetes_top with resource: "pods", ${at}, sortBy: "memory" (metrics-server may be missing: then skip this step).`,
          'Report a short table of workloads with readiness, then the problems ordered by impact, each with its evidence.',
        ]);
      },
    },
    {
      name: 'kubernetes_node_pressure',
      title: 'Node pressure',
      description: 'Which nodes are NotReady or under memory, disk or PID pressure, and which pods suffer from it.',
      arguments: [arg('node', 'One node to look at; all nodes when left out.'), ...contextArg],
      tools: ['kubernetes_list_resources_summary', 'kubernetes_describe_resource', 'kubernetes_top', 'kubernetes_list_events'],
      complete,
      async get(args) {
        const node = checked(args, 'node', NAME, 'a node name');
        const at = scope(args);
        const tail = at ? `, ${at}` : '';
        return text([
          `Check ${node ? `node "${node}"` : 'the nodes'} for pressure. Read only.`,
          `1. Call kubernetes_list_resources_summary with kind: "nodes"${tail}${node ? ` and keep "${node}"` : ''}; note NotReady and SchedulingDisabled.`,
          `2. For ${node ? 'it' : 'each node that is not Ready'}, call kubernetes_describe_resource with kind: "Node", name: the node${tail}: read the MemoryPressure, DiskPressure and PIDPressure conditions, allocatable and the events.`,
          `3. Call kubernetes_top with resource: "nodes"${tail} (skip when metrics-server is missing).`,
          `4. Call kubernetes_list_events with allNamespaces: true, type: "Warning"${tail} and look for Evicted, OOMKilling and FailedScheduling.`,
          'Report the nodes under pressure, the cause, the pods evicted or at risk, and what to do (cordon, drain, resize); change nothing yourself.',
        ]);
      },
    },
  ];
}
