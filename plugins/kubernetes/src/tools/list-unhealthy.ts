import type { ToolDefinition } from '@cnmcp/core/plugin';
import { CHECKED_KINDS, problemsOf, type Finding } from '../health-checks.js';
import { listAll } from '../list-objects.js';
import type { PackDeps } from '../pack-deps.js';
import { namespaceField } from '../schemas.js';
import { guarded, structuredResult } from '../tool-result.js';

export type UnhealthyArgs = { namespace?: string; includeNodes?: boolean };

/** Most objects of one kind examined; a bigger namespace is reported as partly checked. */
const MAX_OBJECTS_PER_KIND = 2000;

/** `kubernetes_list_unhealthy_resources`: pods, workloads, jobs and claims of a namespace that need attention. */
export function createUnhealthyTool(deps: PackDeps): ToolDefinition<UnhealthyArgs> {
  return guarded<UnhealthyArgs>({
    name: 'kubernetes_list_unhealthy_resources',
    title: 'Find unhealthy Kubernetes resources',
    description:
      'Checks every pod, deployment, statefulset, daemonset, job and persistent volume claim of a namespace (and optionally the nodes) and reports those that are not healthy, with the reason: crash loops, unschedulable or not-ready pods, restarts, unavailable replicas, stalled rollouts, failed jobs, unbound claims.',
    inputSchema: {
      type: 'object',
      properties: { namespace: namespaceField(), includeNodes: { type: 'boolean', default: false, description: 'Also check the nodes (cluster-scoped).' } },
      additionalProperties: false,
    },
    outputSchema: {
      type: 'object',
      properties: {
        namespace: { type: 'string' },
        checked: { type: 'object', additionalProperties: { type: 'integer' }, description: 'Objects examined per kind.' },
        unhealthy: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              kind: { type: 'string' },
              name: { type: 'string' },
              namespace: { type: 'string' },
              problems: { type: 'array', items: { type: 'string' } },
            },
            required: ['kind', 'name', 'problems'],
          },
        },
        incomplete: { type: 'array', items: { type: 'string' }, description: 'Kinds that could not be checked fully, and why.' },
      },
      required: ['namespace', 'checked', 'unhealthy', 'incomplete'],
    },
    annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
    async run(args, ctx) {
      const namespace = args.namespace ?? deps.backend.defaultNamespace;
      const { resources } = await deps.catalog.discover(ctx);
      const kinds = [...CHECKED_KINDS, ...(args.includeNodes ? (['Node'] as const) : [])];
      const checked: Record<string, number> = {};
      const unhealthy: (Finding & { problems: string[] })[] = [];
      const incomplete: string[] = [];
      for (const kind of kinds) {
        const resource = resources.find((r) => r.kind === kind);
        if (!resource) continue; // the cluster does not serve it (e.g. batch disabled)
        const { items, truncated } = await listAll(deps, ctx, resource, kind === 'Node' ? undefined : namespace, MAX_OBJECTS_PER_KIND);
        checked[kind] = items.length;
        if (truncated) incomplete.push(`${kind}: only the first ${MAX_OBJECTS_PER_KIND} were checked`);
        for (const o of items) {
          const problems = problemsOf(kind, o);
          if (problems.length > 0) {
            const name = String(o.metadata?.name);
            unhealthy.push({ kind, name, ...(o.metadata?.namespace ? { namespace: String(o.metadata.namespace) } : {}), problem: problems[0]!, problems });
          }
        }
      }
      const rows = unhealthy.map(({ problem: _p, ...rest }) => rest);
      const checkedText = Object.entries(checked)
        .map(([k, c]) => `${c} ${k}`)
        .join(', ');
      const text = [
        rows.length === 0
          ? `Nothing unhealthy in namespace ${namespace}${args.includeNodes ? ' or on the nodes' : ''}.`
          : `${rows.length} unhealthy in namespace ${namespace}${args.includeNodes ? ' and on the nodes' : ''}:`,
        ...rows.map((r) => `- ${r.kind} ${r.name}: ${r.problems.join('; ')}`),
        `Checked: ${checkedText || 'nothing (no checked kind is served)'}.`,
        ...incomplete.map((i) => `Incomplete: ${i}.`),
      ].join('\n');
      return structuredResult({ namespace, checked, unhealthy: rows, incomplete }, text);
    },
  });
}
