import { unwatchFile, watchFile, type Stats } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import type { Logger, PutSecretOptions, Secret, SecretRecord, SecretStore, SecretType } from '@cnmcp/core/plugin';
import { ChangeListeners } from '../shared/change-listeners.js';
import { SecretTable } from '../shared/secret-table.js';
import { writeFileAtomic } from './atomic-write.js';
import { decodeFile, encodeFile, newDataKey } from './file-format.js';
import { withFileLock } from './file-lock.js';
import { newKdf, type KdfParams, type MasterKey } from './master-key.js';

export interface FileStoreOptions {
  readonly path: string;
  readonly masterKey: MasterKey;
  /** Keys that may have written the file; a file opened with one is re-wrapped under `masterKey` at once. */
  readonly previousMasterKeys?: readonly MasterKey[];
  /** How often the file is checked for changes made by other processes (the CLI, other replicas); 0 turns it off. */
  readonly pollIntervalMs?: number;
  readonly logger?: Logger;
  readonly now?: () => number;
}

/**
 * Secrets encrypted at rest in one file (see file-format.ts). Reads are served from memory; every write takes the
 * file lock, re-reads the file (another process may have written it), applies the change and replaces the file
 * atomically. Changes by other processes are noticed by polling the file's stat.
 */
export class FileSecretStore implements SecretStore {
  readonly #options: FileStoreOptions;
  readonly #keys: readonly MasterKey[];
  readonly #table: SecretTable;
  readonly #listeners = new ChangeListeners();
  #dataKey: Buffer = Buffer.alloc(0);
  /** The salt and scrypt parameters the file is written with, when the master key is a passphrase. */
  #kdf: KdfParams | undefined;
  #polling = false;

  private constructor(options: FileStoreOptions) {
    this.#options = options;
    this.#keys = [options.masterKey, ...(options.previousMasterKeys ?? [])];
    this.#table = new SecretTable(options.now);
  }

  /** Opens (or creates, 0600) the file. Rejects without touching the file when it cannot be opened with the keys. */
  static async open(options: FileStoreOptions): Promise<FileSecretStore> {
    const store = new FileSecretStore(options);
    await withFileLock(options.path, async () => {
      const text = await readFile(options.path, 'utf8').catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return undefined;
        throw error;
      });
      const fresh = () => (options.masterKey.kind === 'passphrase' ? newKdf() : undefined);
      if (text === undefined) {
        store.#dataKey = newDataKey();
        store.#kdf = fresh();
        await store.#write();
        return;
      }
      const decoded = decodeFile(text, options.path, store.#keys);
      store.#dataKey = decoded.dataKey;
      store.#table.replace(decoded.entries);
      const rewrap = decoded.openedWith !== options.masterKey;
      store.#kdf = rewrap ? fresh() : decoded.kdf;
      if (rewrap || decoded.legacy) {
        // Envelope encryption: a new master key (or the format 2 fingerprint) re-seals the data key only.
        await store.#write();
        options.logger?.info(rewrap ? 'secrets file re-wrapped under the new master key' : 'secrets file rewritten in format 2', {
          file: options.path,
          keyId: options.masterKey.keyFor(store.#kdf).id,
        });
      }
    });
    const mode = (await stat(options.path)).mode & 0o777;
    if ((mode & 0o077) !== 0)
      options.logger?.warn('the secrets file is readable by other users; it should be 0600', { file: options.path, mode: mode.toString(8) });
    if ((options.pollIntervalMs ?? 0) > 0) store.#startPolling(options.pollIntervalMs!);
    return store;
  }

  get = async (name: string): Promise<SecretRecord> => this.#table.get(name);
  getVersions = async (name: string) => this.#table.getVersions(name);
  list = async (filter?: { type?: SecretType }) => this.#table.list(filter);
  watch = (listener: (name: string) => void) => this.#listeners.add(listener);

  async put(name: string, value: Secret, options: PutSecretOptions): Promise<SecretRecord> {
    return this.#change(() => this.#table.put(name, value, options));
  }

  async delete(name: string): Promise<void> {
    await this.#change(() => this.#table.delete(name));
  }

  async close(): Promise<void> {
    if (this.#polling) unwatchFile(this.#options.path, this.#onStat);
    this.#polling = false;
  }

  async #change<T>(apply: () => T): Promise<T> {
    const changed = new Set<string>();
    const result = await withFileLock(this.#options.path, async () => {
      for (const name of await this.#reload()) changed.add(name);
      const before = new Map(this.#table.snapshot());
      const out = apply();
      await this.#write();
      for (const [name, versions] of this.#table.snapshot()) if (JSON.stringify(before.get(name)) !== JSON.stringify(versions)) changed.add(name);
      for (const name of before.keys()) if (!this.#table.snapshot().some(([n]) => n === name)) changed.add(name);
      return out;
    });
    this.#listeners.notify(changed);
    return result;
  }

  /** Re-reads the file; returns the names whose content changed. Throws when it no longer opens. */
  async #reload(): Promise<string[]> {
    const decoded = decodeFile(await readFile(this.#options.path, 'utf8'), this.#options.path, this.#keys);
    this.#dataKey = decoded.dataKey;
    if (decoded.openedWith === this.#options.masterKey) this.#kdf = decoded.kdf;
    return this.#table.replace(decoded.entries);
  }

  async #write(): Promise<void> {
    await writeFileAtomic(this.#options.path, encodeFile(this.#table.snapshot(), this.#dataKey, this.#options.masterKey, this.#kdf));
  }

  #startPolling(intervalMs: number): void {
    this.#polling = true;
    // watchFile stats the path, so it follows the rename of an atomic replace (fs.watch would keep the old inode).
    watchFile(this.#options.path, { interval: intervalMs, persistent: false }, this.#onStat);
  }

  readonly #onStat = (current: Stats, previous: Stats): void => {
    if (current.mtimeMs === previous.mtimeMs && current.ino === previous.ino && current.size === previous.size) return;
    if (current.nlink === 0 && current.ino === 0) return; // deleted: keep serving what we have
    this.#reload().then(
      (changed) => this.#listeners.notify(changed),
      (error: unknown) =>
        this.#options.logger?.error('the secrets file changed but cannot be read; still serving the last good content', {
          file: this.#options.path,
          error: (error as Error).message,
        }),
    );
  };
}
