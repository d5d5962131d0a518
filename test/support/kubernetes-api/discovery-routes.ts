// Discovery: /version, /api, /apis and each group version's APIResourceList as recorded, and the aggregated
// discovery documents (apidiscovery.k8s.io/v2) kubectl asks for first, derived from the same recorded lists.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ApiResource, GroupVersion } from './fixture-store.js';
import type { Route, ServerState } from './routes.js';

const RECORDED: Readonly<Record<string, string>> = { '/version': 'version.json', '/api': 'api.json', '/apis': 'apis.json' };
const AGGREGATED = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';

/** Whether the client accepts the v2 aggregated document (client-go lists it first in Accept). */
const wantsAggregated = (accept: string | undefined) =>
  (accept ?? '').split(',').some((type) => {
    const params = type.split(';').map((p) => p.trim());
    return params.includes('g=apidiscovery.k8s.io') && params.includes('v=v2') && params.includes('as=APIGroupDiscoveryList');
  });

function aggregatedVersion(gv: GroupVersion): Record<string, unknown> {
  const all = gv.document.resources;
  const kindOf = (r: ApiResource) => ({ group: r.group ?? gv.group, version: r.version ?? gv.version, kind: r.kind });
  const resources = all
    .filter((r) => !r.name.includes('/'))
    .map((r) => {
      const subresources = all
        .filter((s) => s.name.startsWith(`${r.name}/`))
        .map((s) => ({ subresource: s.name.slice(r.name.length + 1), responseKind: kindOf(s), verbs: s.verbs }));
      const categories = (r as ApiResource & { categories?: readonly string[] }).categories;
      return {
        resource: r.name,
        responseKind: kindOf(r),
        scope: r.namespaced ? 'Namespaced' : 'Cluster',
        singularResource: r.singularName,
        verbs: r.verbs,
        ...(r.shortNames ? { shortNames: r.shortNames } : {}),
        ...(categories ? { categories } : {}),
        ...(subresources.length > 0 ? { subresources } : {}),
      };
    });
  return { version: gv.version, resources, freshness: 'Current' };
}

function aggregated(state: ServerState, core: boolean): Record<string, unknown> {
  const groups = state.store.groupVersions.filter((gv) => (gv.group === '') === core);
  return {
    kind: 'APIGroupDiscoveryList',
    apiVersion: 'apidiscovery.k8s.io/v2',
    metadata: {},
    items: groups.map((gv) => ({
      metadata: core ? { creationTimestamp: null } : { name: gv.group, creationTimestamp: null },
      versions: [aggregatedVersion(gv)],
    })),
  };
}

export const discoveryRoute: Route = (request, state) => {
  if (request.method !== 'GET') return undefined;
  const { path } = request;
  if ((path === '/api' || path === '/apis') && wantsAggregated(request.headers.accept))
    return { status: 200, body: aggregated(state, path === '/api'), contentType: AGGREGATED };
  const file = RECORDED[path];
  if (file) return { status: 200, body: JSON.parse(readFileSync(join(state.fixtureDir, 'discovery', file), 'utf8')) };
  const match = /^\/api\/(v1)$/.exec(path) ?? /^\/apis\/([^/]+)\/([^/]+)$/.exec(path);
  if (!match) return undefined;
  const [group, version] = match.length === 2 ? ['', match[1]!] : [match[1]!, match[2]!];
  const groupVersion = state.store.groupVersion(group, version);
  return groupVersion ? { status: 200, body: groupVersion.document } : undefined;
};
