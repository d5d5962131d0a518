import { PatchStrategy } from '@kubernetes/client-node';
import type { ToolDefinition } from '@cnmcp/core/plugin';
import type { PackDeps } from '../pack-deps.js';
import { dryRunField, nameField, namespaceField, workloadKindField } from '../schemas.js';
import { guarded, structuredResult } from '../tool-result.js';
import { WORKLOAD_KINDS } from './rollout-status.js';

export type RestartArgs = { kind: string; name: string; namespace?: string; dryRun?: boolean };

/** The pod-template annotation kubectl rollout restart sets; changing it rolls every pod. */
export const RESTARTED_AT = 'kubectl.kubernetes.io/restartedAt';

/** `kubernetes_restart_workload`: a rolling restart, exactly as `kubectl rollout restart` asks for one. */
export function createRestartTool(deps: PackDeps): ToolDefinition<RestartArgs> {
  return guarded<RestartArgs>({
    name: 'kubernetes_restart_workload',
    title: 'Restart a workload',
    description: `Rolling restart of a Deployment, StatefulSet or DaemonSet: sets the ${RESTARTED_AT} pod-template annotation, so the controller replaces every pod. Follow it with kubernetes_get_rollout_status. Supports server-side dry run.`,
    inputSchema: {
      type: 'object',
      properties: {
        kind: workloadKindField(WORKLOAD_KINDS),
        name: nameField('Workload name.'),
        namespace: namespaceField(),
        dryRun: dryRunField,
      },
      required: ['kind', 'name'],
      additionalProperties: false,
    },
    outputSchema: {
      type: 'object',
      properties: {
        kind: { type: 'string' },
        name: { type: 'string' },
        namespace: { type: 'string' },
        restartedAt: { type: 'string' },
        generation: { type: 'integer' },
        dryRun: { type: 'boolean' },
      },
      required: ['kind', 'name', 'namespace', 'restartedAt', 'dryRun'],
    },
    annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true },
    async run(args, ctx) {
      const resource = await deps.catalog.resolveOneOf(ctx, args.kind, WORKLOAD_KINDS, 'apps/v1');
      const namespace = args.namespace ?? deps.backend.defaultNamespace;
      const restartedAt = new Date().toISOString();
      const dryRun = args.dryRun === true || deps.backend.guard.dryRun;
      const patched = (await deps.backend.call(ctx, `restart ${resource.kind} "${args.name}" in namespace "${namespace}"`, () =>
        deps.backend.objects.patch(
          {
            apiVersion: resource.apiVersion,
            kind: resource.kind,
            metadata: { name: args.name, namespace },
            spec: { template: { metadata: { annotations: { [RESTARTED_AT]: restartedAt } } } },
          } as never,
          undefined,
          dryRun ? 'All' : undefined,
          deps.settings.fieldManager,
          undefined,
          PatchStrategy.StrategicMergePatch,
        ),
      )) as { metadata?: { generation?: number } };
      const generation = patched.metadata?.generation;
      return structuredResult(
        { kind: resource.kind, name: args.name, namespace, restartedAt, ...(generation !== undefined ? { generation } : {}), dryRun },
        `${dryRun ? '[dry run, nothing changed] ' : ''}${resource.kind} ${namespace}/${args.name} restart requested at ${restartedAt}${generation !== undefined ? ` (generation ${generation})` : ''}. Check progress with kubernetes_get_rollout_status.`,
      );
    },
  });
}
