// The Helm chart deploy/helm/cnmcp, linted and rendered by the real helm 3.17 (test/support/helm-render.ts), checked
// object by object against the Kubernetes schemas, for its security properties, and with cnmcp's own config validation.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { CHECKED_KINDS } from '../../plugins/kubernetes/src/health-checks.js';
import { WORKLOAD_KINDS } from '../../plugins/kubernetes/src/tools/rollout-status.js';
import { apiKeyProblems } from '../../core/src/plugin/api-key-rule.js';
import { helmLint, helmNotes, helmTemplate, renderChart, schemaProblems, type RenderedObject, type RenderOptions } from '../support/helm-render.js';
import {
  CHART,
  cnmcpValidate,
  configText,
  ofKind,
  one,
  podSpec,
  rulesOf,
  secretData,
  validateObject,
  type Container,
  type PolicyRule,
} from './helm-chart-objects.js';

const FULL = `${CHART}/ci/full-values.yaml`;
const CRDS = ['monitoring.coreos.com/v1', 'cert-manager.io/v1'];
const render = (options: RenderOptions = {}) => renderChart(CHART, options);
const full = () => render({ valuesFiles: [FULL], apiVersions: CRDS });
const EXISTING = { secret: { existingSecret: 'cnmcp-credentials' } };
const TLS_SECRET = { tls: { enabled: true, secretName: 'cnmcp-tls' } };
const PERSISTENT = { persistence: { enabled: true, storageClass: 'standard', size: '5Gi' } };
const KUBE_SECRETS = { secretStore: { kubernetes: { enabled: true } } };
/** The one Role allowed to touch Secrets: the Kubernetes secret store's, in the release namespace, these verbs. */
const SECRET_STORE_RULES = [{ apiGroups: [''], resources: ['secrets'], verbs: ['list', 'create', 'update', 'delete'] }];
/** The Helm tools' Role in each listed namespace: list on Secrets, nothing else. */
const HELM_RELEASE_RULES = [{ apiGroups: [''], resources: ['secrets'], verbs: ['list'] }];
const fakeSecret = (name: string, key: string) => (key.startsWith('apikey-') ? `Ext-${name}-${key}-K3y!` : `value-of-${name}-${key}`);

// Every variant the tests render: each must pass every generic check below. Each is rendered once.
const once = <T>(f: () => Promise<T>) => {
  let p: Promise<T> | undefined;
  return () => (p ??= f());
};
const VARIANTS: Record<string, () => Promise<RenderedObject[]>> = {
  'default values': once(() => render()),
  'ci/full-values.yaml': once(full),
  existingSecret: once(() => render({ values: [EXISTING] })),
  'TLS from a Secret': once(() => render({ values: [TLS_SECRET] })),
  'kubernetes pack off': once(() => render({ values: [{ kubernetes: { enabled: false }, extraToolPacks: [{ use: 'utilities' }] }] })),
  'persistent data volume': once(() => render({ values: [PERSISTENT] })),
  'Helm release RBAC': once(() => render({ values: [{ rbac: { helmReleases: { namespaces: ['shop', 'payments'] } } }] })),
  'Kubernetes secret store, tool pack off': once(() =>
    render({ values: [KUBE_SECRETS, { kubernetes: { enabled: false }, extraToolPacks: [{ use: 'utilities' }] }] }),
  ),
};

/** A rule grants a verb on a resource (group/resource) when it lists both. */
const grants = (rules: readonly PolicyRule[], group: string, resource: string, verb: string) =>
  rules.some((r) => r.apiGroups.includes(group) && r.resources.includes(resource) && r.verbs.includes(verb));

// The kinds the pack's own tools read by name (health sweep, rollout status, events, logs, nodes), as API resources.
const RESOURCE_OF: Record<string, [group: string, resource: string]> = {
  Pod: ['', 'pods'],
  Deployment: ['apps', 'deployments'],
  StatefulSet: ['apps', 'statefulsets'],
  DaemonSet: ['apps', 'daemonsets'],
  Job: ['batch', 'jobs'],
  PersistentVolumeClaim: ['', 'persistentvolumeclaims'],
  Node: ['', 'nodes'],
  Event: ['', 'events'],
};
const PACK_READS: [string, string][] = [
  ...[...CHECKED_KINDS, ...WORKLOAD_KINDS, 'Node', 'Event'].map((k) => RESOURCE_OF[k]!),
  ['', 'pods/log'], // kubernetes_get_pod_logs
];
// kubernetes_top reads the metrics API, which serves get and list (no watch).
const METRICS_READS: [string, string][] = [
  ['metrics.k8s.io', 'pods'],
  ['metrics.k8s.io', 'nodes'],
];

function assertSecurePod(objects: readonly RenderedObject[], where: string) {
  const deployment = one(objects, 'Deployment');
  const pod = podSpec(deployment);
  expect(pod.securityContext, where).toMatchObject({
    runAsNonRoot: true,
    runAsUser: 65532,
    runAsGroup: 65532,
    fsGroup: 65532,
    seccompProfile: { type: 'RuntimeDefault' },
  });
  expect(pod.hostNetwork ?? false).toBe(false);
  expect(pod.hostPID ?? false).toBe(false);
  expect(pod.hostIPC ?? false).toBe(false);
  // The volume types the "restricted" Pod Security Standard allows (no hostPath), and no host ports.
  for (const v of pod.volumes ?? [])
    expect(
      Object.keys(v).filter((k) => k !== 'name'),
      `${where}: volume ${v.name}`,
    ).toSatisfy((types: string[]) => types.length === 1 && ['configMap', 'secret', 'emptyDir', 'projected', 'persistentVolumeClaim'].includes(types[0]!));
  const containers: Container[] = [...pod.containers, ...(pod.initContainers ?? [])];
  for (const c of containers) {
    expect(c.securityContext, `${where}: container ${c.name}`).toMatchObject({
      runAsNonRoot: true,
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
    });
    expect(c.securityContext!.privileged ?? false).toBe(false);
    expect(c.securityContext!.capabilities!.add ?? []).toEqual([]);
    expect(c.resources?.requests, `${where}: requests of ${c.name}`).toMatchObject({ cpu: expect.any(String), memory: expect.any(String) });
    expect(c.resources?.limits, `${where}: limits of ${c.name}`).toMatchObject({ cpu: expect.any(String), memory: expect.any(String) });
  }
  for (const c of containers) for (const p of c.ports ?? []) expect((p as { hostPort?: number }).hostPort, `${where}: hostPort of ${c.name}`).toBeUndefined();
  const main = pod.containers[0]!;
  expect(main.ports).toContainEqual(expect.objectContaining({ name: 'http', containerPort: 8080 }));
  expect(main.livenessProbe?.httpGet).toMatchObject({ path: '/healthz', port: 'http' });
  expect(main.readinessProbe?.httpGet).toMatchObject({ path: '/readyz', port: 'http' });
  // The only writable paths are the ones the image expects: an emptyDir /tmp, and the data directory (an emptyDir,
  // or the claim `persistence` asks for).
  const mounts = Object.fromEntries((main.volumeMounts ?? []).map((m) => [m.mountPath, m.name]));
  expect(mounts['/tmp']).toBe('tmp');
  expect(mounts['/var/lib/cnmcp']).toBe('data');
  expect(pod.volumes?.find((v) => v.name === 'tmp')?.emptyDir).toBeDefined();
  const data = pod.volumes?.find((v) => v.name === 'data') as { emptyDir?: unknown; persistentVolumeClaim?: unknown } | undefined;
  expect(data?.emptyDir ?? data?.persistentVolumeClaim, `${where}: data volume`).toBeDefined();
  expect(main.env).toContainEqual({ name: 'CNMCP_CONFIG', value: '/etc/cnmcp/cnmcp.yaml' });
  // The start-up cache lives on the tmp emptyDir, the one writable place that is not data.
  expect(main.env).toContainEqual({ name: 'CNMCP_CACHE_DIR', value: '/tmp/cnmcp-cache' });
  // The token is mounted only when the Kubernetes pack needs it; the ServiceAccount itself never automounts.
  const config = parse(configText(objects)) as { toolPacks?: { use: string }[]; secrets?: { use: string } };
  const packOn = config.toolPacks?.some((p) => p.use === 'kubernetes') ?? false;
  expect(pod.automountServiceAccountToken, where).toBe(packOn || config.secrets?.use === 'kubernetes');
  for (const sa of ofKind(objects, 'ServiceAccount')) expect((sa as { automountServiceAccountToken?: boolean }).automountServiceAccountToken).toBe(false);
}

function assertLeastPrivilegeRbac(objects: readonly RenderedObject[], where: string) {
  for (const binding of [...ofKind(objects, 'ClusterRoleBinding'), ...ofKind(objects, 'RoleBinding')]) {
    const ref = (binding as unknown as { roleRef: { name: string } }).roleRef;
    expect(ref.name, `${where}: ${binding.metadata.name}`).not.toMatch(/^(cluster-admin|admin|edit)$/);
  }
  for (const role of [...ofKind(objects, 'ClusterRole'), ...ofKind(objects, 'Role')]) {
    expect((role as { aggregationRule?: unknown }).aggregationRule).toBeUndefined();
    if (role.kind === 'Role' && role.metadata.name.endsWith('-secret-store')) {
      expect(role.metadata.namespace, where).toBe('cnmcp');
      expect(rulesOf(role), where).toEqual(SECRET_STORE_RULES);
      continue;
    }
    if (role.kind === 'Role' && role.metadata.name.endsWith('-helm-releases')) {
      // The Helm tools' release Secrets: list only, never get/watch/write (the pack sends only the owner=helm list).
      expect(rulesOf(role), where).toEqual(HELM_RELEASE_RULES);
      continue;
    }
    if (role.kind === 'ClusterRole' && role.metadata.name.endsWith('-impersonate')) {
      // impersonate, only by name: a rule without resourceNames would let the pack become anyone.
      for (const rule of rulesOf(role) as { verbs: string[]; resources: string[]; resourceNames?: string[] }[]) {
        expect(rule.verbs, where).toEqual(['impersonate']);
        expect(rule.resourceNames?.length, where).toBeGreaterThan(0);
        for (const name of rule.resourceNames ?? []) expect(name, where).not.toMatch(/^\*$|^system:/);
        for (const resource of rule.resources) expect(resource, where).toMatch(/^(users|groups|userextras\/.+)$/);
      }
      continue;
    }
    for (const rule of rulesOf(role)) {
      for (const field of [rule.apiGroups, rule.resources, rule.verbs]) expect(field, `${where}: ${role.metadata.name}`).not.toContain('*');
      expect(rule.resources).not.toContain('secrets');
      expect(rule.apiGroups).not.toContain('rbac.authorization.k8s.io');
      for (const verb of ['escalate', 'bind', 'impersonate', 'deletecollection']) expect(rule.verbs).not.toContain(verb);
      expect((rule as { nonResourceURLs?: unknown }).nonResourceURLs).toBeUndefined();
    }
  }
}

function assertNoCredentialInConfigMap(objects: readonly RenderedObject[], where: string) {
  const text = configText(objects);
  for (const [key, value] of Object.entries(secretData(objects))) expect(text.includes(value), `${where}: Secret key ${key} is in the ConfigMap`).toBe(false);
  // Every credential-bearing field of the config is a reference, never a literal (tls.key is the path of the
  // mounted TLS Secret, not a key).
  const walk = (v: unknown, path: string): void => {
    if (path === '/tls') return;
    if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${path}/${i}`));
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, `${path}/${k}`);
    else if (typeof v === 'string' && /\/(key|hmacKey|token|password|secret|masterKey)$|\/(audit\/\d+|rateLimit)\/url$/.test(path))
      expect(v, `${where}: ${path}`).toMatch(/^\$\{(env|secret|file):[^}]+\}$/);
  };
  walk(parse(text), '');
}

describe('Helm chart deploy/helm/cnmcp, rendered by the real helm 3.17 binary', () => {
  describe.each(Object.keys(VARIANTS))('%s', (variant) => {
    it('renders only valid Kubernetes objects (Kubernetes OpenAPI JSON Schemas), secure, least-privilege, credentials only in the Secret', async () => {
      const objects = await VARIANTS[variant]!();
      expect(objects.length).toBeGreaterThan(5);
      for (const o of objects) await validateObject(o);
      assertSecurePod(objects, variant);
      assertLeastPrivilegeRbac(objects, variant);
      assertNoCredentialInConfigMap(objects, variant);
      expect(one(objects, 'NetworkPolicy')).toBeDefined();
      expect(one(objects, 'PodDisruptionBudget')).toBeDefined();
    });

    it("its ConfigMap is a config cnmcp itself accepts (cnmcp config validate, with the Deployment's environment)", async () => {
      const objects = await VARIANTS[variant]!();
      expect(await cnmcpValidate(objects, fakeSecret)).toMatch(/^ok: .*cnmcp\.yaml is valid/);
    });
  });

  it('default values: one replica, API-key auth with a generated key that meets the API key rule, read-only RBAC, no HPA or ServiceMonitor', async () => {
    const objects = await render();
    expect((one(objects, 'Deployment') as unknown as { spec: { replicas: number } }).spec.replicas).toBe(1);
    const config = parse(configText(objects)) as Record<string, unknown>;
    expect(config).toMatchObject({
      server: { listen: '0.0.0.0:8080', tlsTerminatedUpstream: true }, // plain HTTP in the pod, TLS in front (tls.terminatedUpstream)
      auth: [{ use: 'apikey', keys: [{ id: 'agent', key: '${env:CNMCP_APIKEY_AGENT}' }] }],
    });
    expect((config.server as Record<string, unknown>).sessions).toBeUndefined(); // one replica: the default, auto
    const key = secretData(objects)['apikey-agent']!;
    expect(apiKeyProblems(key)).toEqual([]);
    expect(key).not.toBe(secretData(await render())['apikey-agent']); // random per install, not a chart constant
    expect(ofKind(objects, 'HorizontalPodAutoscaler')).toEqual([]);
    expect(ofKind(objects, 'ServiceMonitor')).toEqual([]);
    expect(ofKind(objects, 'Role')).toEqual([]);
    expect(ofKind(objects, 'ClusterRole')).toHaveLength(1);
  });

  it('the read-only ClusterRole grants get/list/watch on every kind the pack reads, exactly the documented least-privilege role, nothing else', async () => {
    const objects = await render();
    const [role] = ofKind(objects, 'ClusterRole');
    const rules = rulesOf(role!);
    for (const [group, resource] of PACK_READS)
      for (const verb of ['get', 'list', 'watch']) expect(grants(rules, group, resource, verb), `${verb} ${group}/${resource}`).toBe(true);
    for (const [group, resource] of METRICS_READS)
      for (const verb of ['get', 'list']) expect(grants(rules, group, resource, verb), `${verb} ${group}/${resource}`).toBe(true);
    for (const rule of rules) expect(rule.verbs).toEqual(rule.apiGroups.includes('metrics.k8s.io') ? ['get', 'list'] : ['get', 'list', 'watch']);
    expect(rules.some((r) => r.resources.includes('secrets'))).toBe(false);
    // docs/tool-packs/kubernetes-setup.md shows the least-privilege role to create by hand; the chart's is the same.
    const doc = readFileSync(new URL('../../docs/tool-packs/kubernetes-setup.md', import.meta.url), 'utf8');
    const documented = [...doc.matchAll(/```yaml\n([\s\S]*?)```/g)]
      .flatMap((m) => parseAllDocuments(m[1]!).map((d) => d.toJS() as { kind?: string; rules?: PolicyRule[] }))
      .find((o) => o?.kind === 'ClusterRole');
    expect(rules).toEqual(documented!.rules);
    const binding = one(objects, 'ClusterRoleBinding') as unknown as { roleRef: { name: string }; subjects: unknown[] };
    expect(binding.roleRef.name).toBe(role!.metadata.name);
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: 'cnmcp', namespace: 'cnmcp' }]);
  });

  it('the Kubernetes secret store: a Role on Secrets in the release namespace only, the config naming it, the token mounted', async () => {
    const objects = await VARIANTS['Kubernetes secret store, tool pack off']!();
    const role = one(objects, 'Role');
    expect(role.metadata).toMatchObject({ name: 'cnmcp-secret-store', namespace: 'cnmcp' });
    expect(rulesOf(role)).toEqual(SECRET_STORE_RULES);
    const binding = one(objects, 'RoleBinding') as unknown as { metadata: { namespace: string }; roleRef: { kind: string; name: string }; subjects: unknown[] };
    expect(binding).toMatchObject({ metadata: { namespace: 'cnmcp' }, roleRef: { kind: 'Role', name: 'cnmcp-secret-store' } });
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: 'cnmcp', namespace: 'cnmcp' }]);
    expect(ofKind(objects, 'ClusterRole')).toEqual([]); // the tool pack is off: no cluster-wide read either
    expect(parse(configText(objects))).toMatchObject({ secrets: { use: 'kubernetes', namespace: 'cnmcp', prefix: 'cnmcp-' } });
    expect(podSpec(one(objects, 'Deployment')).automountServiceAccountToken).toBe(true);
    expect(await cnmcpValidate(objects, fakeSecret)).toMatch(/^ok: .*cnmcp\.yaml is valid/);
    expect(ofKind(await render(), 'Role')).toEqual([]); // off by default
  });

  it('the opt-in write role: a Role per listed namespace with the verbs scale, restart and delete-pod need; cordon only on request', async () => {
    const objects = await full();
    const roles = ofKind(objects, 'Role');
    expect(roles.map((r) => r.metadata.namespace).sort()).toEqual(['payments', 'shop']);
    for (const role of roles) {
      const rules = rulesOf(role);
      expect(grants(rules, 'apps', 'deployments/scale', 'patch') && grants(rules, 'apps', 'deployments/scale', 'get')).toBe(true); // scale
      expect(grants(rules, 'apps', 'deployments', 'patch')).toBe(true); // restart
      expect(grants(rules, '', 'pods', 'delete')).toBe(true); // delete a stuck pod
      for (const rule of rules) for (const verb of rule.verbs) expect(['get', 'patch', 'delete']).toContain(verb);
    }
    const roleBindings = ofKind(objects, 'RoleBinding') as unknown as { metadata: { namespace: string }; subjects: { namespace: string }[] }[];
    expect(roleBindings.map((b) => b.subjects[0]!.namespace)).toEqual(['cnmcp', 'cnmcp']);
    const cordon = ofKind(objects, 'ClusterRole').find((r) => r.metadata.name.endsWith('-cordon'))!;
    expect(rulesOf(cordon)).toEqual([{ apiGroups: [''], resources: ['nodes'], verbs: ['patch'] }]);
    await expect(render({ values: [{ rbac: { write: { enabled: true } } }] })).rejects.toThrow(/list them in rbac.write.namespaces/);
  });

  it('Helm release reading: a Role per listed namespace with list on secrets, nothing else; none by default', async () => {
    expect(ofKind(await render(), 'Role')).toEqual([]);
    const objects = await VARIANTS['Helm release RBAC']!();
    const roles = ofKind(objects, 'Role');
    expect(roles.map((r) => `${r.metadata.namespace}/${r.metadata.name}`).sort()).toEqual(['payments/cnmcp-helm-releases', 'shop/cnmcp-helm-releases']);
    for (const role of roles) expect(rulesOf(role)).toEqual(HELM_RELEASE_RULES);
    const bindings = ofKind(objects, 'RoleBinding') as unknown as { metadata: { namespace: string }; roleRef: { name: string }; subjects: unknown[] }[];
    expect(bindings.map((b) => [b.metadata.namespace, b.roleRef.name, b.subjects])).toEqual([
      ['shop', 'cnmcp-helm-releases', [{ kind: 'ServiceAccount', name: 'cnmcp', namespace: 'cnmcp' }]],
      ['payments', 'cnmcp-helm-releases', [{ kind: 'ServiceAccount', name: 'cnmcp', namespace: 'cnmcp' }]],
    ]);
    expect((await schemaProblems(CHART, { values: [{ rbac: { helmReleases: { namespaces: ['Not_A_Namespace'] } } }] })).join()).toMatch(
      /rbac\.helmReleases\.namespaces\.0: Does not match pattern/,
    );
  });

  it('impersonation: a ClusterRole granting impersonate on the listed users, groups and extras by name only', async () => {
    expect(ofKind(await render(), 'ClusterRole').some((r) => r.metadata.name.endsWith('-impersonate'))).toBe(false);
    const objects = await render({
      values: [
        { rbac: { impersonate: { users: ['cnmcp:alice'], groups: ['cnmcp:viewer', 'cnmcp:operator'], extras: { 'cnmcp.io/auth-method': ['apikey'] } } } },
      ],
    });
    const role = ofKind(objects, 'ClusterRole').find((r) => r.metadata.name.endsWith('-impersonate'))!;
    expect(rulesOf(role)).toEqual([
      { apiGroups: [''], resources: ['users'], verbs: ['impersonate'], resourceNames: ['cnmcp:alice'] },
      { apiGroups: [''], resources: ['groups'], verbs: ['impersonate'], resourceNames: ['cnmcp:viewer', 'cnmcp:operator'] },
      { apiGroups: ['authentication.k8s.io'], resources: ['userextras/cnmcp.io/auth-method'], verbs: ['impersonate'], resourceNames: ['apikey'] },
    ]);
    const binding = ofKind(objects, 'ClusterRoleBinding').find((b) => b.metadata.name.endsWith('-impersonate')) as unknown as { subjects: { kind: string }[] };
    expect(binding.subjects.map((s) => s.kind)).toEqual(['ServiceAccount']);
    assertLeastPrivilegeRbac(objects, 'impersonation');
    expect(await schemaProblems(CHART, { values: [{ rbac: { impersonate: { groups: ['*'] } } }] })).toEqual([
      "rbac.impersonate.groups.0: Does not match pattern '^[^*]+$'",
    ]);
    expect(await schemaProblems(CHART, { values: [{ rbac: { impersonate: { groups: ['system:masters'] } } }] })).toEqual([
      'rbac.impersonate.groups.0: Must not validate the schema (not)',
    ]);
  });

  it('NetworkPolicy: ingress from the allowed namespaces only; egress only to DNS, the API server and the configured backends', async () => {
    const objects = await full();
    const spec = (one(objects, 'NetworkPolicy') as unknown as { spec: NetworkPolicySpec }).spec;
    expect(spec.policyTypes).toEqual(['Ingress', 'Egress']);
    expect(spec.ingress).toEqual([
      { from: [nsIn(['agents', 'cnmcp'])], ports: [{ port: 8080, protocol: 'TCP' }] },
      { from: [nsIn(['monitoring'])], ports: [{ port: 9464, protocol: 'TCP' }] },
    ]);
    const [dns, api, ...backends] = spec.egress;
    expect(dns).toEqual({
      to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
      ports: [
        { port: 53, protocol: 'UDP' },
        { port: 53, protocol: 'TCP' },
      ],
    });
    expect(api).toEqual({
      to: [{ ipBlock: { cidr: '10.0.0.1/32' } }, { ipBlock: { cidr: '172.18.0.2/32' } }],
      ports: [
        { port: 443, protocol: 'TCP' },
        { port: 6443, protocol: 'TCP' },
      ],
    });
    const values = parse(readFileSync(FULL, 'utf8')) as { networkPolicy: { extraEgress: unknown[] } };
    expect(backends).toEqual(values.networkPolicy.extraEgress);
    for (const rule of spec.egress) expect(rule.to?.length ?? 0, 'every egress rule of the full values names its peers').toBeGreaterThan(0);

    // Defaults: the release namespace only; the API server's addresses are looked up at install (ports only here).
    const defaults = (one(await render(), 'NetworkPolicy') as unknown as { spec: NetworkPolicySpec }).spec;
    expect(defaults.ingress).toEqual([{ from: [nsIn(['cnmcp'])], ports: [{ port: 8080, protocol: 'TCP' }] }]);
    expect(defaults.egress).toHaveLength(2);
    expect(defaults.egress[1]).toEqual({
      ports: [
        { port: 443, protocol: 'TCP' },
        { port: 6443, protocol: 'TCP' },
      ],
    });
  });

  it('metrics.prometheusRule: a PrometheusRule with the security and audit alert groups', async () => {
    const objects = await render({
      values: [{ metrics: { enabled: true, prometheusRule: { enabled: true, labels: { release: 'kube-prometheus' } } } }],
      apiVersions: CRDS,
    });
    const rule = one(objects, 'PrometheusRule') as unknown as {
      apiVersion: string;
      metadata: { labels: Record<string, string> };
      spec: { groups: { name: string; rules: { alert: string }[] }[] };
    };
    expect(rule.apiVersion).toBe('monitoring.coreos.com/v1');
    expect(rule.metadata.labels.release).toBe('kube-prometheus');
    expect(rule.spec.groups.map((g) => g.name)).toEqual(['cnmcp-security', 'cnmcp-audit', 'cnmcp-tls']);
    const alerts = rule.spec.groups.flatMap((g) => g.rules.map((r) => r.alert));
    expect(alerts).toEqual(expect.arrayContaining(['CnmcpAuthFailureRate', 'CnmcpCertificateExpiresSoon', 'CnmcpCertificateExpiresVerySoon']));
  });

  it('full values: HPA (autoscaling/v2), PDB, ServiceMonitor, cert-manager Certificate mounted as HTTPS, Redis rate limits and PostgreSQL audit from the Secret', async () => {
    const objects = await full();
    const hpa = one(objects, 'HorizontalPodAutoscaler') as unknown as { apiVersion: string; spec: Record<string, unknown> };
    expect(hpa.apiVersion).toBe('autoscaling/v2');
    expect(hpa.spec).toMatchObject({ minReplicas: 3, maxReplicas: 10, scaleTargetRef: { kind: 'Deployment', name: 'cnmcp' } });
    expect((one(objects, 'Deployment') as unknown as { spec: { replicas?: number } }).spec.replicas).toBeUndefined(); // the HPA owns it
    // Replicas behind a round-robin Service: no in-memory sessions (the default, auto, would need affinity).
    expect((parse(configText(objects)) as { server: Record<string, unknown> }).server.sessions).toBe('stateless');
    expect((one(objects, 'PodDisruptionBudget') as unknown as { spec: unknown }).spec).toMatchObject({ maxUnavailable: 1 });
    expect((one(objects, 'ServiceMonitor') as unknown as { spec: unknown }).spec).toMatchObject({ endpoints: [{ port: 'metrics', path: '/metrics' }] });
    const cert = one(objects, 'Certificate') as unknown as { spec: { secretName: string; issuerRef: unknown } };
    expect(cert.spec).toMatchObject({ secretName: 'cnmcp-tls', issuerRef: { name: 'internal-ca', kind: 'ClusterIssuer' } });
    const pod = podSpec(one(objects, 'Deployment'));
    expect(pod.volumes).toContainEqual(expect.objectContaining({ name: 'tls', secret: expect.objectContaining({ secretName: 'cnmcp-tls' }) }));
    expect(pod.containers[0]!.readinessProbe?.httpGet?.scheme).toBe('HTTPS');
    const config = parse(configText(objects)) as Record<string, unknown>;
    expect(config).toMatchObject({
      tls: { use: 'file', cert: '/etc/cnmcp/tls/tls.crt', key: '/etc/cnmcp/tls/tls.key' },
      rateLimit: { use: 'redis', url: '${env:CNMCP_REDIS_URL}' },
      audit: [{ use: 'stdout' }, { use: 'postgres', url: '${env:CNMCP_AUDIT_POSTGRES_URL}', failClosed: true }],
      telemetry: { metrics: { enabled: true, listen: '0.0.0.0:9464' } },
      limits: { perIdentity: { points: 120 } },
    });
    expect(config.server).not.toHaveProperty('tlsTerminatedUpstream'); // HTTPS in the pod: nothing to vouch for
    expect(secretData(objects)).toMatchObject({ 'redis-url': 'redis://:redis-pass-ci@redis.data.svc:6379/0', 'apikey-ops': 'Ops-Agent-Key-0123456789-abcdef' });
  });

  it('helm upgrade keeps the generated keys (lookup of the installed Secret); helm install finds the API server addresses (lookup of Endpoints)', async () => {
    const installed = await render();
    const rendered = installed.find((o) => o.object.kind === 'Secret')!.object;
    const secret = { ...rendered, metadata: { ...rendered.metadata, namespace: 'cnmcp' } }; // as the cluster stores it
    const upgraded = await render({ cluster: [secret] });
    expect(secretData(upgraded)).toEqual(secretData(installed));
    // A key given in values wins over the stored one.
    expect(secretData(await render({ cluster: [secret], values: [{ secret: { apiKeys: { agent: 'Rotated-Agent-Key-0042' } } }] }))['apikey-agent']).toBe(
      'Rotated-Agent-Key-0042',
    );

    const endpoints = {
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: { name: 'kubernetes', namespace: 'default' },
      subsets: [{ addresses: [{ ip: '172.18.0.3' }, { ip: '172.18.0.4' }], ports: [{ name: 'https', port: 6443 }] }],
    };
    const policy = one(await render({ cluster: [endpoints] }), 'NetworkPolicy') as unknown as { spec: NetworkPolicySpec };
    expect(policy.spec.egress[1]!.to).toEqual([{ ipBlock: { cidr: '172.18.0.3/32' } }, { ipBlock: { cidr: '172.18.0.4/32' } }]);
  });

  it('existingSecret: no Secret is rendered and every credential comes from the named Secret', async () => {
    const objects = await render({ values: [EXISTING] });
    expect(ofKind(objects, 'Secret')).toEqual([]);
    const refs = (podSpec(one(objects, 'Deployment')).containers[0]!.env ?? []).flatMap((e) => (e.valueFrom?.secretKeyRef ? [e.valueFrom.secretKeyRef] : []));
    expect(refs).toEqual([
      { name: 'cnmcp-credentials', key: 'apikey-agent' },
      { name: 'cnmcp-credentials', key: 'audit-hmac-key' },
    ]);
  });

  it('persistence: a kept ReadWriteOnce claim for /var/lib/cnmcp (or your own claim), for one replica only', async () => {
    const objects = await VARIANTS['persistent data volume']!();
    const claim = one(objects, 'PersistentVolumeClaim') as unknown as { metadata: { name: string; annotations: Record<string, string> }; spec: unknown };
    expect(claim.metadata.name).toBe('cnmcp-data');
    expect(claim.metadata.annotations['helm.sh/resource-policy']).toBe('keep'); // helm uninstall keeps the audit trail
    expect(claim.spec).toEqual({ accessModes: ['ReadWriteOnce'], storageClassName: 'standard', resources: { requests: { storage: '5Gi' } } });
    const volume = (pod: ReturnType<typeof podSpec>) => pod.volumes?.find((v) => v.name === 'data');
    expect(volume(podSpec(one(objects, 'Deployment')))).toEqual({ name: 'data', persistentVolumeClaim: { claimName: 'cnmcp-data' } });
    const existing = await render({ values: [{ persistence: { enabled: true, existingClaim: 'audit-disk' } }] });
    expect(ofKind(existing, 'PersistentVolumeClaim')).toEqual([]);
    expect(volume(podSpec(one(existing, 'Deployment')))).toEqual({ name: 'data', persistentVolumeClaim: { claimName: 'audit-disk' } });
    expect(ofKind(await VARIANTS['default values']!(), 'PersistentVolumeClaim')).toEqual([]);
  });

  it('refuses values that would be insecure or broken, each with a message saying what to set', async () => {
    const refuses = (values: Record<string, unknown>, message: RegExp, apiVersions: string[] = []) =>
      expect(helmTemplate(CHART, { values: [values], apiVersions })).rejects.toThrow(message);
    await refuses({ replicaCount: 2 }, /more than one replica .* needs shared state: set rateLimit.redis.enabled=true .* audit.postgres.enabled=true/);
    await refuses({ autoscaling: { enabled: true } }, /needs shared state/);
    await refuses({ replicaCount: 2, rateLimit: { redis: { enabled: true } }, audit: { postgres: { enabled: true } } }, /needs secret.redisUrl/);
    await refuses({ auth: { apiKeys: [] } }, /cnmcp refuses to listen on 0.0.0.0 without authentication/);
    await refuses(
      {
        ...PERSISTENT,
        replicaCount: 2,
        rateLimit: { redis: { enabled: true } },
        audit: { postgres: { enabled: true } },
        secret: { redisUrl: 'redis://r:6379', auditPostgresUrl: 'postgres://a@p/db' },
      },
      /persistence.enabled mounts one ReadWriteOnce claim: it allows one replica/,
    );
    await refuses({ metrics: { enabled: true, serviceMonitor: { enabled: true } } }, /needs the Prometheus Operator/);
    await refuses({ metrics: { enabled: true, prometheusRule: { enabled: true } } }, /needs the Prometheus Operator/);
    await refuses({ tls: { enabled: true } }, /exactly one certificate source/);
    await refuses({ tls: { terminatedUpstream: false } }, /API keys would cross the network in clear text/);
    await refuses({ tls: { enabled: true, certManager: { enabled: true, issuerRef: { name: 'ca' }, dnsNames: ['x'] } } }, /needs cert-manager installed/);
    await refuses({ tls: { enabled: true, certManager: { enabled: true } } }, /issuerRef.name/, CRDS);
  });
});

interface NetworkPolicySpec {
  policyTypes: string[];
  ingress: unknown[];
  egress: { to?: unknown[]; ports?: unknown[] }[];
}
const nsIn = (names: string[]) => ({ namespaceSelector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: names }] } });

describe('values.schema.json (helm checks the merged values against it at install, lint and template)', () => {
  const check = (options: RenderOptions) => schemaProblems(CHART, options);

  it('helm lint --strict passes with the default values and the full CI values, and fails on values the schema refuses', async () => {
    expect(await helmLint(CHART)).toMatch(/1 chart\(s\) linted, 0 chart\(s\) failed/);
    expect(await helmLint(CHART, { valuesFiles: [FULL] })).toMatch(/1 chart\(s\) linted, 0 chart\(s\) failed/);
    await expect(helmLint(CHART, { values: [{ podSecurityContext: { runAsNonRoot: false } }] })).rejects.toThrow(
      /- podSecurityContext.runAsNonRoot: [^\n]*\n[\s\S]*1 chart\(s\) failed/,
    );
  });

  it('accepts the default values and the full CI values', async () => {
    expect(await check({})).toEqual([]);
    expect(await check({ valuesFiles: [FULL] })).toEqual([]);
  });

  it('refuses weakening the security context, wildcard or Secret-reading RBAC, and misspelt keys', async () => {
    // Helm's own messages (gojsonschema), each with the dotted path of the refused value.
    expect(await check({ values: [{ securityContext: { readOnlyRootFilesystem: false } }] })).toEqual([
      'securityContext.readOnlyRootFilesystem: securityContext.readOnlyRootFilesystem does not match: true',
    ]);
    expect(await check({ values: [{ securityContext: { allowPrivilegeEscalation: true } }] })).toEqual([
      'securityContext.allowPrivilegeEscalation: securityContext.allowPrivilegeEscalation does not match: false',
    ]);
    expect(await check({ values: [{ podSecurityContext: { runAsNonRoot: false } }] })).toEqual([
      'podSecurityContext.runAsNonRoot: podSecurityContext.runAsNonRoot does not match: true',
    ]);
    expect(await check({ values: [{ rbac: { read: { rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['get'] }] } } }] })).toContainEqual(
      'rbac.read.rules.0.resources.0: Must not validate the schema (not)',
    );
    expect(await check({ values: [{ rbac: { read: { rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['delete'] }] } } }] })).toContainEqual(
      'rbac.read.rules.0.verbs.0: rbac.read.rules.0.verbs.0 must be one of the following: "get", "list", "watch"',
    );
    expect(await check({ values: [{ rbac: { write: { rules: [{ apiGroups: ['*'], resources: ['pods'], verbs: ['delete'] }] } } }] })).toContainEqual(
      'rbac.write.rules.0.apiGroups.0: Must not validate the schema (not)',
    );
    expect(await check({ values: [{ replicas: 3 }] })).toEqual(['(root): Additional property replicas is not allowed']);
    expect(await check({ values: [{ auth: { apiKeys: [{ id: 'Bad_Id', roles: [] }] } }] })).toEqual([
      "auth.apiKeys.0.id: Does not match pattern '^[a-z0-9]([a-z0-9-]*[a-z0-9])?$'",
    ]);
    // Rendering checks the schema first, as helm does.
    await expect(helmTemplate(CHART, { values: [{ securityContext: { privileged: true } }] })).rejects.toThrow(
      /values don't meet the specifications .*\ncnmcp:\n- securityContext.privileged: securityContext.privileged does not match: false/,
    );
  });
});

describe('NOTES.txt (printed by helm install)', () => {
  it('says how to reach the server and get the generated key, and states the RBAC mode', async () => {
    const notes = await helmNotes(CHART);
    expect(notes).toContain('http://cnmcp.cnmcp.svc:8080/mcp');
    expect(notes).toContain("kubectl -n cnmcp get secret cnmcp -o jsonpath='{.data.apikey-agent}' | base64 -d");
    expect(notes).toContain('kubectl -n cnmcp port-forward svc/cnmcp 8080:8080');
    expect(notes).toMatch(/read-only \(rbac.write.enabled=false\)/);
    const fullNotes = await helmNotes(CHART, { valuesFiles: [FULL], apiVersions: CRDS });
    expect(fullNotes).toContain('https://cnmcp.cnmcp.svc:8080/mcp');
    expect(fullNotes).toContain('may write in: shop, payments (and cordon nodes)');
  });
});
