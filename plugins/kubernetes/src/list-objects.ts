import type { ToolContext } from '@cnmcp/core/plugin';
import type { GuardRails } from './guard-rails.js';
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
  /** Objects of this page the guard rails kept back (a list across namespaces reaching closed ones). */
  readonly withheld: number;
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
  // A list across namespaces is one request the path check cannot split: drop what the guard rails close.
  const all = list.items ?? [];
  const guard = deps.backend.guard;
  const items = namespace !== undefined ? all : all.filter((o) => readableObject(guard, resource, o));
  return {
    items,
    namespace,
    withheld: all.length - items.length,
    ...(list.metadata?.continue ? { continue: list.metadata.continue } : {}),
    ...(typeof list.metadata?.remainingItemCount === 'number' ? { remainingItemCount: list.metadata.remainingItemCount } : {}),
  };
}

function readableObject(guard: GuardRails, resource: ApiResourceInfo, o: KubeObject): boolean {
  const namespace = resource.group === '' && resource.name === 'namespaces' ? o.metadata?.name : o.metadata?.namespace;
  return typeof namespace !== 'string' || guard.readable(namespace);
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
export function pagingNote(page: { continue?: string; remainingItemCount?: number; withheld?: number }, shown: number): string {
  const withheld = page.withheld ? ` ${page.withheld} object(s) in namespaces the guard rails close were left out.` : '';
  if (!page.continue) return `${shown} shown; this is the complete list.${withheld}`;
  const more = page.remainingItemCount !== undefined ? `${page.remainingItemCount} more` : 'more';
  return `${shown} shown; ${more} remain: call again with continue="${page.continue}" for the next page.${withheld}`;
}
