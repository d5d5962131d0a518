import type { ToolDefinition } from '@cnmcp/core/plugin';
import { listAll } from '../list-objects.js';
import type { KubeObject } from '../object-view.js';
import type { PackDeps } from '../pack-deps.js';
import { nameField } from '../schemas.js';
import { guarded, structuredResult } from '../tool-result.js';
import { readObject } from './get-resource.js';

export type NodeConditionsArgs = { name?: string };

interface NodeStatus {
  conditions?: { type: string; status: string; reason?: string; message?: string; lastTransitionTime?: string; lastHeartbeatTime?: string }[];
  allocatable?: Record<string, string>;
  capacity?: Record<string, string>;
  nodeInfo?: { kubeletVersion?: string; containerRuntimeVersion?: string; osImage?: string };
}

const PRESSURES = ['MemoryPressure', 'DiskPressure', 'PIDPressure', 'NetworkUnavailable'];

/** One node as an operator reads it first: ready or not and why, pressure, taints, what it can still schedule. */
export function nodeHealth(node: KubeObject) {
  const status = (node.status ?? {}) as NodeStatus;
  const spec = (node.spec ?? {}) as { unschedulable?: boolean; taints?: { key: string; value?: string; effect: string }[] };
  const conditions = (status.conditions ?? []).map((c) => ({
    type: c.type,
    status: c.status,
    ...(c.reason ? { reason: c.reason } : {}),
    ...(c.message ? { message: c.message } : {}),
    ...(c.lastTransitionTime ? { since: c.lastTransitionTime } : {}),
    ...(c.lastHeartbeatTime ? { lastHeartbeat: c.lastHeartbeatTime } : {}),
  }));
  const ready = conditions.find((c) => c.type === 'Ready');
  const pressure = conditions.filter((c) => PRESSURES.includes(c.type) && c.status === 'True').map((c) => c.type);
  const problems = [
    ...(ready?.status === 'True'
      ? []
      : [`not ready (${ready?.status ?? 'no Ready condition'}${ready?.reason ? `, ${ready.reason}` : ''}${ready?.message ? `: ${ready.message}` : ''})`]),
    ...pressure.map((p) => `${p} is True`),
    ...(spec.unschedulable ? ['cordoned (unschedulable)'] : []),
  ];
  return {
    name: String(node.metadata?.name),
    ready: ready?.status === 'True',
    unschedulable: spec.unschedulable === true,
    pressure,
    problems,
    conditions,
    taints: spec.taints ?? [],
    allocatable: status.allocatable ?? {},
    capacity: status.capacity ?? {},
    ...(status.nodeInfo?.kubeletVersion ? { kubeletVersion: status.nodeInfo.kubeletVersion } : {}),
  };
}

/** `kubernetes_node_conditions`: node health (conditions, pressure, taints, allocatable) for one node or all. */
export function createNodeConditionsTool(deps: PackDeps): ToolDefinition<NodeConditionsArgs> {
  return guarded<NodeConditionsArgs>({
    name: 'kubernetes_node_conditions',
    title: 'Node conditions',
    description:
      'Health of one node or every node: Ready and why not, memory/disk/PID pressure, cordon, taints, allocatable and capacity, kubelet version; nodes with problems first.',
    inputSchema: {
      type: 'object',
      properties: { name: nameField('Node name; all nodes when omitted.') },
      additionalProperties: false,
    },
    outputSchema: {
      type: 'object',
      properties: {
        nodes: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              name: { type: 'string' },
              ready: { type: 'boolean' },
              unschedulable: { type: 'boolean' },
              pressure: { type: 'array', items: { type: 'string' } },
              problems: { type: 'array', items: { type: 'string' } },
              conditions: { type: 'array', items: { type: 'object' } },
              taints: { type: 'array', items: { type: 'object' } },
              allocatable: { type: 'object' },
              capacity: { type: 'object' },
              kubeletVersion: { type: 'string' },
            },
            required: ['name', 'ready', 'unschedulable', 'pressure', 'problems', 'conditions', 'taints', 'allocatable', 'capacity'],
          },
        },
        truncated: { type: 'boolean' },
      },
      required: ['nodes'],
    },
    annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
    async run(args, ctx) {
      const resource = await deps.catalog.resolve(ctx, 'nodes', 'v1');
      const { items, truncated } =
        args.name !== undefined
          ? { items: [await readObject(deps, ctx, resource, args.name, undefined)], truncated: false }
          : await listAll(deps, ctx, resource, undefined, 5000);
      const nodes = items.map(nodeHealth).sort((a, b) => Number(a.problems.length === 0) - Number(b.problems.length === 0) || a.name.localeCompare(b.name));
      const lines = nodes.map((n) => {
        const taints = n.taints.map((t) => `${t.key}${t.value ? `=${t.value}` : ''}:${t.effect}`).join(',');
        return `${n.name}: ${n.problems.length ? n.problems.join('; ') : 'Ready, no pressure'}; allocatable cpu ${n.allocatable.cpu ?? '?'} memory ${n.allocatable.memory ?? '?'} pods ${n.allocatable.pods ?? '?'}${taints ? `; taints ${taints}` : ''}`;
      });
      const unhealthy = nodes.filter((n) => n.problems.length > 0).length;
      return structuredResult({ nodes, ...(truncated ? { truncated } : {}) }, `${nodes.length} node(s), ${unhealthy} with problems:\n${lines.join('\n')}`);
    },
  });
}
