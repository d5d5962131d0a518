import type { ToolDefinition } from '@cnmcp/core/plugin';
import { objectPath } from '../object-path.js';
import type { PackDeps } from '../pack-deps.js';
import { dryRunField, nameField, namespaceField, workloadKindField } from '../schemas.js';
import { guarded, structuredResult } from '../tool-result.js';

const SCALABLE = ['Deployment', 'StatefulSet', 'ReplicaSet'] as const;
export type ScaleArgs = { kind: string; name: string; namespace?: string; replicas: number; dryRun?: boolean };

interface Scale {
  spec?: { replicas?: number };
  status?: { replicas?: number };
}

/** `kubernetes_scale_workload`: sets the replica count through the scale subresource, as kubectl scale does. */
export function createScaleTool(deps: PackDeps): ToolDefinition<ScaleArgs> {
  return guarded<ScaleArgs>({
    name: 'kubernetes_scale_workload',
    title: 'Scale a workload',
    description:
      'Sets the number of replicas of a Deployment, StatefulSet or ReplicaSet (its scale subresource). Scaling down stops pods. Supports server-side dry run.',
    inputSchema: {
      type: 'object',
      properties: {
        kind: workloadKindField(SCALABLE),
        name: nameField('Workload name.'),
        namespace: namespaceField(),
        replicas: { type: 'integer', minimum: 0, maximum: 10_000, description: 'Desired number of replicas.' },
        dryRun: dryRunField,
      },
      required: ['kind', 'name', 'replicas'],
      additionalProperties: false,
    },
    outputSchema: {
      type: 'object',
      properties: {
        kind: { type: 'string' },
        name: { type: 'string' },
        namespace: { type: 'string' },
        previousReplicas: { type: 'integer' },
        replicas: { type: 'integer' },
        dryRun: { type: 'boolean' },
      },
      required: ['kind', 'name', 'namespace', 'previousReplicas', 'replicas', 'dryRun'],
    },
    annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
    async run(args, ctx) {
      const resource = await deps.catalog.resolveOneOf(ctx, args.kind, SCALABLE, 'apps/v1');
      const namespace = args.namespace ?? deps.backend.defaultNamespace;
      const path = objectPath(resource, args.name, namespace, 'scale');
      const what = `${resource.kind} "${args.name}" in namespace "${namespace}"`;
      const before = (await deps.backend.call(ctx, `read the scale of ${what}`, () => deps.backend.objects.request('GET', path))) as Scale;
      const dryRun = args.dryRun === true || deps.backend.guard.dryRun;
      const after = (await deps.backend.call(ctx, `scale ${what} to ${args.replicas}`, () =>
        deps.backend.objects.request('PATCH', path, {
          body: { spec: { replicas: args.replicas } },
          contentType: 'application/merge-patch+json',
          query: { fieldManager: deps.settings.fieldManager, ...(dryRun ? { dryRun: 'All' } : {}) },
        }),
      )) as Scale;
      const previous = before.spec?.replicas ?? 0;
      const replicas = after.spec?.replicas ?? args.replicas;
      return structuredResult(
        { kind: resource.kind, name: args.name, namespace, previousReplicas: previous, replicas, dryRun },
        `${dryRun ? '[dry run, nothing changed] ' : ''}${resource.kind} ${namespace}/${args.name} scaled from ${previous} to ${replicas} replicas.`,
      );
    },
  });
}
