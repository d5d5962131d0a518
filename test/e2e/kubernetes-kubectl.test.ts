// Proof that the recorded Kubernetes API fixture server answers as a real API server does: the real kubectl
// (installed by scripts/ensure-test-services.sh) parses its answers, and what kubectl prints agrees with what the
// kubernetes pack's tools return from the same server.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { startTestKernel, type TestKernel } from '@cnmcp/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKubernetesApiServer, type KubernetesApiServer } from '../support/kubernetes-api/server.js';
import { runKubectl, structuredResult } from '../support/kubectl.js';

let api: KubernetesApiServer;
let server: TestKernel;
let client: Client;
let env: NodeJS.ProcessEnv;

const kubectl = (...args: string[]) => runKubectl(env, args);
const tool = (name: string, args: Record<string, unknown>) => structuredResult(client, name, args);

/** The rows of kubectl's column output, keyed by header. */
function table(output: string): Record<string, string>[] {
  const [header, ...lines] = output.trimEnd().split('\n');
  const starts = [...header!.matchAll(/\S+/g)].map((m) => ({ name: m[0], at: m.index }));
  return lines.map((line) => Object.fromEntries(starts.map((s, i) => [s.name, line.slice(s.at, starts[i + 1]?.at).trim()])));
}

beforeAll(async () => {
  api = await startKubernetesApiServer();
  const home = mkdtempSync(join(tmpdir(), 'cnmcp-kubectl-'));
  const kubeconfig = await api.writeKubeconfig(home);
  // A fresh HOME keeps kubectl's discovery cache out of the user's, and KUBECONFIG points it at the fixture.
  env = { PATH: process.env.PATH, HOME: home, KUBECONFIG: kubeconfig };
  server = await startTestKernel({ config: { toolPacks: [{ use: 'kubernetes', kubeconfig }] } });
  client = new Client({ name: 'kubectl-agreement', version: '0.0.0' }, { versionNegotiation: { mode: { pin: '2026-07-28' } } });
  await client.connect(new StreamableHTTPClientTransport(server.url));
});

afterAll(async () => {
  await client?.close();
  await server?.close();
  await api?.close();
});

describe('kubectl agrees with the kubernetes pack against the recorded Kubernetes API fixture server', () => {
  it('kubectl get pods -o json parses the PodList and matches kubernetes_list_resources', async () => {
    const run = await kubectl('get', 'pods', '-n', 'shop', '-o', 'json');
    expect(run.code, run.stderr).toBe(0);
    const fromKubectl = JSON.parse(run.stdout) as {
      kind: string;
      items: { kind: string; metadata: { name: string; resourceVersion: string }; status: { phase: string } }[];
    };
    expect(fromKubectl.kind).toBe('List');
    const fromPack = await tool('kubernetes_list_resources', { kind: 'pods', namespace: 'shop' });
    expect(fromKubectl.items.map((p) => p.kind)).toEqual(fromPack.items.map(() => 'Pod'));
    const view = (items: { metadata: { name: string; resourceVersion: string }; status: { phase: string } }[]) =>
      items.map((p) => [p.metadata.name, p.metadata.resourceVersion, p.status.phase]);
    expect(view(fromPack.items)).toEqual(view(fromKubectl.items));
    expect(fromPack.items).toHaveLength(6);
  });

  it('kubectl get pods prints the same status, readiness and restarts as kubernetes_list_resources_summary', async () => {
    const run = await kubectl('get', 'pods', '-n', 'shop');
    expect(run.code, run.stderr).toBe(0);
    const rows = table(run.stdout);
    const summaries = (await tool('kubernetes_list_resources_summary', { kind: 'pods', namespace: 'shop' })).items as {
      name: string;
      status: string;
      ready: string;
      restarts: number;
    }[];
    expect(rows.map((r) => [r.NAME, r.STATUS, r.READY, Number.parseInt(r.RESTARTS!, 10)])).toEqual(
      summaries.map((s) => [s.name, s.status, s.ready, s.restarts]),
    );
  });

  it('kubectl get deploy prints the same readiness as kubernetes_list_resources_summary', async () => {
    const run = await kubectl('get', 'deploy', '-n', 'shop');
    expect(run.code, run.stderr).toBe(0);
    const rows = table(run.stdout);
    const summaries = (await tool('kubernetes_list_resources_summary', { kind: 'deploy', namespace: 'shop' })).items as {
      name: string;
      ready: string;
      upToDate: number;
      available: number;
    }[];
    expect(rows.map((r) => [r.NAME, r.READY, Number(r['UP-TO-DATE']), Number(r.AVAILABLE)])).toEqual(
      summaries.map((s) => [s.name, s.ready, s.upToDate, s.available]),
    );
    expect(rows.map((r) => r.READY)).toEqual(['1/2', '3/3', '0/1']);
  });

  it('kubectl get pods -A --chunk-size 2 pages with continue tokens to the same list as the pack', async () => {
    const run = await kubectl('get', 'pods', '-A', '--chunk-size', '2', '-o', 'name');
    expect(run.code, run.stderr).toBe(0);
    expect(api.requests.filter((r) => r.path === '/api/v1/pods' && r.query.continue).length).toBeGreaterThanOrEqual(3);
    const fromPack = await tool('kubernetes_list_resources_summary', { kind: 'pods', allNamespaces: true });
    expect(run.stdout.trim().split('\n')).toEqual(fromPack.items.map((p: { name: string }) => `pod/${p.name}`));
  });

  it('kubectl api-resources lists the same kinds as kubernetes_list_api_resources', async () => {
    const run = await kubectl('api-resources');
    expect(run.code, run.stderr).toBe(0);
    const rows = table(run.stdout).map((r) => [r.NAME, r.SHORTNAMES, r.APIVERSION, r.NAMESPACED, r.KIND].join(' '));
    const fromPack = (await tool('kubernetes_list_api_resources', {})).resources as {
      name: string;
      shortNames: string[];
      apiVersion: string;
      namespaced: boolean;
      kind: string;
    }[];
    expect(rows.sort()).toEqual(fromPack.map((r) => [r.name, r.shortNames.join(','), r.apiVersion, String(r.namespaced), r.kind].join(' ')).sort());
    expect(rows).toContain('deployments deploy apps/v1 true Deployment');
  });

  it('kubectl auth can-i answers as kubernetes_check_permissions (SelfSubjectAccessReview)', async () => {
    const cases = [
      { verb: 'delete', resource: 'pods' },
      { verb: 'delete', resource: 'deployments' },
      { verb: 'list', resource: 'secrets' },
      { verb: 'patch', resource: 'deployments' },
      { verb: 'get', resource: 'pods', subresource: 'log' },
    ];
    const answers: string[] = [];
    for (const c of cases) {
      const run = await kubectl('auth', 'can-i', c.verb, c.subresource ? `${c.resource}/${c.subresource}` : c.resource, '-n', 'shop');
      const fromPack = await tool('kubernetes_check_permissions', { ...c, namespace: 'shop' });
      expect(run.stdout.trim(), `${c.verb} ${c.resource}`).toBe(fromPack.allowed ? 'yes' : 'no');
      expect(run.code).toBe(fromPack.allowed ? 0 : 1);
      answers.push(run.stdout.trim());
    }
    expect(answers).toEqual(['yes', 'no', 'no', 'yes', 'yes']);
  });

  it('kubectl logs prints the same lines as kubernetes_get_pod_logs (tail, previous container)', async () => {
    const tail = await kubectl('logs', 'web-5d8f7c9b6d-4kq2x', '-n', 'shop', '--tail', '5');
    expect(tail.code, tail.stderr).toBe(0);
    expect((await tool('kubernetes_get_pod_logs', { name: 'web-5d8f7c9b6d-4kq2x', namespace: 'shop', tailLines: 5 })).log).toBe(tail.stdout);
    const previous = await kubectl('logs', 'api-7c9d8b5f4-x2k8p', '-n', 'shop', '-c', 'api', '--previous');
    expect(previous.code, previous.stderr).toBe(0);
    expect(previous.stdout).toContain('database connection failed');
    expect((await tool('kubernetes_get_pod_logs', { name: 'api-7c9d8b5f4-x2k8p', namespace: 'shop', container: 'api', previous: true })).log).toBe(
      previous.stdout,
    );
  });

  it('kubectl shows the same Status errors the pack reports (404, 403)', async () => {
    const missing = await kubectl('get', 'pod', 'nope', '-n', 'shop');
    expect(missing.stderr).toContain('Error from server (NotFound): pods "nope" not found');
    const forbidden = await kubectl('get', 'secrets', '-n', 'shop');
    expect(forbidden.stderr).toContain(
      'Error from server (Forbidden): secrets is forbidden: User "system:serviceaccount:cnmcp:cnmcp-agent" cannot list resource "secrets"',
    );
  });

  it('kubectl get secrets -l owner=helm lists the release Secrets the Helm tools read (the selector the fixture authorizes)', async () => {
    const run = await kubectl('get', 'secrets', '-n', 'shop', '-l', 'owner=helm', '-o', 'name');
    expect(run.code, run.stderr).toBe(0);
    const history = await tool('kubernetes_helm_release_history', { name: 'storefront', namespace: 'shop' });
    const names = run.stdout.trim().split('\n');
    for (const revision of history.revisions as { revision: number }[]) expect(names).toContain(`secret/sh.helm.release.v1.storefront.v${revision.revision}`);
    expect(names).toHaveLength(6);
  });

  it('kubectl exec runs over the fixture WebSocket (v5.channel.k8s.io): output and exit code as recorded', async () => {
    const run = await kubectl('exec', 'web-5d8f7c9b6d-4kq2x', '-n', 'shop', '--', 'cat', '/etc/os-release');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('PRETTY_NAME="Alpine Linux v3.20"');
    const failed = await kubectl('exec', 'web-5d8f7c9b6d-4kq2x', '-n', 'shop', '--', 'cat', '/app/missing.conf');
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain("cat: can't open '/app/missing.conf': No such file or directory");
    const denied = await kubectl('exec', 'coredns-7c65d6cfc9-lh4tk', '-n', 'kube-system', '--', 'ls');
    expect(denied.code).not.toBe(0);
    expect(denied.stderr).toContain('cannot create resource "pods/exec" in API group "" in the namespace "kube-system"');
  });
});
