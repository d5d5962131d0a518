// The recorded Kubernetes API fixture server (not a real API server: none can run here) must answer as a real one
// would, or the kubernetes pack's tests prove nothing. Every object it serves validates against the Kubernetes
// schemas (kubernetes-models), identities are unique and references resolve, discovery documents and tables are
// well-formed for every resource, reviews agree with enforcement, and watches stream the changes.
import { request } from 'node:https';
import { APIGroupList } from '@kubernetes-models/apimachinery/apis/meta/v1/APIGroupList';
import { APIResourceList } from '@kubernetes-models/apimachinery/apis/meta/v1/APIResourceList';
import { ObjectMeta } from '@kubernetes-models/apimachinery/apis/meta/v1/ObjectMeta';
import { Status } from '@kubernetes-models/apimachinery/apis/meta/v1/Status';
import { WatchEvent } from '@kubernetes-models/apimachinery/apis/meta/v1/WatchEvent';
import { validate as validQuantity } from '@kubernetes-models/apimachinery/_schemas/IoK8sApimachineryPkgApiResourceQuantity';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKubernetesApiServer, type KubernetesApiServer } from '../support/kubernetes-api/server.js';

let api: KubernetesApiServer;

interface Reply {
  status: number;
  contentType: string;
  body: string;
}

function call(method: string, path: string, options: { accept?: string; body?: unknown; contentType?: string } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${api.url}${path}`,
      {
        method,
        ca: api.caPem,
        headers: {
          authorization: `Bearer ${api.token}`,
          accept: options.accept ?? 'application/json',
          ...(options.body !== undefined ? { 'content-type': options.contentType ?? 'application/json' } : {}),
        },
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, contentType: String(res.headers['content-type']), body }));
      },
    );
    req.on('error', reject);
    req.end(options.body === undefined ? undefined : JSON.stringify(options.body));
  });
}

async function json<T = Record<string, unknown>>(path: string, accept?: string): Promise<T> {
  const reply = await call('GET', path, accept ? { accept } : {});
  expect(reply.status, `${path}: ${reply.body}`).toBe(200);
  return JSON.parse(reply.body) as T;
}

interface Resource {
  name: string;
  kind: string;
  namespaced: boolean;
  verbs: string[];
}
interface Served {
  group: string;
  version: string;
  prefix: string;
  resource: Resource;
}

/** The path that lists `s` with the service account's rights: Secrets only with Helm's `owner=helm` selector. */
const listPath = (s: Served) => `${s.prefix}/${s.resource.name}${s.resource.name === 'secrets' ? '?labelSelector=owner%3Dhelm' : ''}`;

/** Every top-level resource the server lists, found through its own discovery as a client finds it. */
async function servedResources(): Promise<Served[]> {
  return (await discoveredResources()).filter((s) => s.resource.verbs.includes('list'));
}

async function discoveredResources(): Promise<Served[]> {
  const groups = await json<{ groups: { name: string; preferredVersion: { version: string } }[] }>('/apis');
  const versions = [{ group: '', version: 'v1', prefix: '/api/v1' }].concat(
    groups.groups.map((g) => ({ group: g.name, version: g.preferredVersion.version, prefix: `/apis/${g.name}/${g.preferredVersion.version}` })),
  );
  const out: Served[] = [];
  for (const v of versions) {
    const list = await json<{ resources: Resource[] }>(v.prefix);
    for (const resource of list.resources) if (!resource.name.includes('/')) out.push({ ...v, resource });
  }
  return out;
}

type Model = new (data: unknown) => { validate(): void };

async function modelOf(apiVersion: string, kind: string): Promise<Model> {
  const mod = (await import(`kubernetes-models/${apiVersion}/${kind}`)) as Record<string, Model>;
  return mod[kind]!;
}

/** The metrics.k8s.io kinds have no published model: their metadata, quantities and window are checked instead. */
function validateMetrics(item: Record<string, unknown>): void {
  new ObjectMeta(item.metadata as Record<string, unknown>).validate();
  const usages =
    item.kind === 'PodMetrics'
      ? ((item.containers ?? []) as { name: string; usage: Record<string, unknown> }[]).map((c) => c.usage)
      : [item.usage as Record<string, unknown>];
  for (const usage of usages) for (const [name, value] of Object.entries(usage)) expect(validQuantity(value), `${name}: ${String(value)}`).toBe(true);
  expect(item.window).toMatch(/^\d+(\.\d+)?s$/);
  expect(Date.parse(String(item.timestamp))).not.toBeNaN();
}

/** Reads a watch until the server ends it (timeoutSeconds), one JSON WatchEvent per line. */
function readWatch(path: string, accept = 'application/json'): Promise<{ contentType: string; events: Record<string, unknown>[] }> {
  return new Promise((resolve, reject) => {
    const req = request(`${api.url}${path}`, { ca: api.caPem, headers: { authorization: `Bearer ${api.token}`, accept } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () =>
        resolve({
          contentType: String(res.headers['content-type']),
          events: body
            .split('\n')
            .filter((line) => line !== '')
            .map((line) => JSON.parse(line) as Record<string, unknown>),
        }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

/**
 * The apiserver writes a zero MicroTime as `null`, and legacy (core v1) Events carry no eventTime, so real servers
 * send `"eventTime": null`, which the published schemas do not allow (events.k8s.io/v1 even requires it). That one
 * known deviation of the real server from its own schema is accepted here, and only when the legacy timestamps
 * the event does carry are there.
 */
function withoutZeroEventTime(object: Record<string, unknown>): Record<string, unknown> {
  if (object.kind !== 'Event' || object.eventTime !== null) return object;
  const { eventTime: _zero, ...rest } = object;
  if (object.apiVersion === 'v1') {
    expect(rest.firstTimestamp).toEqual(expect.any(String));
    return rest;
  }
  expect(rest.deprecatedFirstTimestamp).toEqual(expect.any(String));
  return { ...rest, eventTime: `${String(rest.deprecatedFirstTimestamp).replace('Z', '')}.000000Z` };
}

beforeAll(async () => {
  api = await startKubernetesApiServer();
});

afterAll(async () => {
  await api?.close();
});

describe('recorded Kubernetes API fixture server: objects', () => {
  it('serves every object valid against the Kubernetes schema of its kind (kubernetes-models)', async () => {
    // Lists are read with the service account's own rights: secrets in its namespace, elsewhere only Helm's.
    let validated = 0;
    for (const s of await servedResources()) {
      const paths = s.resource.name === 'secrets' ? [`${s.prefix}/namespaces/cnmcp/secrets`, listPath(s)] : [listPath(s)];
      const items: Record<string, unknown>[] = [];
      let apiVersion = '';
      for (const path of paths) {
        const answer = await json<{ kind: string; apiVersion: string; items: Record<string, unknown>[] }>(path);
        expect(answer.kind).toBe(`${s.resource.kind}List`);
        items.push(...answer.items);
        apiVersion = answer.apiVersion;
      }
      if (s.resource.name === 'secrets') expect(items.length, 'Helm release Secrets').toBeGreaterThanOrEqual(7);
      for (const item of items) {
        // List items come without kind and apiVersion, as the real server sends them (events.k8s.io is converted).
        const object = withoutZeroEventTime({ apiVersion, kind: s.resource.kind, ...item });
        const where = `${s.resource.kind} ${String((item.metadata as { namespace?: string }).namespace ?? '')}/${String((item.metadata as { name: string }).name)}`;
        if (s.group === 'metrics.k8s.io') validateMetrics(object);
        else {
          try {
            new (await modelOf(apiVersion, s.resource.kind))(object).validate();
          } catch (error) {
            throw new Error(`${where} is not a valid object: ${(error as Error).message}`);
          }
        }
        validated += 1;
      }
    }
    expect(validated).toBeGreaterThan(60);
  });

  it('gives every object its own uid and resourceVersion, every object of a kind its own creation time, and resolves references', async () => {
    const uids = new Map<string, string>();
    const versions = new Map<string, string>();
    const byUid = new Map<string, { kind: string; name: string; namespace?: string }>();
    const all: { kind: string; item: Record<string, unknown> }[] = [];
    for (const s of await servedResources()) {
      if (s.group === 'events.k8s.io') continue; // the same objects as core events
      const list = await json<{ items: { metadata: Record<string, string> }[] }>(listPath(s));
      const created = new Set<string>();
      for (const item of list.items) {
        const m = item.metadata;
        const where = `${s.resource.kind} ${m.namespace ?? ''}/${m.name}`;
        // metrics-server stamps each answer with the time of the request: no uid, no resourceVersion, one time.
        if (s.group === 'metrics.k8s.io') continue;
        expect(m.uid, where).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
        expect(uids.get(m.uid!), `${where} shares its uid`).toBeUndefined();
        expect(versions.get(m.resourceVersion!), `${where} shares its resourceVersion`).toBeUndefined();
        expect(created.has(m.creationTimestamp!), `${where} shares its creationTimestamp`).toBe(false);
        expect(Number(m.resourceVersion)).toBeLessThanOrEqual(Number(api.store.resourceVersion));
        uids.set(m.uid!, where);
        versions.set(m.resourceVersion!, where);
        created.add(m.creationTimestamp!);
        byUid.set(m.uid!, { kind: s.resource.kind, name: m.name!, ...(m.namespace ? { namespace: m.namespace } : {}) });
        all.push({ kind: s.resource.kind, item });
      }
    }
    let references = 0;
    for (const { kind, item } of all) {
      const meta = item.metadata as { name: string; namespace?: string; ownerReferences?: { kind: string; name: string; uid: string }[] };
      for (const owner of meta.ownerReferences ?? []) {
        expect(byUid.get(owner.uid), `${kind} ${meta.name} owner ${owner.kind}/${owner.name}`).toEqual({
          kind: owner.kind,
          name: owner.name,
          ...(meta.namespace ? { namespace: meta.namespace } : {}),
        });
        references += 1;
      }
      const involved = (item as { involvedObject?: { kind: string; name: string; uid: string; namespace?: string } }).involvedObject;
      if (involved) {
        expect(byUid.get(involved.uid), `event ${meta.name} about ${involved.kind}/${involved.name}`).toEqual({
          kind: involved.kind,
          name: involved.name,
          ...(involved.namespace ? { namespace: involved.namespace } : {}),
        });
        references += 1;
      }
    }
    expect(references).toBeGreaterThanOrEqual(14);
    // Any UID an object mentions (labels, claim references, volume names, messages) is the UID of a served object;
    // a node's machine identities are UUIDs of the hardware, not of objects.
    const machine = new Set(['systemUUID', 'bootID']);
    for (const { kind, item } of all) {
      for (const uid of JSON.stringify(item, (key, value: unknown) => (machine.has(key) ? undefined : value)).match(
        /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g,
      ) ?? [])
        expect(byUid.has(uid), `${kind} ${(item.metadata as { name: string }).name} mentions ${uid}`).toBe(true);
    }
  });

  it('serves core Events as events.k8s.io/v1 Events, converted field by field', async () => {
    const core = await json<{ items: Record<string, unknown>[] }>('/api/v1/namespaces/shop/events');
    const v1 = await json<{ kind: string; apiVersion: string; items: Record<string, unknown>[] }>('/apis/events.k8s.io/v1/namespaces/shop/events');
    expect([v1.kind, v1.apiVersion]).toEqual(['EventList', 'events.k8s.io/v1']);
    expect(v1.items.map((e) => [(e.metadata as { uid: string }).uid, e.note, e.reason, e.regarding, e.deprecatedCount])).toEqual(
      core.items.map((e) => [(e.metadata as { uid: string }).uid, e.message, e.reason, e.involvedObject, e.count]),
    );
  });
  it('answers subresources, reviews and errors with valid objects too (Scale, reviews, Status)', async () => {
    const scale = await json('/apis/apps/v1/namespaces/shop/deployments/web/scale');
    new (await modelOf('autoscaling/v1', 'Scale'))(scale).validate();
    const ssar = await call('POST', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', {
      body: { spec: { resourceAttributes: { verb: 'list', resource: 'pods', namespace: 'shop' } } },
    });
    new (await modelOf('authorization.k8s.io/v1', 'SelfSubjectAccessReview'))(JSON.parse(ssar.body)).validate();
    const ssrr = await call('POST', '/apis/authorization.k8s.io/v1/selfsubjectrulesreviews', { body: { spec: { namespace: 'shop' } } });
    new (await modelOf('authorization.k8s.io/v1', 'SelfSubjectRulesReview'))(JSON.parse(ssrr.body)).validate();
    for (const path of ['/api/v1/namespaces/shop/pods/nope', '/api/v1/namespaces/shop/secrets']) {
      const failed = await call('GET', path);
      const status = JSON.parse(failed.body) as { code: number };
      new Status(status).validate();
      expect(status.code).toBe(failed.status);
    }
  });
});

describe('recorded Kubernetes API fixture server: discovery and tables', () => {
  it('serves discovery documents that validate, legacy and aggregated (apidiscovery.k8s.io/v2) alike', async () => {
    new APIGroupList(await json('/apis')).validate();
    const served = await discoveredResources();
    for (const prefix of new Set(served.map((s) => s.prefix))) new APIResourceList(await json(prefix)).validate();
    const accept = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json';
    const reply = await call('GET', '/apis', { accept });
    expect(reply.contentType).toBe('application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList');
    const aggregated = JSON.parse(reply.body) as { items: { metadata: { name: string }; versions: { resources: { resource: string }[] }[] }[] };
    expect(aggregated.items.map((g) => g.metadata.name)).toEqual((await json<{ groups: { name: string }[] }>('/apis')).groups.map((g) => g.name));
    const core = JSON.parse((await call('GET', '/api', { accept })).body) as typeof aggregated;
    const names = [...core.items, ...aggregated.items].flatMap((g) => g.versions[0]!.resources.map((r) => r.resource));
    expect(names.sort()).toEqual(served.map((s) => s.resource.name).sort());
    for (const group of ['apps', 'batch', 'networking.k8s.io', 'rbac.authorization.k8s.io', 'autoscaling', 'policy', 'metrics.k8s.io', 'events.k8s.io'])
      expect(
        served.some((s) => s.group === group),
        group,
      ).toBe(true);
  });

  it('prints a server-side Table for every resource, one cell per column, rows in list order', async () => {
    const accept = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';
    for (const s of await servedResources()) {
      const path = listPath(s);
      const tableBody = await json<{
        kind: string;
        columnDefinitions: { name: string; type: string; priority: number }[];
        rows: { cells: unknown[]; object: { metadata: { name: string } } }[];
      }>(path, accept);
      const list = await json<{ items: { metadata: { name: string } }[] }>(path);
      expect(tableBody.kind, path).toBe('Table');
      expect(tableBody.columnDefinitions.length, path).toBeGreaterThanOrEqual(2);
      for (const column of tableBody.columnDefinitions) expect(['string', 'integer', 'number', 'boolean', 'date']).toContain(column.type);
      for (const row of tableBody.rows) expect(row.cells, path).toHaveLength(tableBody.columnDefinitions.length);
      expect(tableBody.rows.map((r) => r.object.metadata.name)).toEqual(list.items.map((i) => i.metadata.name));
    }
  });

  it('prints the upstream columns (pkg/printers/internalversion) for the kinds the pack touches', async () => {
    const accept = 'application/json;as=Table;v=v1;g=meta.k8s.io';
    const columns = async (path: string) => (await json<{ columnDefinitions: { name: string }[] }>(path, accept)).columnDefinitions.map((c) => c.name);
    expect(await columns('/api/v1/pods')).toEqual(['Name', 'Ready', 'Status', 'Restarts', 'Age', 'IP', 'Node', 'Nominated Node', 'Readiness Gates']);
    expect(await columns('/api/v1/events')).toEqual(['Last Seen', 'Type', 'Reason', 'Object', 'Subobject', 'Source', 'Message', 'First Seen', 'Count', 'Name']);
    expect(await columns('/apis/batch/v1/jobs')).toEqual(['Name', 'Status', 'Completions', 'Duration', 'Age', 'Containers', 'Images', 'Selector']);
    expect(await columns('/apis/autoscaling/v2/horizontalpodautoscalers')).toEqual(['Name', 'Reference', 'Targets', 'MinPods', 'MaxPods', 'Replicas', 'Age']);
    expect(await columns('/apis/rbac.authorization.k8s.io/v1/clusterroles')).toEqual(['Name', 'Created At']);
    expect(await columns('/apis/metrics.k8s.io/v1beta1/nodes')).toEqual(['Name', 'cpu', 'memory', 'Window']);
  });
});

describe('recorded Kubernetes API fixture server: reviews and watch', () => {
  it('answers SelfSubjectRulesReview with the rules it enforces in that namespace', async () => {
    const review = async (namespace: string) => {
      const reply = await call('POST', '/apis/authorization.k8s.io/v1/selfsubjectrulesreviews', {
        body: { kind: 'SelfSubjectRulesReview', apiVersion: 'authorization.k8s.io/v1', spec: { namespace } },
      });
      expect(reply.status, reply.body).toBe(201);
      return (JSON.parse(reply.body) as { status: { resourceRules: { verbs: string[]; apiGroups: string[]; resources: string[] }[]; incomplete: boolean } })
        .status;
    };
    const shop = await review('shop');
    const allows = (rules: typeof shop.resourceRules, verb: string, group: string, resource: string) =>
      rules.some((r) => r.verbs.includes(verb) && (r.apiGroups.includes(group) || r.apiGroups.includes('*')) && r.resources.includes(resource));
    // The Helm release Secrets rule holds only with the owner=helm selector, which a ResourceRule cannot say.
    expect(shop.incomplete).toBe(true);
    expect(allows(shop.resourceRules, 'patch', 'apps', 'deployments')).toBe(true);
    expect(allows(shop.resourceRules, 'list', '', 'pods')).toBe(true);
    expect(allows(shop.resourceRules, 'list', '', 'secrets')).toBe(false);
    const other = await review('default');
    expect(allows(other.resourceRules, 'patch', 'apps', 'deployments')).toBe(false);
    expect(allows(other.resourceRules, 'list', 'batch', 'jobs')).toBe(true);
    // What the review says is what the server enforces.
    expect((await call('GET', '/api/v1/namespaces/shop/secrets')).status).toBe(403);
    expect((await call('GET', '/api/v1/namespaces/shop/secrets?labelSelector=owner%3Dhelm')).status).toBe(200);
    const missing = await call('POST', '/apis/authorization.k8s.io/v1/selfsubjectrulesreviews', { body: { spec: {} } });
    expect([missing.status, (JSON.parse(missing.body) as { reason: string }).reason]).toEqual([422, 'Invalid']);
  });

  it('streams a watch: ADDED for what exists, then the changes, as valid WatchEvents, and ends at timeoutSeconds', async () => {
    const events: { type: string; object: { metadata: { name: string; resourceVersion: string } } }[] = [];
    const ended = new Promise<void>((resolve, reject) => {
      const req = request(
        `${api.url}/api/v1/namespaces/shop/configmaps?watch=1&timeoutSeconds=3&allowWatchBookmarks=true`,
        { ca: api.caPem, headers: { authorization: `Bearer ${api.token}` } },
        (res) => {
          expect(res.headers['content-type']).toBe('application/json');
          let buffer = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => {
            buffer += chunk;
            for (let nl = buffer.indexOf('\n'); nl >= 0; nl = buffer.indexOf('\n')) {
              events.push(JSON.parse(buffer.slice(0, nl)) as (typeof events)[number]);
              buffer = buffer.slice(nl + 1);
            }
          });
          res.on('end', resolve);
        },
      );
      req.on('error', reject);
      req.end();
    });
    await expect.poll(() => events.length).toBe(2);
    const created = await call('POST', '/api/v1/namespaces/shop/configmaps', { body: { metadata: { name: 'watched' }, data: { a: '1' } } });
    expect(created.status, created.body).toBe(201);
    const patched = await call('PATCH', '/api/v1/namespaces/shop/configmaps/watched', {
      body: { data: { a: '2' } },
      contentType: 'application/merge-patch+json',
    });
    expect(patched.status, patched.body).toBe(200);
    const removed = await call('DELETE', '/api/v1/namespaces/shop/configmaps/watched');
    expect(removed.status, removed.body).toBe(200);
    await ended;
    for (const event of events) new WatchEvent(event).validate();
    expect(events.map((e) => [e.type, e.object.metadata.name])).toEqual([
      ['ADDED', 'kube-root-ca.crt'],
      ['ADDED', 'web-config'],
      ['ADDED', 'watched'],
      ['MODIFIED', 'watched'],
      ['DELETED', 'watched'],
    ]);
    const versions = events.slice(2).map((e) => Number(e.object.metadata.resourceVersion));
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
    expect(new Set(versions).size).toBe(3);
  });

  it('streams Tables to table clients (kubectl get -w): column definitions in the first event only, as the apiserver', async () => {
    const { events } = await readWatch(
      '/api/v1/namespaces/shop/pods?watch=1&timeoutSeconds=1',
      'application/json;as=Table;v=v1;g=meta.k8s.io,application/json',
    );
    const tablesSeen = events.map((e) => e.object as { kind: string; columnDefinitions: unknown[] | null; rows: { cells: unknown[] }[] });
    expect(tablesSeen.map((t) => t.kind)).toEqual(Array(6).fill('Table'));
    expect(tablesSeen[0]!.columnDefinitions).toHaveLength(9);
    expect(tablesSeen.slice(1).map((t) => t.columnDefinitions)).toEqual(Array(5).fill(null));
    for (const t of tablesSeen) expect(t.rows[0]!.cells).toHaveLength(9);
  });
});
