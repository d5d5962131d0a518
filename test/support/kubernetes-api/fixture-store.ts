// The objects the recorded API server holds: loaded from the fixture Lists, changed by writes, in etcd key order.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export type KubeObject = Record<string, unknown> & { metadata: Record<string, unknown> & { name: string; namespace?: string } };

export interface ApiResource {
  readonly name: string;
  readonly singularName: string;
  readonly namespaced: boolean;
  readonly kind: string;
  readonly verbs: readonly string[];
  readonly shortNames?: readonly string[];
  readonly group?: string;
  readonly version?: string;
}

export interface GroupVersion {
  readonly group: string;
  readonly version: string;
  /** The APIResourceList document, as recorded. */
  readonly document: { readonly resources: readonly ApiResource[] } & Record<string, unknown>;
}

/** Field selectors each kind supports beyond metadata.name and metadata.namespace (as the real registry strategies). */
export const FIELD_SELECTORS: Readonly<Record<string, readonly string[]>> = {
  pods: ['spec.nodeName', 'spec.restartPolicy', 'spec.schedulerName', 'spec.serviceAccountName', 'status.phase', 'status.podIP', 'status.nominatedNodeName'],
  events: [
    'involvedObject.kind',
    'involvedObject.namespace',
    'involvedObject.name',
    'involvedObject.uid',
    'involvedObject.apiVersion',
    'involvedObject.resourceVersion',
    'involvedObject.fieldPath',
    'reason',
    'reportingComponent',
    'source',
    'type',
  ],
  nodes: ['spec.unschedulable'],
  namespaces: ['status.phase'],
};

/** Resources stored once and served under two groups, as the real registry does (events.k8s.io reads core Events). */
const SHARED_STORAGE: Readonly<Record<string, string>> = { 'events.k8s.io/events': '/events' };

/** A change to a stored object, as a watch reports it; the object carries the resourceVersion of the change. */
export interface StoreChange {
  readonly type: 'ADDED' | 'MODIFIED' | 'DELETED';
  /** `group/resource` of the storage (core events for both event groups). */
  readonly storage: string;
  readonly object: KubeObject;
}

export class FixtureStore {
  readonly groupVersions: readonly GroupVersion[];
  private readonly collections = new Map<string, Map<string, KubeObject>>();
  private readonly listeners = new Set<(change: StoreChange) => void>();
  /** Every change since the server started, so a watch from a resourceVersion replays what it missed. */
  readonly history: StoreChange[] = [];
  private revision = 481990;

  constructor(readonly dir: string) {
    const discovery = (file: string) => JSON.parse(readFileSync(join(dir, 'discovery', file), 'utf8')) as GroupVersion['document'];
    this.groupVersions = [
      { group: '', version: 'v1', document: discovery('api-v1.json') },
      ...(
        JSON.parse(readFileSync(join(dir, 'discovery', 'apis.json'), 'utf8')) as { groups: { name: string; preferredVersion: { version: string } }[] }
      ).groups.map((g) => ({
        group: g.name,
        version: g.preferredVersion.version,
        document: discovery(`apis-${g.name}-${g.preferredVersion.version}.json`),
      })),
    ];
    for (const file of readdirSync(join(dir, 'objects'))) {
      const list = JSON.parse(readFileSync(join(dir, 'objects', file), 'utf8')) as { kind: string; apiVersion: string; items: KubeObject[] };
      const kind = list.kind.replace(/List$/, '');
      const found = this.resourceByKind(list.apiVersion, kind);
      if (!found) throw new Error(`fixture ${file}: no discovered resource of kind ${kind}`);
      const collection = this.collection(found.group, found.resource.name);
      for (const item of list.items) collection.set(keyOf(item.metadata.namespace, item.metadata.name), item);
    }
  }

  /** The resource named in a URL (`pods` under v1, `deployments` under apps/v1), top-level ones only. */
  resource(group: string, version: string, name: string): ApiResource | undefined {
    return this.groupVersion(group, version)?.document.resources.find((r) => r.name === name);
  }

  groupVersion(group: string, version: string): GroupVersion | undefined {
    return this.groupVersions.find((gv) => gv.group === group && gv.version === version);
  }

  /** The current resourceVersion of the whole store, as a List's metadata reports it. */
  get resourceVersion(): string {
    return String(this.revision);
  }

  nextResourceVersion(): string {
    this.revision += 1;
    return String(this.revision);
  }

  /** Every object of a resource, in key order (namespace, then name), optionally in one namespace. */
  list(group: string, resource: string, namespace?: string): KubeObject[] {
    const all = [...this.collection(group, resource).entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return all.filter(([, o]) => namespace === undefined || o.metadata.namespace === namespace).map(([, o]) => o);
  }

  get(group: string, resource: string, namespace: string | undefined, name: string): KubeObject | undefined {
    return this.collection(group, resource).get(keyOf(namespace, name));
  }

  /** Stores an object (its resourceVersion already bumped by the caller) and tells the watchers. */
  put(group: string, resource: string, object: KubeObject): void {
    const collection = this.collection(group, resource);
    const key = keyOf(object.metadata.namespace, object.metadata.name);
    const type = collection.has(key) ? 'MODIFIED' : 'ADDED';
    collection.set(key, object);
    this.emit({ type, storage: storageOf(group, resource), object });
  }

  /** Deletes an object; the deletion is a change of its own with a new resourceVersion, as in etcd. */
  remove(group: string, resource: string, namespace: string | undefined, name: string): void {
    const collection = this.collection(group, resource);
    const key = keyOf(namespace, name);
    const found = collection.get(key);
    if (!found) return;
    collection.delete(key);
    const object = { ...found, metadata: { ...found.metadata, resourceVersion: this.nextResourceVersion() } };
    this.emit({ type: 'DELETED', storage: storageOf(group, resource), object });
  }

  /** Calls `listener` for every later change; returns the function that stops it. */
  subscribe(listener: (change: StoreChange) => void): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  private emit(change: StoreChange): void {
    this.history.push(change);
    for (const listener of this.listeners) listener(change);
  }

  private resourceByKind(apiVersion: string, kind: string): { group: string; resource: ApiResource } | undefined {
    const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
    const resource = this.groupVersion(group!, version!)?.document.resources.find((r) => r.kind === kind && !r.name.includes('/'));
    return resource ? { group: group!, resource } : undefined;
  }

  private collection(group: string, resource: string): Map<string, KubeObject> {
    const id = storageOf(group, resource);
    let found = this.collections.get(id);
    if (!found) this.collections.set(id, (found = new Map()));
    return found;
  }
}

/** The storage a resource lives in: its own `group/resource`, or the one it shares. */
export const storageOf = (group: string, resource: string): string => SHARED_STORAGE[`${group}/${resource}`] ?? `${group}/${resource}`;

const keyOf = (namespace: string | undefined, name: string) => `${namespace ?? ''}/${name}`;
