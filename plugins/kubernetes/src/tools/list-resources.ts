import type { ToolDefinition } from '@cnmcp/core/plugin';
import { listObjects, pagingNote } from '../list-objects.js';
import { cleanObject, summarize, summaryLine } from '../object-view.js';
import type { PackDeps } from '../pack-deps.js';
import { apiVersionField, continueField, fieldSelectorField, kindField, labelSelectorField, limitField, namespaceField } from '../schemas.js';
import { guarded, structuredResult } from '../tool-result.js';

export type ListArgs = {
  kind: string;
  apiVersion?: string;
  namespace?: string;
  allNamespaces?: boolean;
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
};

const pageOutput = (item: Record<string, unknown>) => ({
  type: 'object' as const,
  properties: {
    kind: { type: 'string', description: 'The kind listed.' },
    apiVersion: { type: 'string' },
    namespace: { type: 'string', description: 'Namespace listed; absent for all namespaces or a cluster-scoped kind.' },
    items: { type: 'array', items: item },
    continue: { type: 'string', description: 'Present when more objects remain: pass it as `continue` for the next page.' },
    remainingItemCount: { type: 'integer', description: 'How many objects remain after this page, when the API server says.' },
  },
  required: ['kind', 'apiVersion', 'items'],
});

/** `kubernetes_list_resources` (full objects) and `kubernetes_list_resources_summary` (one row each). */
export function createListTools(deps: PackDeps): ToolDefinition<ListArgs>[] {
  const { defaultLimit, maxLimit } = deps.settings.list;
  const inputSchema = {
    type: 'object',
    properties: {
      kind: kindField,
      apiVersion: apiVersionField,
      namespace: namespaceField(),
      allNamespaces: { type: 'boolean', default: false, description: 'List in every namespace (ignored for cluster-scoped kinds).' },
      labelSelector: labelSelectorField,
      fieldSelector: fieldSelectorField,
      limit: limitField(defaultLimit, maxLimit),
      continue: continueField,
    },
    required: ['kind'],
    additionalProperties: false,
  } as const;

  const make = (summary: boolean): ToolDefinition<ListArgs> =>
    guarded<ListArgs>({
      name: summary ? 'kubernetes_list_resources_summary' : 'kubernetes_list_resources',
      title: summary ? 'List Kubernetes resources (summary)' : 'List Kubernetes resources',
      description: summary
        ? 'Lists objects of any kind with one summary row each (status, readiness, restarts, node... as kubectl get shows). Paged with limit and continue. Prefer this to kubernetes_list_resources.'
        : 'Lists objects of any kind in full (metadata.managedFields removed, Secret values withheld). Paged with limit and continue; use kubernetes_list_resources_summary for an overview.',
      inputSchema,
      outputSchema: pageOutput(
        summary
          ? { type: 'object', properties: { name: { type: 'string' }, namespace: { type: 'string' }, status: { type: 'string' } }, required: ['name'] }
          : { type: 'object' },
      ),
      annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
      async run(args, ctx) {
        const resource = await deps.catalog.resolve(ctx, args.kind, args.apiVersion);
        const page = await listObjects(deps, ctx, resource, { ...args, limit: Math.min(args.limit ?? defaultLimit, maxLimit) });
        const items = summary
          ? page.items.map((o) => summarize(o, resource.kind))
          : page.items.map((o) => cleanObject(o, resource.kind, resource.apiVersion, deps.backend.guard.secrets === 'read'));
        const where = page.namespace ? ` in namespace ${page.namespace}` : resource.namespaced ? ' in all namespaces' : '';
        const body = summary ? items.map((s) => summaryLine(s as ReturnType<typeof summarize>)).join('\n') : JSON.stringify(items, null, 1);
        const text = `${resource.kind} (${resource.apiVersion})${where}: ${items.length === 0 ? 'none found.' : ''}\n${items.length === 0 ? '' : `${body}\n`}${pagingNote(page, items.length)}`;
        return structuredResult(
          {
            kind: resource.kind,
            apiVersion: resource.apiVersion,
            ...(page.namespace ? { namespace: page.namespace } : {}),
            items,
            ...(page.continue ? { continue: page.continue } : {}),
            ...(page.remainingItemCount !== undefined ? { remainingItemCount: page.remainingItemCount } : {}),
          },
          text,
        );
      },
    });
  return [make(false), make(true)];
}
