import type { PutSecretOptions, SecretRecord, SecretStore, SecretType, Secret } from '@cnmcp/core/plugin';
import { ChangeListeners } from '../shared/change-listeners.js';
import { SecretTable } from '../shared/secret-table.js';

/** Secrets in this process only: gone at restart, invisible to the CLI. For tests, demos and short-lived servers. */
export function createMemoryStore(now: () => number = Date.now): SecretStore {
  const table = new SecretTable(now);
  const listeners = new ChangeListeners();
  return {
    get: async (name: string): Promise<SecretRecord> => table.get(name),
    getVersions: async (name: string) => table.getVersions(name),
    list: async (filter?: { type?: SecretType }) => table.list(filter),
    async put(name: string, value: Secret, options: PutSecretOptions) {
      const record = table.put(name, value, options);
      listeners.notify([name]);
      return record;
    },
    async delete(name: string) {
      table.delete(name);
      listeners.notify([name]);
    },
    watch: (listener) => listeners.add(listener),
  };
}
