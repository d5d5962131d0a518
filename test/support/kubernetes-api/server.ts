// A recorded-fixture Kubernetes API server for tests: no real API server can run on these machines, so this one
// replays responses recorded from a v1.31 cluster (test/fixtures/kubernetes) over TLS with bearer-token auth, and
// applies writes (patch, server-side apply, scale, delete, dryRun=All) to an in-memory copy the way the real
// server's REST handlers do: resourceVersion and generation bumps, optimistic-concurrency conflicts, Status bodies
// for 400/401/403/404/409, limit/continue paging. Watches are not recorded.
import { timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadAccess, type Access, type Subject } from './access-rules.js';
import { selfSignedCertificate } from './certificate.js';
import { FIELD_SELECTORS, FixtureStore, type ApiResource, type KubeObject } from './fixture-store.js';
import { jsonPatch, mergePatch, strategicMergePatch } from './patches.js';
import { nodeLogs } from './node-logs.js';
import { serveExec } from './pod-exec.js';
import { podLogs } from './pod-logs.js';
import { fieldMatcher, labelMatcher } from './selectors.js';
import { alreadyExists, ApiError, badRequest, conflict, failure, forbidden, notFound, resourceNotFound, success, unauthorized } from './status.js';
import { table } from './tables.js';

export const FIXTURE_DIR = fileURLToPath(new URL('../../fixtures/kubernetes/', import.meta.url));
/** The fixture's clock: when the responses were recorded. Ages, `sinceSeconds` and deletion times count from it. */
export const RECORDED_NOW = Date.parse('2026-12-01T10:00:00Z');

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly contentType: string | undefined;
  readonly accept: string | undefined;
  readonly userAgent: string | undefined;
  /** The Impersonate-* headers, as sent (one entry per header line). */
  readonly impersonate: { readonly user?: string; readonly groups: readonly string[]; readonly extra: Readonly<Record<string, readonly string[]>> };
}

export interface KubernetesApiServer {
  /** e.g. https://127.0.0.1:41234 */
  readonly url: string;
  readonly token: string;
  /** PEM of the server's self-signed certificate, to trust as the cluster CA. */
  readonly caPem: string;
  readonly store: FixtureStore;
  /** Every request served, in order (tests assert what a client sent). */
  readonly requests: RecordedRequest[];
  /** Requests to paths starting with `prefix` are accepted and never answered, as a hung API server does. */
  stall(prefix: string): void;
  /** Writes a kubeconfig for this server (context `fixture`, namespace `shop`; context `stale` has a revoked token). */
  writeKubeconfig(dir: string): Promise<string>;
  close(): Promise<void>;
}

interface Target {
  readonly group: string;
  readonly version: string;
  readonly resource: ApiResource;
  readonly namespace: string | undefined;
  readonly name: string | undefined;
  readonly subresource: string | undefined;
}

const DISCOVERY_FILES: Readonly<Record<string, string>> = { '/version': 'version.json', '/api': 'api.json', '/apis': 'apis.json' };

export async function startKubernetesApiServer(options: { token?: string } = {}): Promise<KubernetesApiServer> {
  const token = options.token ?? 'fixture-token-3f9c1d7e5b2a';
  const store = new FixtureStore(FIXTURE_DIR);
  const access = loadAccess(FIXTURE_DIR);
  const requests: RecordedRequest[] = [];
  const stalled: string[] = [];
  const { cert, key } = await selfSignedCertificate();

  const server = createServer({ cert, key }, (req, res) => {
    void serve(req, res).catch((error: unknown) => {
      if (!res.headersSent) send(res, 500, failure(500, 'InternalError', `fixture server: ${String(error)}`).body);
    });
  });

  function record(req: IncomingMessage, url: URL): void {
    requests.push({
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      contentType: req.headers['content-type'],
      accept: req.headers.accept,
      userAgent: req.headers['user-agent'],
      impersonate: impersonationOf(req.headersDistinct),
    });
  }

  // Pod exec (WebSocket upgrade): admitted as every other request, authorized as `create pods/exec`.
  const exec = serveExec(server, {
    dir: FIXTURE_DIR,
    store,
    admit(req, url, namespace, pod) {
      record(req, url);
      if (!authenticated(req.headers.authorization, token)) throw unauthorized();
      const subject = impersonate(access, requests.at(-1)!.impersonate);
      if (access.allowedBy({ verb: 'create', group: '', resource: 'pods', subresource: 'exec', namespace, name: pod }, subject) === undefined)
        throw forbidden(subject?.user ?? access.user, 'create', 'pods', 'exec', '', namespace, pod);
    },
  });

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'https://fixture');
    record(req, url);
    const body = await readBody(req);
    if (stalled.some((prefix) => url.pathname.startsWith(prefix))) return;
    try {
      if (!authenticated(req.headers.authorization, token)) throw unauthorized();
      const subject = impersonate(access, requests.at(-1)!.impersonate);
      const answer = route(req.method ?? 'GET', url, body, req.headers, subject);
      if (answer === undefined) {
        res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('404 page not found\n');
        return;
      }
      if (typeof answer.body === 'string') {
        res.writeHead(answer.status, { 'content-type': 'text/plain' }).end(answer.body);
        return;
      }
      send(res, answer.status, answer.body);
    } catch (error) {
      if (error instanceof ApiError) send(res, error.body.code, error.body);
      else throw error;
    }
  }

  function route(
    method: string,
    url: URL,
    body: string,
    headers: IncomingMessage['headers'],
    subject: Subject | undefined,
  ): { status: number; body: unknown } | undefined {
    const path = url.pathname.replace(/\/+$/, '');
    if (method === 'GET' && DISCOVERY_FILES[path]) return { status: 200, body: readFixture(`discovery/${DISCOVERY_FILES[path]}`) };
    const match = /^\/api\/(v1)(\/.*)?$/.exec(path) ?? /^\/apis\/([^/]+)\/([^/]+)(\/.*)?$/.exec(path);
    if (!match) return undefined;
    const [group, version, rest] = match.length === 3 ? ['', match[1]!, match[2]] : [match[1]!, match[2]!, match[3]];
    const groupVersion = store.groupVersion(group, version);
    if (!groupVersion) return undefined;
    if (rest === undefined) return method === 'GET' ? { status: 200, body: groupVersion.document } : undefined;

    const target = parseTarget(group, version, rest.split('/').slice(1).map(decodeURIComponent));
    const verb = verbOf(method, target, url.searchParams);
    const request = { verb, group, resource: target.resource.name, subresource: target.subresource ?? '', namespace: target.namespace ?? '' };
    const selector = verb === 'list' || verb === 'watch' ? url.searchParams.get('labelSelector') : null;
    const named = { ...request, ...(target.name !== undefined ? { name: target.name } : {}), ...(selector !== null ? { labelSelector: selector } : {}) };
    if (access.allowedBy(named, subject) === undefined) {
      throw forbidden(subject?.user ?? access.user, verb, target.resource.name, target.subresource ?? '', group, target.namespace ?? '', target.name);
    }
    // kubectl sends a delete's dryRun in the DeleteOptions body, client libraries in the query: both count.
    const bodyDryRun = method === 'DELETE' && body !== '' ? ((parseJson(body).dryRun as string[] | undefined) ?? []) : [];
    const dryRun = [...url.searchParams.getAll('dryRun'), ...bodyDryRun];
    for (const value of dryRun) if (value !== 'All') throw badRequest(`Invalid dry run value: "${value}"; supported values: "All"`);
    const write = dryRun.length === 0;

    if (group === 'authorization.k8s.io' && target.resource.name === 'selfsubjectaccessreviews' && verb === 'create')
      return { status: 201, body: review(parseJson(body), subject) };
    if (target.resource.name === 'nodes' && target.subresource === 'proxy' && verb === 'get') {
      const proxied = rest.slice(rest.indexOf('/proxy') + '/proxy'.length);
      if (!/^\/logs(\/|$)/.test(proxied)) return undefined;
      return nodeLogs(FIXTURE_DIR, existing(target), proxied.slice('/logs'.length), url.searchParams, RECORDED_NOW);
    }
    switch (verb) {
      case 'list':
        return { status: 200, body: list(target, url.searchParams, headers.accept ?? '') };
      case 'get':
        return { status: 200, body: read(target, url.searchParams, headers.accept ?? '') };
      case 'create':
        return { status: 201, body: create(target, parseJson(body), write) };
      case 'update':
        return { status: 200, body: update(target, parseJson(body), write) };
      case 'patch':
        return patch(target, body, String(headers['content-type'] ?? ''), url.searchParams, write);
      case 'delete':
        return { status: 200, body: remove(target, write) };
      default:
        throw failure(405, 'MethodNotAllowed', `the fixture server does not record ${verb} requests`);
    }
  }

  function parseTarget(group: string, version: string, segments: string[]): Target {
    const namespaced = segments[0] === 'namespaces' && segments.length >= 3;
    const [namespace, resourceName, name, subresource] = namespaced ? segments.slice(1) : [undefined, ...segments];
    const resource = store.resource(group, version, resourceName ?? '');
    if (!resource || (namespaced && !resource.namespaced)) throw resourceNotFound();
    if (subresource !== undefined && !store.resource(group, version, `${resource.name}/${subresource}`)) throw resourceNotFound();
    return { group, version, resource, namespace, name, subresource };
  }

  function verbOf(method: string, target: Target, query: URLSearchParams): string {
    if (method === 'GET') return target.name === undefined ? (query.get('watch') === 'true' || query.get('watch') === '1' ? 'watch' : 'list') : 'get';
    if (method === 'POST') return 'create';
    if (method === 'PUT') return 'update';
    if (method === 'PATCH') return 'patch';
    if (method === 'DELETE') return target.name === undefined ? 'deletecollection' : 'delete';
    return method.toLowerCase();
  }

  const apiVersionOf = (t: Target) => (t.group === '' ? t.version : `${t.group}/${t.version}`);
  const withType = (t: Target, o: KubeObject) => ({ kind: t.resource.kind, apiVersion: apiVersionOf(t), ...o });
  const wantsTable = (accept: string) => accept.includes('as=Table');

  function list(t: Target, query: URLSearchParams, accept: string): unknown {
    const labels = labelMatcher(query.get('labelSelector') ?? undefined);
    const fields = fieldMatcher(query.get('fieldSelector') ?? undefined, FIELD_SELECTORS[t.resource.name] ?? []);
    const filtered = query.has('labelSelector') || query.has('fieldSelector');
    let items = store
      .list(t.group, t.resource.name, t.namespace)
      .filter((o) => labels((o.metadata.labels as Record<string, string> | undefined) ?? {}) && fields(o));
    const token = query.get('continue');
    if (token) {
      const start = decodeContinue(token);
      items = items.filter((o) => `${o.metadata.namespace ?? ''}/${o.metadata.name}` >= start);
    }
    const limit = Number(query.get('limit') ?? 0);
    const meta: Record<string, unknown> = { resourceVersion: store.resourceVersion };
    if (limit > 0 && items.length > limit) {
      const last = items[limit - 1]!;
      meta.continue = encodeContinue(`${last.metadata.namespace ?? ''}/${last.metadata.name}\u0000`, store.resourceVersion);
      if (!filtered) meta.remainingItemCount = items.length - limit;
      items = items.slice(0, limit);
    }
    if (wantsTable(accept))
      return table(t.resource.name, items, meta, query.get('includeObject') ?? 'PartialObjectMetadata', RECORDED_NOW, apiVersionOf(t), t.resource.kind);
    return { kind: `${t.resource.kind}List`, apiVersion: apiVersionOf(t), metadata: meta, items };
  }

  function existing(t: Target): KubeObject {
    const found = store.get(t.group, t.resource.name, t.namespace, t.name!);
    if (!found) throw notFound(t.resource.name, t.group, t.name!);
    return found;
  }

  function read(t: Target, query: URLSearchParams, accept: string): unknown {
    const object = existing(t);
    if (t.subresource === 'log') return podLogs(FIXTURE_DIR, object, query, RECORDED_NOW);
    if (t.subresource === 'scale') return scaleOf(object);
    if (wantsTable(accept))
      return table(
        t.resource.name,
        [object],
        { resourceVersion: store.resourceVersion },
        query.get('includeObject') ?? 'PartialObjectMetadata',
        RECORDED_NOW,
        apiVersionOf(t),
        t.resource.kind,
      );
    return withType(t, object);
  }

  function checkIdentity(t: Target, body: Record<string, unknown>): KubeObject {
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

  function create(t: Target, body: Record<string, unknown>, write: boolean): unknown {
    const object = checkIdentity(t, body);
    if (store.get(t.group, t.resource.name, t.namespace, object.metadata.name)) throw alreadyExists(t.resource.name, t.group, object.metadata.name);
    object.metadata = {
      ...object.metadata,
      uid: crypto.randomUUID(),
      resourceVersion: write ? store.nextResourceVersion() : store.resourceVersion,
      ...(t.group === 'apps' ? { generation: 1 } : {}),
      creationTimestamp: new Date(RECORDED_NOW).toISOString().replace('.000Z', 'Z'),
    };
    if (write) store.put(t.group, t.resource.name, object);
    return withType(t, object);
  }

  /** Stores a changed object as the registry does: same identity, a new resourceVersion, generation + 1 on a spec change. */
  function commit(t: Target, before: KubeObject, after: KubeObject, write: boolean): KubeObject {
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
    metadata.resourceVersion = changed && write ? store.nextResourceVersion() : before.metadata.resourceVersion;
    const result = { ...after, metadata } as KubeObject;
    if (write) store.put(t.group, t.resource.name, result);
    return result;
  }

  function checkVersion(t: Target, current: KubeObject, body: unknown): void {
    const wanted = ((body as { metadata?: { resourceVersion?: unknown } } | null)?.metadata ?? {}).resourceVersion;
    if (wanted !== undefined && wanted !== current.metadata.resourceVersion) throw conflict(t.resource.name, t.group, current.metadata.name);
  }

  function update(t: Target, body: Record<string, unknown>, write: boolean): unknown {
    const current = existing(t);
    if (t.subresource === 'scale') return applyScale(t, current, (scale) => ({ ...scale, spec: body.spec }), body, write);
    checkVersion(t, current, body);
    return withType(t, commit(t, current, checkIdentity(t, body), write));
  }

  function patch(t: Target, body: string, contentType: string, query: URLSearchParams, write: boolean): { status: number; body: unknown } {
    const type = contentType.split(';')[0]!.trim();
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
    const current = store.get(t.group, t.resource.name, t.namespace, t.name!);
    if (!current) {
      // Server-side apply creates what does not exist yet; the other patch types need an object to patch.
      if (type !== 'application/apply-patch+yaml' || t.subresource !== undefined) throw notFound(t.resource.name, t.group, t.name!);
      return { status: 201, body: create(t, patchBody as Record<string, unknown>, write) };
    }
    if (t.subresource === 'scale')
      return { status: 200, body: applyScale(t, current, (scale) => apply(scale, patchBody) as Record<string, unknown>, patchBody, write) };
    if (type !== 'application/json-patch+json') checkVersion(t, current, patchBody);
    if (type === 'application/apply-patch+yaml') checkIdentity(t, patchBody as Record<string, unknown>);
    const patched = apply(structuredClone(current), patchBody) as KubeObject;
    const { kind: _kind, apiVersion: _apiVersion, ...object } = patched;
    return { status: 200, body: withType(t, commit(t, current, object as KubeObject, write)) };
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

  function applyScale(
    t: Target,
    current: KubeObject,
    change: (scale: Record<string, unknown>) => Record<string, unknown>,
    body: unknown,
    write: boolean,
  ): unknown {
    checkVersion(t, current, body);
    const replicas = (change(scaleOf(current)).spec as { replicas?: unknown } | undefined)?.replicas;
    if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0) {
      throw failure(
        422,
        'Invalid',
        `Scale.autoscaling "${current.metadata.name}" is invalid: spec.replicas: Invalid value: ${String(replicas)}: must be greater than or equal to 0`,
      );
    }
    const updated = commit(t, current, { ...structuredClone(current), spec: { ...(current.spec as object), replicas } }, write);
    return scaleOf(updated);
  }

  function remove(t: Target, write: boolean): unknown {
    const current = existing(t);
    if (write) store.remove(t.group, t.resource.name, t.namespace, current.metadata.name);
    if (t.resource.name !== 'pods') return success(t.resource.name, t.group, current.metadata.name, String(current.metadata.uid));
    // Pods are deleted gracefully: the answer is the pod, marked for deletion after its grace period.
    const grace = Number((current.spec as { terminationGracePeriodSeconds?: number }).terminationGracePeriodSeconds ?? 30);
    return withType(t, {
      ...current,
      metadata: {
        ...current.metadata,
        deletionTimestamp: new Date(RECORDED_NOW + grace * 1000).toISOString().replace('.000Z', 'Z'),
        deletionGracePeriodSeconds: grace,
      },
    });
  }

  function review(body: Record<string, unknown>, subject: Subject | undefined): unknown {
    const spec = (body.spec ?? {}) as { resourceAttributes?: Record<string, string>; nonResourceAttributes?: { path?: string; verb?: string } };
    let allowed = false;
    let reason: string | undefined;
    if (spec.resourceAttributes) {
      const a = spec.resourceAttributes;
      const rule = access.allowedBy(
        {
          verb: a.verb ?? '',
          group: a.group ?? '',
          resource: a.resource ?? '',
          subresource: a.subresource ?? '',
          namespace: a.namespace ?? '',
          ...(a.name ? { name: a.name } : {}),
        },
        subject,
      );
      allowed = rule !== undefined;
      if (allowed)
        reason = subject
          ? `RBAC: allowed by a RoleBinding of User "${subject.user}" or its groups ${subject.groups.join(', ')}`
          : `RBAC: allowed by ClusterRoleBinding "cnmcp-agent-${rule}" of ClusterRole "cnmcp-agent-${rule}" to ServiceAccount "cnmcp-agent/cnmcp"`;
    } else if (spec.nonResourceAttributes) {
      allowed =
        spec.nonResourceAttributes.verb === 'get' &&
        ['/version', '/healthz', '/livez', '/readyz', '/api', '/apis'].includes(spec.nonResourceAttributes.path ?? '');
      if (allowed)
        reason = 'RBAC: allowed by ClusterRoleBinding "system:public-info-viewer" of ClusterRole "system:public-info-viewer" to Group "system:authenticated"';
    } else {
      throw failure(
        422,
        'Invalid',
        'SelfSubjectAccessReview.authorization.k8s.io "" is invalid: spec.resourceAttributes: Invalid value: "null": exactly one of nonResourceAttributes or resourceAttributes must be specified',
      );
    }
    return { kind: 'SelfSubjectAccessReview', apiVersion: 'authorization.k8s.io/v1', metadata: {}, spec, status: { allowed, ...(reason ? { reason } : {}) } };
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    token,
    caPem: cert,
    store,
    requests,
    stall: (prefix) => void stalled.push(prefix),
    async writeKubeconfig(dir) {
      const path = join(dir, 'kubeconfig');
      const ca = Buffer.from(cert).toString('base64');
      await writeFile(
        path,
        JSON.stringify({
          apiVersion: 'v1',
          kind: 'Config',
          clusters: [{ name: 'fixture', cluster: { server: url, 'certificate-authority-data': ca } }],
          users: [
            { name: 'cnmcp-agent', user: { token } },
            { name: 'revoked', user: { token: 'revoked-token' } },
          ],
          contexts: [
            { name: 'fixture', context: { cluster: 'fixture', user: 'cnmcp-agent', namespace: 'shop' } },
            { name: 'stale', context: { cluster: 'fixture', user: 'revoked', namespace: 'shop' } },
          ],
          'current-context': 'fixture',
        }),
        { mode: 0o600 },
      );
      return path;
    },
    close: () =>
      new Promise<void>((resolve) => {
        exec.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function impersonationOf(headers: IncomingMessage['headersDistinct']): RecordedRequest['impersonate'] {
  const extra: Record<string, string[]> = {};
  for (const [name, values] of Object.entries(headers)) {
    if (name.startsWith('impersonate-extra-')) extra[decodeURIComponent(name.slice('impersonate-extra-'.length))] = values ?? [];
  }
  const user = headers['impersonate-user']?.[0];
  return { ...(user !== undefined ? { user } : {}), groups: headers['impersonate-group'] ?? [], extra };
}

/**
 * The subject a request runs as, checked as the real impersonation filter checks it: the authenticated service
 * account needs the `impersonate` verb on the user, on each group and on each extra key, or the request is refused.
 */
function impersonate(access: Access, wanted: RecordedRequest['impersonate']): Subject | undefined {
  if (wanted.user === undefined) {
    if (wanted.groups.length > 0 || Object.keys(wanted.extra).length > 0)
      throw failure(
        500,
        'InternalError',
        `Internal error occurred: requested [${wanted.groups.map((g) => `{Group ${g}}`).join(' ')}] without impersonating a user`,
      );
    return undefined;
  }
  const may = (resource: string, subresource: string, group: string, name?: string) =>
    access.allowedBy({ verb: 'impersonate', group, resource, subresource, namespace: '', ...(name !== undefined ? { name } : {}) }) !== undefined;
  if (!may('users', '', '', wanted.user)) throw forbidden(access.user, 'impersonate', 'users', '', '', '', wanted.user);
  for (const group of wanted.groups) if (!may('groups', '', '', group)) throw forbidden(access.user, 'impersonate', 'groups', '', '', '', group);
  for (const [key, values] of Object.entries(wanted.extra)) {
    for (const value of values)
      if (!may('userextras', key, 'authentication.k8s.io', value))
        throw forbidden(access.user, 'impersonate', 'userextras', key, 'authentication.k8s.io', '', value);
  }
  return { user: wanted.user, groups: [...wanted.groups, 'system:authenticated'] };
}

function readFixture(path: string): unknown {
  return JSON.parse(readFileSync(join(FIXTURE_DIR, path), 'utf8'));
}

function authenticated(header: string | undefined, token: string): boolean {
  const presented = Buffer.from(header?.startsWith('Bearer ') ? header.slice(7) : '');
  const expected = Buffer.from(token);
  return presented.length === expected.length && timingSafeEqual(presented, expected);
}

function parseJson(body: string, hint = ''): Record<string, unknown> {
  try {
    return JSON.parse(body) as Record<string, unknown>;
  } catch (error) {
    throw badRequest(`error decoding request body: ${(error as Error).message}${hint}`);
  }
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

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-cache, private' }).end(JSON.stringify(body));
}
