import type { ToolContext, ToolDefinition } from '@cnmcp/core/plugin';
import { namespaceFor } from '../list-objects.js';
import { cleanObject, summarize, summaryLine, type KubeObject } from '../object-view.js';
import type { PackDeps } from '../pack-deps.js';
import type { ApiResourceInfo } from '../resource-catalog.js';
import { apiVersionField, kindField, nameField, namespaceField } from '../schemas.js';
import { guarded, structuredResult } from '../tool-result.js';

export type GetArgs = { kind: string; name: string; namespace?: string; apiVersion?: string };

export const getInputSchema = {
  type: 'object',
  properties: { kind: kindField, name: nameField('Object name.'), namespace: namespaceField(), apiVersion: apiVersionField },
  required: ['kind', 'name'],
  additionalProperties: false,
} as const;

/** Reads one object as the API server has it. */
export async function readObject(
  deps: PackDeps,
  ctx: ToolContext,
  resource: ApiResourceInfo,
  name: string,
  namespace: string | undefined,
): Promise<KubeObject> {
  const ns = namespaceFor(deps, resource, namespace);
  return (await deps.backend.call(ctx, `get ${resource.name} "${name}"${ns ? ` in namespace "${ns}"` : ''}`, () =>
    deps.backend.objects.read({ apiVersion: resource.apiVersion, kind: resource.kind, metadata: { name, ...(ns ? { namespace: ns } : {}) } }),
  )) as unknown as KubeObject;
}

/** `kubernetes_get_resource` (the full object) and `kubernetes_get_resource_summary` (its summary row). */
export function createGetTools(deps: PackDeps): ToolDefinition<GetArgs>[] {
  const make = (summary: boolean) =>
    guarded<GetArgs>({
      name: summary ? 'kubernetes_get_resource_summary' : 'kubernetes_get_resource',
      title: summary ? 'Get a Kubernetes resource (summary)' : 'Get a Kubernetes resource',
      description: summary
        ? 'Reads one object of any kind and returns its summary (status, readiness, restarts... as kubectl get shows).'
        : 'Reads one object of any kind in full (metadata.managedFields removed, Secret values withheld).',
      inputSchema: getInputSchema,
      outputSchema: { type: 'object', properties: { object: { type: 'object' } }, required: ['object'] },
      annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
      async run(args, ctx) {
        const resource = await deps.catalog.resolve(ctx, args.kind, args.apiVersion);
        const object = await readObject(deps, ctx, resource, args.name, args.namespace);
        if (summary) {
          const row = summarize(object, resource.kind);
          return structuredResult({ object: row }, `${resource.kind} ${summaryLine(row)}`);
        }
        const cleaned = cleanObject(object, resource.kind, resource.apiVersion, deps.backend.guard.secrets === 'read');
        return structuredResult({ object: cleaned }, JSON.stringify(cleaned, null, 1));
      },
    });
  return [make(false), make(true)];
}
