import type { ToolDefinition } from '@cnmcp/core/plugin';
import { namespaceFor } from '../list-objects.js';
import type { PackDeps } from '../pack-deps.js';
import { apiVersionField, dryRunField, kindField, nameField, namespaceField } from '../schemas.js';
import { guarded, structuredResult } from '../tool-result.js';

export type DeleteArgs = {
  kind: string;
  name: string;
  namespace?: string;
  apiVersion?: string;
  dryRun?: boolean;
  gracePeriodSeconds?: number;
  propagationPolicy?: 'Foreground' | 'Background' | 'Orphan';
};

/** `kubernetes_delete_resource`: deletes one object by name (never a collection). */
export function createDeleteTool(deps: PackDeps): ToolDefinition<DeleteArgs> {
  return guarded<DeleteArgs>({
    name: 'kubernetes_delete_resource',
    title: 'Delete a Kubernetes resource',
    description:
      'Deletes one object of any kind by name (never several at once). Dependents are deleted in the background unless propagationPolicy says otherwise. Supports server-side dry run.',
    inputSchema: {
      type: 'object',
      properties: {
        kind: kindField,
        name: nameField('Object name.'),
        namespace: namespaceField(),
        apiVersion: apiVersionField,
        dryRun: dryRunField,
        gracePeriodSeconds: {
          type: 'integer',
          minimum: 0,
          maximum: 86_400,
          description: "Seconds the object's pods get to stop; the kind's default when omitted.",
        },
        propagationPolicy: {
          type: 'string',
          enum: ['Foreground', 'Background', 'Orphan'],
          description: 'What happens to dependents (e.g. the pods of a ReplicaSet).',
        },
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
        dryRun: { type: 'boolean' },
        pending: { type: 'boolean', description: 'True when the object is terminating (finalizers or a grace period) rather than gone.' },
      },
      required: ['kind', 'name', 'dryRun', 'pending'],
    },
    annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
    async run(args, ctx) {
      const resource = await deps.catalog.resolve(ctx, args.kind, args.apiVersion);
      const namespace = namespaceFor(deps, resource, args.namespace);
      const dryRun = args.dryRun === true || deps.backend.guard.dryRun;
      const label = `${resource.name} "${args.name}"${namespace ? ` in namespace "${namespace}"` : ''}`;
      const answer = (await deps.backend.call(ctx, `delete ${label}`, () =>
        deps.backend.objects.delete(
          { apiVersion: resource.apiVersion, kind: resource.kind, metadata: { name: args.name, ...(namespace ? { namespace } : {}) } },
          undefined,
          dryRun ? 'All' : undefined,
          args.gracePeriodSeconds,
          undefined,
          args.propagationPolicy,
        ),
      )) as unknown as { kind?: string; metadata?: { deletionTimestamp?: string } };
      // The API server answers a finished delete with a Status, a graceful one with the object marked for deletion.
      const pending = answer.kind !== 'Status' && answer.metadata?.deletionTimestamp !== undefined;
      return structuredResult(
        { kind: resource.kind, name: args.name, ...(namespace ? { namespace } : {}), dryRun, pending },
        `${dryRun ? '[dry run, nothing changed] ' : ''}${resource.kind} ${namespace ? `${namespace}/` : ''}${args.name} ${pending ? `deletion started (terminating until ${String(answer.metadata?.deletionTimestamp)})` : 'deleted'}.`,
      );
    },
  });
}
