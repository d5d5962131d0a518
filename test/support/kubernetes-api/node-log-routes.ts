// GET /api/v1/nodes/{name}/proxy/logs/...: the kubelet's log endpoint through the API server's node proxy, authorized
// as `get nodes/proxy`. It goes before `resourceRoute`, which would answer a proxy GET with the Node object itself.
import { nodeLogs } from './node-logs.js';
import { authorize, type Route } from './routes.js';
import { notFound } from './status.js';

const PROXY = /^\/api\/v1\/nodes\/([^/]+)\/proxy(\/.*)?$/;

export const nodeLogRoute: Route = (request, state) => {
  const match = request.method === 'GET' ? PROXY.exec(request.path) : null;
  if (!match || !state.store.resource('', 'v1', 'nodes/proxy')) return undefined;
  const name = decodeURIComponent(match[1]!);
  const proxied = match[2] ?? '';
  authorize(state, request.subject, { verb: 'get', group: '', resource: 'nodes', subresource: 'proxy', namespace: '', name });
  // The fixture records only the kubelet's /logs; any other proxied path is unknown to it, as to a plain mux.
  if (!/^\/logs(\/|$)/.test(proxied)) return { status: 404, body: '404 page not found\n' };
  const node = state.store.get('', 'nodes', undefined, name);
  if (!node) throw notFound('nodes', '', name);
  return nodeLogs(state.fixtureDir, node, proxied.slice('/logs'.length), request.url.searchParams, state.now);
};
