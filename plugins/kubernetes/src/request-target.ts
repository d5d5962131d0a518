// What one API request reaches, read from its method and path: the last word before it leaves the pack, so the
// guard rails hold whatever route a tool took (a name, a selector, a manifest, a Namespace object itself).

export interface RequestTarget {
  readonly group: string;
  /** The resource's plural name (`pods`), absent for discovery paths. */
  readonly resource?: string;
  readonly subresource?: string;
  /** The namespace the request reaches; for a Namespace object (`/api/v1/namespaces/x`), that namespace itself. */
  readonly namespace?: string;
  /** Whether it changes anything: every method but GET/HEAD, and exec/attach/port-forward whatever the method. */
  readonly write: boolean;
  /** A review (SelfSubjectAccessReview...) is a POST that stores nothing. */
  readonly review: boolean;
}

const NAMESPACE_SUBRESOURCES = new Set(['status', 'finalize']);
const RUNS_IN_POD = new Set(['exec', 'attach', 'portforward', 'proxy', 'eviction']);

export function requestTarget(method: string, url: string): RequestTarget {
  const path = new URL(url, 'https://cluster').pathname.replace(/\/+$/, '');
  const segments = path.split('/').slice(1).map(decodeURIComponent);
  const [root, ...rest] = segments;
  // /api/v1/... or /apis/<group>/<version>/...
  const [group, after] = root === 'api' ? ['', rest.slice(1)] : root === 'apis' ? [rest[0] ?? '', rest.slice(2)] : ['', []];
  let namespace: string | undefined;
  let resourcePath = after;
  if (after[0] === 'namespaces' && after[1] !== undefined) {
    namespace = after[1];
    // `/namespaces/x` and `/namespaces/x/status|finalize` are the Namespace object; longer paths are objects inside it.
    const namespaceObject = group === '' && (after.length === 2 || (after.length === 3 && NAMESPACE_SUBRESOURCES.has(after[2]!)));
    resourcePath = namespaceObject ? after : after.slice(2);
  }
  const [resource, , subresource] = resourcePath;
  const m = method.toUpperCase();
  return {
    group,
    ...(resource !== undefined ? { resource } : {}),
    ...(subresource !== undefined ? { subresource } : {}),
    ...(namespace !== undefined ? { namespace } : {}),
    write: (m !== 'GET' && m !== 'HEAD') || (subresource !== undefined && RUNS_IN_POD.has(subresource) && !nodeLogRead(group, resourcePath, m)),
    review: resource !== undefined && resource.endsWith('reviews'),
  };
}

/** A GET of a node's kubelet logs (`nodes/NAME/proxy/logs/...`) reads; anything else through a proxy may change state. */
function nodeLogRead(group: string, resourcePath: readonly string[], method: string): boolean {
  return group === '' && method === 'GET' && resourcePath[0] === 'nodes' && resourcePath[2] === 'proxy' && resourcePath[3] === 'logs';
}
