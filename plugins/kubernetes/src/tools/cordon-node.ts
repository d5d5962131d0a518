import { PatchStrategy } from '@kubernetes/client-node';
import type { ToolDefinition } from '@cnmcp/core/plugin';
import type { PackDeps } from '../pack-deps.js';
import { dryRunField, nameField } from '../schemas.js';
import { guarded, structuredResult } from '../tool-result.js';
import { readObject } from './get-resource.js';

export type CordonArgs = { name: string; dryRun?: boolean };

/** `kubernetes_cordon_node` and `kubernetes_uncordon_node`: spec.unschedulable, as kubectl cordon/uncordon patch it. */
export function createCordonTools(deps: PackDeps): ToolDefinition<CordonArgs>[] {
  const make = (cordon: boolean) =>
    guarded<CordonArgs>({
      name: cordon ? 'kubernetes_cordon_node' : 'kubernetes_uncordon_node',
      title: cordon ? 'Cordon a node' : 'Uncordon a node',
      description: cordon
        ? 'Marks a node unschedulable: no new pods land on it, running pods stay (no drain). Supports server-side dry run.'
        : 'Marks a node schedulable again. Supports server-side dry run.',
      inputSchema: { type: 'object', properties: { name: nameField('Node name.'), dryRun: dryRunField }, required: ['name'], additionalProperties: false },
      outputSchema: {
        type: 'object',
        properties: { node: { type: 'string' }, unschedulable: { type: 'boolean' }, changed: { type: 'boolean' }, dryRun: { type: 'boolean' } },
        required: ['node', 'unschedulable', 'changed', 'dryRun'],
      },
      // Cordoning takes capacity away from the scheduler; uncordoning only gives it back.
      annotations: { readOnlyHint: false, destructiveHint: cordon, idempotentHint: true, openWorldHint: true },
      async run(args, ctx) {
        const resource = await deps.catalog.resolve(ctx, 'nodes', 'v1');
        const node = await readObject(deps, ctx, resource, args.name, undefined);
        const was = (node.spec as { unschedulable?: boolean } | undefined)?.unschedulable === true;
        const dryRun = args.dryRun === true || deps.backend.guard.dryRun;
        if (was !== cordon) {
          await deps.backend.call(ctx, `${cordon ? 'cordon' : 'uncordon'} node "${args.name}"`, () =>
            deps.backend.objects.patch(
              { apiVersion: 'v1', kind: 'Node', metadata: { name: args.name }, spec: { unschedulable: cordon ? true : null } } as never,
              undefined,
              dryRun ? 'All' : undefined,
              deps.settings.fieldManager,
              undefined,
              PatchStrategy.StrategicMergePatch,
            ),
          );
        }
        const verb = cordon ? 'cordoned' : 'uncordoned';
        return structuredResult(
          { node: args.name, unschedulable: cordon, changed: was !== cordon, dryRun },
          was === cordon ? `node/${args.name} already ${verb}` : `${dryRun ? '[dry run, nothing changed] ' : ''}node/${args.name} ${verb}`,
        );
      },
    });
  return [make(true), make(false)];
}
