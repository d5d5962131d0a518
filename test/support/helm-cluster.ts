// The least of a Kubernetes API server that `helm install --dry-run` and `lookup` need (a recorded-fixture server, since
// no real cluster runs here): version, discovery of the groups the chart uses, GET of the given objects by name, and the empty list of
// helm's release Secrets (so every install is a first install). Plain HTTP on loopback; anything else answers 404.
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

type KubeObject = Record<string, unknown> & { kind: string; metadata: { name: string; namespace?: string } };

const resource = (name: string, kind: string, namespaced = true) => ({ name, kind, singularName: '', namespaced, verbs: ['get', 'list', 'create'] });
const CORE_RESOURCES = [
  resource('secrets', 'Secret'),
  resource('endpoints', 'Endpoints'),
  resource('configmaps', 'ConfigMap'),
  resource('services', 'Service'),
  resource('serviceaccounts', 'ServiceAccount'),
  resource('persistentvolumeclaims', 'PersistentVolumeClaim'),
];
/** The groups the chart's kinds belong to; the CRD groups only when the test says the cluster serves them. */
const GROUPS: Record<string, ReturnType<typeof resource>[]> = {
  'apps/v1': [resource('deployments', 'Deployment')],
  'networking.k8s.io/v1': [resource('networkpolicies', 'NetworkPolicy')],
  'policy/v1': [resource('poddisruptionbudgets', 'PodDisruptionBudget')],
  'autoscaling/v2': [resource('horizontalpodautoscalers', 'HorizontalPodAutoscaler')],
  'rbac.authorization.k8s.io/v1': [
    resource('roles', 'Role'),
    resource('rolebindings', 'RoleBinding'),
    resource('clusterroles', 'ClusterRole', false),
    resource('clusterrolebindings', 'ClusterRoleBinding', false),
  ],
  'monitoring.coreos.com/v1': [resource('servicemonitors', 'ServiceMonitor'), resource('prometheusrules', 'PrometheusRule')],
  'cert-manager.io/v1': [resource('certificates', 'Certificate')],
};
const CRD_GROUPS = ['monitoring.coreos.com/v1', 'cert-manager.io/v1'];

export interface HelmCluster {
  /** A kubeconfig file pointing at this server. */
  readonly kubeconfig: string;
  close(): Promise<void>;
}

export async function startHelmCluster(objects: readonly Record<string, unknown>[], apiVersions: readonly string[], dir: string): Promise<HelmCluster> {
  const stored = objects as readonly KubeObject[];
  const served = Object.keys(GROUPS).filter((gv) => !CRD_GROUPS.includes(gv) || apiVersions.includes(gv));
  const groupOf = (gv: string) => {
    const [group, version] = gv.split('/') as [string, string];
    return { name: group, versions: [{ groupVersion: gv, version }], preferredVersion: { groupVersion: gv, version } };
  };
  const send = (res: ServerResponse, status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://cluster');
    const path = url.pathname.replace(/\/+$/, '');
    if (path === '/version') return send(res, 200, { major: '1', minor: '31', gitVersion: 'v1.31.0', platform: 'linux/amd64' });
    if (path === '/api') return send(res, 200, { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [] });
    if (path === '/apis') return send(res, 200, { kind: 'APIGroupList', apiVersion: 'v1', groups: served.map(groupOf) });
    const gv = /^\/apis\/(.+\/.+)$/.exec(path)?.[1];
    if (gv && served.includes(gv)) return send(res, 200, { kind: 'APIResourceList', groupVersion: gv, resources: GROUPS[gv] });
    if (path === '/api/v1') return send(res, 200, { kind: 'APIResourceList', groupVersion: 'v1', resources: CORE_RESOURCES });
    const match = /^\/api\/v1\/namespaces\/([^/]+)\/([^/]+)(?:\/([^/]+))?$/.exec(path);
    const resource = CORE_RESOURCES.find((r) => r.name === match?.[2]);
    if (req.method === 'GET' && match && resource) {
      const [, namespace, , name] = match;
      if (name === undefined) return send(res, 200, { kind: `${resource.kind}List`, apiVersion: 'v1', metadata: {}, items: [] });
      const found = stored.find((o) => o.kind === resource.kind && o.metadata.name === name && (o.metadata.namespace ?? 'default') === namespace);
      if (found) return send(res, 200, found);
      const notFound = `${resource.name} "${name}" not found`;
      return send(res, 404, { kind: 'Status', apiVersion: 'v1', status: 'Failure', message: notFound, reason: 'NotFound', code: 404 });
    }
    send(res, 404, {
      kind: 'Status',
      apiVersion: 'v1',
      status: 'Failure',
      message: 'the server could not find the requested resource',
      reason: 'NotFound',
      code: 404,
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const kubeconfig = join(dir, 'kubeconfig');
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'helm', cluster: { server: `http://127.0.0.1:${port}` } }],
    users: [{ name: 'helm', user: {} }],
    contexts: [{ name: 'helm', context: { cluster: 'helm', user: 'helm' } }],
    'current-context': 'helm',
  };
  writeFileSync(kubeconfig, JSON.stringify(config), { mode: 0o600 }); // JSON is YAML
  return { kubeconfig, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
