import type { ToolContext } from '@cnmcp/core/plugin';
import type { KubeObject } from './object-view.js';
import type { PackDeps } from './pack-deps.js';
import type { ApiResourceInfo } from './resource-catalog.js';

export interface ListQuery {
  readonly namespace?: string;
  readonly allNamespaces?: boolean;
  readonly labelSelector?: string;
  readonly fieldSelector?: string;
  readonly limit: number;
  readonly continue?: string;
}

export interface ListPage {
  readonly items: KubeObject[];
  /** Where the list was taken from: a namespace, or undefined for all namespaces / cluster-scoped kinds. */
  readonly namespace: string | undefined;
  readonly continue?: string;
  readonly remainingItemCount?: number;
}

/** The namespace a call means: the argument, else the context's, or none for cluster-scoped kinds and allNamespaces. */
export function namespaceFor(deps: PackDeps, resource: ApiResourceInfo, namespace: string | undefined, allNamespaces = false): string | undefined {
  if (!resource.namespaced || allNamespaces) return undefined;
  return namespace ?? deps.backend.defaultNamespace;
}

/** One page of a list, as the API server pages it (limit + continue). */
export async function listObjects(deps: PackDeps, ctx: ToolContext, resource: ApiResourceInfo, query: ListQuery): Promise<ListPage> {
  const namespace = namespaceFor(deps, resource, query.namespace, query.allNamespaces);
  const where = namespace ? `in namespace "${namespace}"` : resource.namespaced ? 'in all namespaces' : '(cluster-scoped)';
  const list = (await deps.backend.call(ctx, `list ${resource.name} ${where}`, () =>
    deps.backend.objects.list(
      resource.apiVersion,
      resource.kind,
      namespace,
      undefined,
      undefined,
      undefined,
      query.fieldSelector || undefined,
      query.labelSelector || undefined,
      query.limit,
      query.continue || undefined,
    ),
  )) as unknown as { items?: KubeObject[]; metadata?: { continue?: string; remainingItemCount?: number } };
  return {
    items: list.items ?? [],
    namespace,
    ...(list.metadata?.continue ? { continue: list.metadata.continue } : {}),
    ...(typeof list.metadata?.remainingItemCount === 'number' ? { remainingItemCount: list.metadata.remainingItemCount } : {}),
  };
}

/** Every object of a kind (following continue tokens) up to `cap`; says whether the cap cut the list. */
export async function listAll(
  deps: PackDeps,
  ctx: ToolContext,
  resource: ApiResourceInfo,
  namespace: string | undefined,
  cap: number,
  fieldSelector?: string,
): Promise<{ items: KubeObject[]; truncated: boolean }> {
  const items: KubeObject[] = [];
  let token: string | undefined;
  do {
    const page = await listObjects(deps, ctx, resource, {
      namespace,
      limit: Math.min(500, cap - items.length),
      ...(token ? { continue: token } : {}),
      ...(fieldSelector ? { fieldSelector } : {}),
    });
    items.push(...page.items);
    token = page.continue;
  } while (token && items.length < cap);
  return { items, truncated: token !== undefined };
}

/** The paging sentence every list tool ends its text with, so a cut list is never mistaken for a whole one. */
export function pagingNote(page: { continue?: string; remainingItemCount?: number }, shown: number): string {
  if (!page.continue) return `${shown} shown; this is the complete list.`;
  const more = page.remainingItemCount !== undefined ? `${page.remainingItemCount} more` : 'more';
  return `${shown} shown; ${more} remain: call again with continue="${page.continue}" for the next page.`;
}
