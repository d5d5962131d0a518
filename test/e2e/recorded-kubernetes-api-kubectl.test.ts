// The real kubectl (Debian package kubernetes-client, installed by scripts/ensure-test-services.sh) against the
// recorded Kubernetes API fixture server, for every resource kind the kubernetes pack serves: kubectl must parse
// every answer (discovery, lists, tables, describe's many requests, rules reviews, watches) and see the same
// objects the pack returns. This file starts its own server: the watch test deletes a pod.
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { startTestKernel, type TestKernel } from '@cnmcp/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { printerOf } from '../support/kubernetes-api/tables.js';
import { startKubernetesApiServer, type KubernetesApiServer } from '../support/kubernetes-api/server.js';
import { runKubectl, structuredResult } from '../support/kubectl.js';

let api: KubernetesApiServer;
let server: TestKernel;
let client: Client;
let env: NodeJS.ProcessEnv;

const kubectl = (...args: string[]) => runKubectl(env, args);
const tool = (name: string, args: Record<string, unknown>) => structuredResult(client, name, args);

interface Kind {
  group: string;
  plural: string;
  kind: string;
  apiVersion: string;
  namespaced: boolean;
}

/** Every listable kind, read from the server's discovery; Secrets are left out (the pack withholds them by default). */
function kinds(): Kind[] {
  return api.store.groupVersions.flatMap((gv) =>
    gv.document.resources
      .filter((r) => !r.name.includes('/') && r.verbs.includes('list') && r.name !== 'secrets')
      .map((r) => ({
        group: gv.group,
        plural: r.name,
        kind: r.kind,
        apiVersion: gv.group === '' ? gv.version : `${gv.group}/${gv.version}`,
        namespaced: r.namespaced,
      })),
  );
}
const qualified = (k: Kind) => (k.group === '' ? k.plural : `${k.plural}.${k.group}`);

/** The blocks of a multi-kind `kubectl get` (one table per kind, separated by blank lines), rows keyed by header. */
function tables(output: string): { header: string[]; rows: Record<string, string>[] }[] {
  return output
    .trimEnd()
    .split(/\n\s*\n/)
    .map((block) => {
      const [head, ...lines] = block.split('\n');
      // Headers are split at runs of two spaces or more: some contain one ("NOMINATED NODE").
      const starts = [...head!.matchAll(/\S+(?: \S+)*/g)].map((m) => ({ name: m[0], at: m.index }));
      return {
        header: starts.map((s) => s.name),
        rows: lines.map((line) => Object.fromEntries(starts.map((s, i) => [s.name, line.slice(s.at, starts[i + 1]?.at).trim()]))),
      };
    });
}

beforeAll(async () => {
  api = await startKubernetesApiServer();
  const home = mkdtempSync(join(tmpdir(), 'cnmcp-kubectl-kinds-'));
  const kubeconfig = await api.writeKubeconfig(home);
  env = { PATH: process.env.PATH, HOME: home, KUBECONFIG: kubeconfig };
  server = await startTestKernel({ config: { toolPacks: [{ use: 'kubernetes', kubeconfig }] } });
  client = new Client({ name: 'kubectl-every-kind', version: '0.0.0' }, { versionNegotiation: { mode: { pin: '2026-07-28' } } });
  await client.connect(new StreamableHTTPClientTransport(server.url));
});

afterAll(async () => {
  await client?.close();
  await server?.close();
  await api?.close();
});

// Each test runs kubectl (a process per call, discovery included) and up to 35 tool calls: on a loaded machine that
// takes longer than the default 20 s, as the existing kubectl agreement test found.
describe('recorded Kubernetes API fixture server: kubectl agrees on every resource kind', { timeout: 60_000 }, () => {
  it('kubectl get KIND -A -o json lists the same objects as kubernetes_list_resources, kind by kind', async () => {
    const all = kinds();
    expect(all.length).toBeGreaterThanOrEqual(30);
    const run = await kubectl('get', all.map(qualified).join(','), '-A', '-o', 'json');
    expect(run.code, run.stderr).toBe(0);
    const fromKubectl = (
      JSON.parse(run.stdout) as { items: { kind: string; apiVersion: string; metadata: { name: string; namespace?: string; resourceVersion?: string } }[] }
    ).items;
    const view = (o: { metadata: { name: string; namespace?: string; resourceVersion?: string } }) =>
      `${o.metadata.namespace ?? ''}/${o.metadata.name}@${o.metadata.resourceVersion ?? ''}`;
    let compared = 0;
    for (const k of all) {
      const fromPack = (await tool('kubernetes_list_resources', { kind: qualified(k), apiVersion: k.apiVersion, allNamespaces: true, limit: 500 })).items as {
        metadata: { name: string; namespace?: string; resourceVersion?: string };
      }[];
      const seen = fromKubectl.filter((o) => o.kind === k.kind && o.apiVersion === k.apiVersion);
      expect(seen.map(view), qualified(k)).toEqual(fromPack.map(view));
      compared += seen.length;
    }
    expect(compared).toBe(fromKubectl.length);
    expect(compared).toBeGreaterThan(60);
    // kubectl found the kinds through aggregated discovery (apidiscovery.k8s.io/v2), needing no per-group document.
    const fromKubectlRequests = api.requests.filter((r) => r.userAgent?.startsWith('kubectl'));
    expect(fromKubectlRequests.some((r) => r.path === '/apis' && r.accept?.includes('g=apidiscovery.k8s.io;v=v2'))).toBe(true);
    expect(fromKubectlRequests.filter((r) => r.path === '/apis/apps/v1')).toEqual([]);
  });

  it('kubectl get KIND -A -o wide prints the server-side columns of every kind and a row per object', async () => {
    const all = kinds();
    const run = await kubectl('get', all.map(qualified).join(','), '-A', '-o', 'wide');
    expect(run.code, run.stderr).toBe(0);
    const blocks = tables(run.stdout);
    // kubectl prints one table per kind that has objects, in the order asked, each row named kind.group/name.
    const withObjects = all.filter((k) => api.store.list(k.group, k.plural).length > 0);
    expect(blocks).toHaveLength(withObjects.length);
    withObjects.forEach((k, i) => {
      const block = blocks[i]!;
      const columns = printerOf(k.group, k.plural).columns.map((c) => c.name.toUpperCase());
      // With -A, kubectl adds a NAMESPACE column to every table, empty for cluster-scoped kinds.
      expect(block.header, qualified(k)).toEqual(['NAMESPACE', ...columns]);
      const names = api.store.list(k.group, k.plural).map((o) => `${o.metadata.namespace ?? ''}/${o.metadata.name}`);
      expect(
        block.rows.map((r) => `${r.NAMESPACE ?? ''}/${(r.NAME ?? '').split('/').at(-1)}`),
        qualified(k),
      ).toEqual(names);
    });
    // Cells as the upstream printers compute them (ages count from the recorded clock, 2026-12-01T10:00:00Z).
    const row = (plural: string, name: string) =>
      blocks[withObjects.findIndex((k) => k.plural === plural)]!.rows.find((r) => (r.NAME ?? '').endsWith(`/${name}`))!;
    expect(row('pods', 'api-7c9d8b5f4-x2k8p')).toMatchObject({ READY: '0/1', STATUS: 'CrashLoopBackOff', RESTARTS: '7 (8m56s ago)', AGE: '47m' });
    expect(row('nodes', 'kind-worker2')).toMatchObject({ STATUS: 'NotReady', ROLES: '<none>', 'INTERNAL-IP': '172.18.0.4' });
    expect(row('jobs', 'nightly-report-29410680')).toMatchObject({ STATUS: 'Complete', COMPLETIONS: '1/1', DURATION: '72s' });
    expect(row('horizontalpodautoscalers', 'web')).toMatchObject({ REFERENCE: 'Deployment/web', TARGETS: 'cpu: 6%/70%', MINPODS: '3', MAXPODS: '10' });
    expect(row('persistentvolumes', api.store.list('', 'persistentvolumes')[0]!.metadata.name)).toMatchObject({
      CLAIM: 'shop/data-worker',
      'ACCESS MODES': 'RWO',
    });
    expect(row('endpoints', 'web').ENDPOINTS).toBe('10.244.1.12:8080,10.244.1.13:8080,10.244.1.14:8080');
  });

  it('kubectl describe reads what it needs (replica sets, events, pods) and prints the objects', async () => {
    const run = await kubectl('describe', '-n', 'shop', 'deployment/web', 'hpa/web', 'ingress/web', 'pdb/web', 'job/nightly-report-29410680');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/NewReplicaSet:\s+web-5d8f7c9b6d \(3\/3 replicas created\)/);
    expect(run.stdout).toMatch(/Reference:\s+Deployment\/web/);
    expect(run.stdout).toMatch(/shop\.example\.com\s+\n?\s*\/\s+web:http/);
    expect(run.stdout).toMatch(/Min available:\s+2/);
    const node = await kubectl('describe', 'node', 'kind-worker2');
    expect(node.code, node.stderr).toBe(0);
    expect(node.stdout).toMatch(/Name:\s+kind-worker2/);
  });

  it('kubectl auth can-i --list prints the rules the server enforces in the namespace (SelfSubjectRulesReview)', async () => {
    const shop = await kubectl('auth', 'can-i', '--list', '-n', 'shop');
    expect(shop.code, shop.stderr).toBe(0);
    const rows = tables(shop.stdout)[0]!.rows.map((r) => [r.Resources, r.Verbs]);
    // kubectl merges the verbs of every rule naming a resource.
    expect(rows).toContainEqual(['deployments.apps', '[get list watch create patch update]']);
    expect(rows).toContainEqual(['pods', '[get list watch delete]']);
    expect(rows).toContainEqual(['pods/log', '[get list watch]']);
    expect(rows.filter(([resource]) => resource === 'secrets')).toEqual([]);
    expect((await kubectl('auth', 'can-i', 'patch', 'deployments', '-n', 'shop')).stdout.trim()).toBe('yes');
    const other = await kubectl('auth', 'can-i', '--list', '-n', 'default');
    expect(tables(other.stdout)[0]!.rows.map((r) => [r.Resources, r.Verbs])).toContainEqual(['deployments.apps', '[get list watch]']);
    expect((await kubectl('auth', 'can-i', 'patch', 'deployments', '-n', 'default')).stdout.trim()).toBe('no');
  });

  it('kubectl top reads the metrics API as kubernetes_top does (pods and nodes)', async () => {
    const pods = await kubectl('top', 'pod', '-n', 'shop');
    expect(pods.code, pods.stderr).toBe(0);
    const fromPack = (await tool('kubernetes_top', { resource: 'pods', namespace: 'shop' })).items as {
      name: string;
      cpuMillicores: number;
      memoryBytes: number;
    }[];
    const view = (rows: string[][]) => rows.sort((a, b) => (a[0]! < b[0]! ? -1 : 1));
    expect(view(tables(pods.stdout)[0]!.rows.map((r) => [r.NAME!, r['CPU(cores)']!, r['MEMORY(bytes)']!]))).toEqual(
      view(fromPack.map((p) => [p.name, `${p.cpuMillicores}m`, `${Math.round(p.memoryBytes / 2 ** 20)}Mi`])),
    );
    const nodes = await kubectl('top', 'node');
    expect(nodes.code, nodes.stderr).toBe(0);
    const nodesFromPack = (await tool('kubernetes_top', { resource: 'nodes' })).items as { name: string; cpuMillicores: number }[];
    expect(view(tables(nodes.stdout)[0]!.rows.map((r) => [r.NAME!, r['CPU(cores)']!]))).toEqual(
      view(nodesFromPack.map((n) => [n.name, `${n.cpuMillicores}m`])),
    );
  });

  it('kubectl get pods --watch prints the pods, then the deletion the pack makes', async () => {
    const watch = spawn('kubectl', ['get', 'pods', '-n', 'shop', '--watch', '--output-watch-events', '--request-timeout=30s'], { env });
    let out = '';
    watch.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    const exited = new Promise<void>((resolve) => watch.on('exit', () => resolve()));
    try {
      await expect.poll(() => out.split('\n').filter((l) => l.startsWith('ADDED')).length, { timeout: 30_000 }).toBe(6);
      const deleted = await tool('kubernetes_delete_resource', { kind: 'Pod', name: 'worker-6b7f9d4c8-q9v2d', namespace: 'shop' });
      expect(JSON.stringify(deleted)).toContain('worker-6b7f9d4c8-q9v2d');
      await expect.poll(() => out, { timeout: 30_000 }).toMatch(/^DELETED\s+worker-6b7f9d4c8-q9v2d\s/m);
      expect(api.requests.some((r) => r.path === '/api/v1/namespaces/shop/pods' && r.query.watch === 'true')).toBe(true);
    } finally {
      watch.kill();
      await exited;
    }
  });
});
