// The REST handlers of every stored resource, as the real server's registry runs them: list (selectors, limit and
// continue, server-side tables), get, create, update, patch (merge, strategic, JSON, apply), the scale and log
// subresources, delete, dry runs, and watch. resourceVersion and generation bump on change, stale versions conflict.
import type { IncomingHttpHeaders } from 'node:http';
import { eventsV1 } from './event-versions.js';
import type { KubeObject } from './fixture-store.js';
import { jsonPatch, mergePatch, strategicMergePatch } from './patches.js';
import { podLogs } from './pod-logs.js';
import { authorize, parseJson, type Answer, type Route, type ServerState } from './routes.js';
import { apiVersionOf, selected, servedAs, tableOf, type Target } from './resource-target.js';
import { alreadyExists, badRequest, conflict, failure, notFound, resourceNotFound, success } from './status.js';
import { watchStream } from './watch.js';

const wantsTable = (accept: string | undefined) => (accept ?? '').includes('as=Table');

/** Resources this server reads but does not write (converted from another group's storage). */
const READ_ONLY_GROUPS = new Set(['events.k8s.io', 'metrics.k8s.io']);

export const resourceRoute: Route = (request, state) => {
  const match = /^\/api\/(v1)(\/.*)$/.exec(request.path) ?? /^\/apis\/([^/]+)\/([^/]+)(\/.*)$/.exec(request.path);
  if (!match) return undefined;
  const [group, version, rest] = match.length === 3 ? ['', match[1]!, match[2]!] : [match[1]!, match[2]!, match[3]!];
  if (!state.store.groupVersion(group, version)) return undefined;
  const t = parseTarget(state, group, version, rest.split('/').slice(1).map(decodeURIComponent));
  const { method, url, headers, body } = request;
  const verb = verbOf(method, t, url.searchParams);
  // A list's or watch's label selector is an authorization attribute too (rules with a `labelSelector`).
  const selector = verb === 'list' || verb === 'watch' ? url.searchParams.get('labelSelector') : null;
  authorize(state, request.subject, {
    verb,
    group,
    resource: t.resource.name,
    subresource: t.subresource ?? '',
    namespace: t.namespace ?? '',
    ...(t.name !== undefined ? { name: t.name } : {}),
    ...(selector !== null ? { labelSelector: selector } : {}),
  });
  if (!t.resource.verbs.includes(verb) && t.subresource === undefined) throw methodNotSupported(verb, t);
  // kubectl sends a delete's dryRun in the DeleteOptions body, client libraries in the query: both count.
  const bodyDryRun = method === 'DELETE' && body !== '' ? ((parseJson(body).dryRun as string[] | undefined) ?? []) : [];
  const dryRun = [...url.searchParams.getAll('dryRun'), ...bodyDryRun];
  for (const value of dryRun) if (value !== 'All') throw badRequest(`Invalid dry run value: "${value}"; supported values: "All"`);
  const write = dryRun.length === 0;
  if (verb !== 'get' && verb !== 'list' && verb !== 'watch' && READ_ONLY_GROUPS.has(group)) throw methodNotSupported(verb, t);

  const handlers = new ResourceHandlers(state, t);
  switch (verb) {
    case 'list':
      return { status: 200, body: handlers.list(url.searchParams, headers.accept) };
    case 'watch':
      return watchStream(state, t, url.searchParams, headers.accept);
    case 'get':
      return { status: 200, body: handlers.read(url.searchParams, headers.accept) };
    case 'create':
      return { status: 201, body: handlers.create(parseJson(body), write) };
    case 'update':
      return { status: 200, body: handlers.update(parseJson(body), write) };
    case 'patch':
      return handlers.patch(body, headers, url.searchParams, write);
    case 'delete':
      return { status: 200, body: handlers.remove(write) };
    default:
      throw failure(405, 'MethodNotAllowed', `the fixture server does not record ${verb} requests`);
  }
};

const methodNotSupported = (verb: string, t: Target) =>
  failure(405, 'MethodNotAllowed', `the server does not allow this method on the requested resource`, {
    ...(t.group === '' ? {} : { group: t.group }),
    kind: t.resource.name,
    causes: [{ reason: 'UnexpectedServerResponse', message: `${verb} is not supported on ${t.resource.name}` }],
  });

function parseTarget(state: ServerState, group: string, version: string, segments: string[]): Target {
  const namespaced = segments[0] === 'namespaces' && segments.length >= 3;
  const [namespace, resourceName, name, subresource] = namespaced ? segments.slice(1) : [undefined, ...segments];
  const resource = state.store.resource(group, version, resourceName ?? '');
  if (!resource || (namespaced && !resource.namespaced)) throw resourceNotFound();
  if (subresource !== undefined && !state.store.resource(group, version, `${resource.name}/${subresource}`)) throw resourceNotFound();
  return { group, version, resource, namespace, name, subresource };
}

function verbOf(method: string, target: Target, query: URLSearchParams): string {
  const watching = query.get('watch') === 'true' || query.get('watch') === '1';
  if (method === 'GET') return target.name === undefined ? (watching ? 'watch' : 'list') : 'get';
  if (method === 'POST') return 'create';
  if (method === 'PUT') return 'update';
  if (method === 'PATCH') return 'patch';
  if (method === 'DELETE') return target.name === undefined ? 'deletecollection' : 'delete';
  return method.toLowerCase();
}

class ResourceHandlers {
  constructor(
    private readonly state: ServerState,
    private readonly t: Target,
  ) {}

  private get store() {
    return this.state.store;
  }

  list(query: URLSearchParams, accept: string | undefined): unknown {
    const t = this.t;
    const filtered = query.has('labelSelector') || query.has('fieldSelector');
    let items = this.store.list(t.group, t.resource.name, t.namespace).filter(selected(t, query));
    const token = query.get('continue');
    if (token) {
      const start = decodeContinue(token);
      items = items.filter((o) => `${o.metadata.namespace ?? ''}/${o.metadata.name}` >= start);
    }
    const limit = Number(query.get('limit') ?? 0);
    const meta: Record<string, unknown> = { resourceVersion: this.store.resourceVersion };
    if (limit > 0 && items.length > limit) {
      const last = items[limit - 1]!;
      meta.continue = encodeContinue(`${last.metadata.namespace ?? ''}/${last.metadata.name}\u0000`, this.store.resourceVersion);
      if (!filtered) meta.remainingItemCount = items.length - limit;
      items = items.slice(0, limit);
    }
    if (wantsTable(accept)) return tableOf(this.state, t, query, items, meta);
    if (t.group === 'events.k8s.io') return { kind: 'EventList', apiVersion: 'events.k8s.io/v1', metadata: meta, items: items.map(eventsV1) };
    return { kind: `${t.resource.kind}List`, apiVersion: apiVersionOf(t), metadata: meta, items };
  }

  private existing(): KubeObject {
    const t = this.t;
    const found = this.store.get(t.group, t.resource.name, t.namespace, t.name!);
    if (!found) throw notFound(t.resource.name, t.group, t.name!);
    return found;
  }

  read(query: URLSearchParams, accept: string | undefined): unknown {
    const object = this.existing();
    if (this.t.subresource === 'log') return podLogs(this.state.fixtureDir, object, query, this.state.now);
    if (this.t.subresource === 'scale') return scaleOf(object);
    if (wantsTable(accept)) return tableOf(this.state, this.t, query, [object], { resourceVersion: this.store.resourceVersion });
    return servedAs(this.t, object);
  }

  private checkIdentity(body: Record<string, unknown>): KubeObject {
    const t = this.t;
    const metadata = (body.metadata ?? {}) as Record<string, unknown>;
    const name = (metadata.name as string | undefined) ?? t.name;
    if (!name) throw failure(422, 'Invalid', `${t.resource.kind} "" is invalid: metadata.name: Required value: name or generateName is required`);
    if (t.name !== undefined && name !== t.name) throw badRequest(`the name of the object (${name}) does not match the name on the URL (${t.name})`);
    if (metadata.namespace !== undefined && t.namespace !== undefined && metadata.namespace !== t.namespace) {
      throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
    }
    if (body.kind !== undefined && body.kind !== t.resource.kind)
      throw badRequest(`${t.resource.kind} in version "${t.version}" cannot be handled as a ${String(body.kind)}`);
    const { kind: _kind, apiVersion: _apiVersion, ...rest } = body;
    return { ...rest, metadata: { ...metadata, name, ...(t.resource.namespaced ? { namespace: t.namespace } : {}) } } as KubeObject;
  }

  create(body: Record<string, unknown>, write: boolean): unknown {
    const t = this.t;
    const object = this.checkIdentity(body);
    if (this.store.get(t.group, t.resource.name, t.namespace, object.metadata.name)) throw alreadyExists(t.resource.name, t.group, object.metadata.name);
    object.metadata = {
      ...object.metadata,
      uid: crypto.randomUUID(),
      resourceVersion: write ? this.store.nextResourceVersion() : this.store.resourceVersion,
      ...(t.group === 'apps' ? { generation: 1 } : {}),
      creationTimestamp: new Date(this.state.now).toISOString().replace('.000Z', 'Z'),
    };
    if (write) this.store.put(t.group, t.resource.name, object);
    return servedAs(t, object);
  }

  /** Stores a changed object as the registry does: same identity, a new resourceVersion, generation + 1 on a spec change. */
  private commit(before: KubeObject, after: KubeObject, write: boolean): KubeObject {
    const metadata = {
      ...after.metadata,
      name: before.metadata.name,
      uid: before.metadata.uid,
      creationTimestamp: before.metadata.creationTimestamp,
    } as KubeObject['metadata'];
    if (before.metadata.namespace !== undefined) metadata.namespace = before.metadata.namespace;
    const specChanged = JSON.stringify(before.spec) !== JSON.stringify(after.spec);
    if (typeof before.metadata.generation === 'number' && specChanged) metadata.generation = before.metadata.generation + 1;
    const changed =
      JSON.stringify({ ...before, metadata: { ...before.metadata, resourceVersion: 0 } }) !==
      JSON.stringify({ ...after, metadata: { ...metadata, resourceVersion: 0 } });
    // A no-op write keeps the resourceVersion, as the real server skips the etcd write.
    metadata.resourceVersion = changed && write ? this.store.nextResourceVersion() : before.metadata.resourceVersion;
    const result = { ...after, metadata } as KubeObject;
    if (write && changed) this.store.put(this.t.group, this.t.resource.name, result);
    return result;
  }

  private checkVersion(current: KubeObject, body: unknown): void {
    const wanted = ((body as { metadata?: { resourceVersion?: unknown } } | null)?.metadata ?? {}).resourceVersion;
    if (wanted !== undefined && wanted !== current.metadata.resourceVersion) throw conflict(this.t.resource.name, this.t.group, current.metadata.name);
  }

  update(body: Record<string, unknown>, write: boolean): unknown {
    const current = this.existing();
    if (this.t.subresource === 'scale') return this.applyScale(current, (scale) => ({ ...scale, spec: body.spec }), body, write);
    this.checkVersion(current, body);
    return servedAs(this.t, this.commit(current, this.checkIdentity(body), write));
  }

  patch(body: string, headers: IncomingHttpHeaders, query: URLSearchParams, write: boolean): Answer {
    const t = this.t;
    const type = String(headers['content-type'] ?? '')
      .split(';')[0]!
      .trim();
    const apply = (target: unknown, patchBody: unknown): unknown => {
      switch (type) {
        case 'application/merge-patch+json':
          return mergePatch(target, patchBody);
        case 'application/strategic-merge-patch+json':
          return strategicMergePatch(target, patchBody);
        case 'application/json-patch+json':
          return jsonPatch(target, patchBody);
        case 'application/apply-patch+yaml':
          return mergePatch(target, patchBody);
        default:
          throw failure(
            415,
            'UnsupportedMediaType',
            `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json`,
          );
      }
    };
    if (type === 'application/apply-patch+yaml' && !query.get('fieldManager')) {
      throw failure(422, 'Invalid', 'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch', {
        group: 'meta.k8s.io',
        kind: 'PatchOptions',
        causes: [{ reason: 'FieldValueRequired', message: 'Required value: is required for apply patch', field: 'fieldManager' }],
      });
    }
    const patchBody = parseJson(body, type === 'application/apply-patch+yaml' ? ' (this fixture server accepts JSON apply bodies only)' : '');
    const current = this.store.get(t.group, t.resource.name, t.namespace, t.name!);
    if (!current) {
      // Server-side apply creates what does not exist yet; the other patch types need an object to patch.
      if (type !== 'application/apply-patch+yaml' || t.subresource !== undefined) throw notFound(t.resource.name, t.group, t.name!);
      return { status: 201, body: this.create(patchBody, write) };
    }
    if (t.subresource === 'scale')
      return { status: 200, body: this.applyScale(current, (scale) => apply(scale, patchBody) as Record<string, unknown>, patchBody, write) };
    if (type !== 'application/json-patch+json') this.checkVersion(current, patchBody);
    if (type === 'application/apply-patch+yaml') this.checkIdentity(patchBody);
    const patched = apply(structuredClone(current), patchBody) as KubeObject;
    const { kind: _kind, apiVersion: _apiVersion, ...object } = patched;
    return { status: 200, body: servedAs(t, this.commit(current, object as KubeObject, write)) };
  }

  private applyScale(current: KubeObject, change: (scale: Record<string, unknown>) => Record<string, unknown>, body: unknown, write: boolean): unknown {
    this.checkVersion(current, body);
    const replicas = (change(scaleOf(current)).spec as { replicas?: unknown } | undefined)?.replicas;
    if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0) {
      throw failure(
        422,
        'Invalid',
        `Scale.autoscaling "${current.metadata.name}" is invalid: spec.replicas: Invalid value: ${String(replicas)}: must be greater than or equal to 0`,
      );
    }
    const updated = this.commit(current, { ...structuredClone(current), spec: { ...(current.spec as object), replicas } }, write);
    return scaleOf(updated);
  }

  remove(write: boolean): unknown {
    const t = this.t;
    const current = this.existing();
    if (write) this.store.remove(t.group, t.resource.name, t.namespace, current.metadata.name);
    if (t.resource.name !== 'pods') return success(t.resource.name, t.group, current.metadata.name, String(current.metadata.uid));
    // Pods are deleted gracefully: the answer is the pod, marked for deletion after its grace period.
    const grace = Number((current.spec as { terminationGracePeriodSeconds?: number }).terminationGracePeriodSeconds ?? 30);
    return servedAs(t, {
      ...current,
      metadata: {
        ...current.metadata,
        deletionTimestamp: new Date(this.state.now + grace * 1000).toISOString().replace('.000Z', 'Z'),
        deletionGracePeriodSeconds: grace,
      },
    });
  }
}

function scaleOf(object: KubeObject): Record<string, unknown> {
  const spec = object.spec as { replicas?: number; selector?: { matchLabels?: Record<string, string> } };
  const status = (object.status ?? {}) as { replicas?: number };
  const { name, namespace, uid, resourceVersion, creationTimestamp } = object.metadata;
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: { name, namespace, uid, resourceVersion, creationTimestamp },
    spec: { replicas: spec.replicas ?? 0 },
    status: {
      replicas: status.replicas ?? 0,
      selector: Object.entries(spec.selector?.matchLabels ?? {})
        .map(([k, v]) => `${k}=${v}`)
        .join(','),
    },
  };
}

function encodeContinue(start: string, resourceVersion: string): string {
  return Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv: Number(resourceVersion), start })).toString('base64');
}

function decodeContinue(token: string): string {
  try {
    const decoded = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as { v?: string; start?: string };
    if (decoded.v === 'meta.k8s.io/v1' && typeof decoded.start === 'string') return decoded.start;
  } catch {
    // falls through to the real server's refusal
  }
  throw badRequest('continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
}
