import { ApiException, type CoreV1Api } from '@kubernetes/client-node';
import { CnmcpError, type Logger, type PutSecretOptions, type Secret, type SecretRecord, type SecretStore, type SecretType } from '@cnmcp/core/plugin';
import { ChangeListeners } from '../shared/change-listeners.js';
import { SecretTable, type StoredVersion } from '../shared/secret-table.js';
import { fromSecretObject, MANAGED_LABEL, MANAGED_VALUE, objectNameOf, toSecretObject } from './secret-object.js';

export interface KubernetesStoreOptions {
  readonly api: CoreV1Api;
  readonly namespace: string;
  /** Prepended to every Secret name; keeps several cnmcp deployments in one namespace apart. */
  readonly prefix: string;
  /** How often the namespace is listed for changes by other replicas or the CLI; 0 turns it off. */
  readonly pollIntervalMs?: number;
  readonly logger?: Logger;
  readonly now?: () => number;
}

/** Another writer changed a Secret between our read and our write (HTTP 409): read again and re-apply. */
const ATTEMPTS = 5;

/**
 * Secrets as Kubernetes Secrets in one namespace, one Secret per name holding every version (see
 * secret-object.ts). Reads are served from memory; a write lists the namespace, applies the change and writes the
 * one Secret it changed with its resourceVersion, so two writers never lose each other's change.
 */
export class KubernetesSecretStore implements SecretStore {
  readonly #options: KubernetesStoreOptions;
  readonly #table: SecretTable;
  readonly #listeners = new ChangeListeners();
  /** resourceVersion of each name's Secret as last read. */
  #resourceVersions = new Map<string, string>();
  #timer: NodeJS.Timeout | undefined;
  #pollFailing = false;

  private constructor(options: KubernetesStoreOptions) {
    this.#options = options;
    this.#table = new SecretTable(options.now);
  }

  static async open(options: KubernetesStoreOptions): Promise<KubernetesSecretStore> {
    const store = new KubernetesSecretStore(options);
    await store.#reload();
    if ((options.pollIntervalMs ?? 0) > 0) {
      store.#timer = setInterval(() => store.#poll(), options.pollIntervalMs);
      store.#timer.unref();
    }
    return store;
  }

  get = async (name: string): Promise<SecretRecord> => this.#table.get(name);
  getVersions = async (name: string) => this.#table.getVersions(name);
  list = async (filter?: { type?: SecretType }) => this.#table.list(filter);
  watch = (listener: (name: string) => void) => this.#listeners.add(listener);

  async put(name: string, value: Secret, options: PutSecretOptions): Promise<SecretRecord> {
    return this.#change(name, () => this.#table.put(name, value, options));
  }

  async delete(name: string): Promise<void> {
    await this.#change(name, () => this.#table.delete(name));
  }

  async close(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  async #change<T>(name: string, apply: () => T): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const changed = new Set(await this.#reload());
      const out = apply();
      try {
        await this.#write(name, this.#table.snapshot().find(([n]) => n === name)?.[1]);
      } catch (error) {
        if (error instanceof ApiException && error.code === 409 && attempt < ATTEMPTS) continue;
        throw this.#failure(`write secret "${name}"`, error);
      }
      changed.add(name);
      this.#listeners.notify(changed);
      return out;
    }
  }

  async #write(name: string, versions: readonly StoredVersion[] | undefined): Promise<void> {
    const { api, namespace, prefix } = this.#options;
    const resourceVersion = this.#resourceVersions.get(name);
    const objectName = objectNameOf(prefix, name);
    if (!versions) {
      if (resourceVersion === undefined) return;
      await api.deleteNamespacedSecret({ name: objectName, namespace, body: { preconditions: { resourceVersion } } });
      this.#resourceVersions.delete(name);
      return;
    }
    const body = toSecretObject(prefix, name, versions, resourceVersion);
    const written =
      resourceVersion === undefined
        ? await api.createNamespacedSecret({ namespace, body })
        : await api.replaceNamespacedSecret({ name: objectName, namespace, body });
    if (written.metadata?.resourceVersion) this.#resourceVersions.set(name, written.metadata.resourceVersion);
  }

  /** Lists the namespace; returns the names whose content changed. */
  async #reload(): Promise<string[]> {
    const { api, namespace, prefix } = this.#options;
    let items;
    try {
      items = (await api.listNamespacedSecret({ namespace, labelSelector: `${MANAGED_LABEL}=${MANAGED_VALUE}` })).items;
    } catch (error) {
      throw this.#failure(`list Secrets in namespace ${namespace}`, error);
    }
    const entries: [string, StoredVersion[]][] = [];
    const versions = new Map<string, string>();
    for (const item of items) {
      const found = fromSecretObject(item);
      // Only Secrets this store wrote: another prefix (another deployment) or a hand-made Secret is left alone.
      if (!found || item.metadata?.name !== objectNameOf(prefix, found.name)) continue;
      entries.push([found.name, found.versions]);
      versions.set(found.name, item.metadata.resourceVersion ?? '');
    }
    this.#resourceVersions = versions;
    return this.#table.replace(entries);
  }

  #poll(): void {
    this.#reload().then(
      (changed) => {
        if (this.#pollFailing) this.#options.logger?.info('the Kubernetes secret store answers again', { namespace: this.#options.namespace });
        this.#pollFailing = false;
        this.#listeners.notify(changed);
      },
      (error: unknown) => {
        if (!this.#pollFailing)
          this.#options.logger?.error('cannot list the secrets; still serving the last good content', { error: (error as Error).message });
        this.#pollFailing = true;
      },
    );
  }

  /** A message with the status and the API server's reason, never a request body (it would hold the values). */
  #failure(action: string, error: unknown): CnmcpError {
    if (error instanceof CnmcpError) return error;
    const status = error instanceof ApiException ? error.code : undefined;
    const reason = error instanceof ApiException ? reasonOf(error.body) : (error as Error).message;
    const hint = status === 403 ? ': grant the Role of the Helm chart (list, create, update, delete on secrets in this namespace)' : '';
    return new CnmcpError('SECRET_STORE_UNAVAILABLE', `cannot ${action}${status ? ` (HTTP ${status})` : ''}: ${reason}${hint}`, { cause: error });
  }
}

function reasonOf(body: unknown): string {
  try {
    const status = (typeof body === 'string' ? JSON.parse(body) : body) as { message?: unknown };
    return typeof status?.message === 'string' ? status.message : 'no reason given';
  } catch {
    return 'no reason given';
  }
}
