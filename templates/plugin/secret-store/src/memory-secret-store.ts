import { CnmcpError, Secret, type PutSecretOptions, type SecretRecord, type SecretStore, type SecretType } from '@cnmcp/core/plugin';
import { SECRET_NAME_PATTERN } from './config-schema.js';

const NAME = new RegExp(SECRET_NAME_PATTERN);

const live = (record: SecretRecord, now: number) => record.expiresAt === undefined || record.expiresAt.getTime() > now;

// Callers get copies: changing a returned record (or its metadata) changes nothing stored.
const copy = (record: SecretRecord): SecretRecord => ({
  ...record,
  createdAt: new Date(record.createdAt),
  ...(record.metadata ? { metadata: { ...record.metadata } } : {}),
});

function checkName(name: string): void {
  if (!NAME.test(name)) throw new CnmcpError('SECRET_NAME_INVALID', `secret names match ${SECRET_NAME_PATTERN}; got ${JSON.stringify(name.slice(0, 40))}`);
}

/**
 * The example store: versioned secrets in memory, for one process. Replace the Map with calls to your backend
 * (Vault, a cloud secret manager, ...); keep the contract: every put adds a version, reads never return an expired
 * one, and errors carry a stable code but never a value.
 */
export function createMemorySecretStore(initial: Readonly<Record<string, string>> = {}): SecretStore {
  /** Versions per name, oldest first. */
  const versions = new Map<string, SecretRecord[]>();

  function add(name: string, value: Secret, options: PutSecretOptions): SecretRecord {
    checkName(name);
    const list = versions.get(name) ?? [];
    const record: SecretRecord = {
      name,
      value,
      type: options.type,
      version: (list.at(-1)?.version ?? 0) + 1,
      createdAt: new Date(),
      ...(options.expiresAt ? { expiresAt: new Date(options.expiresAt) } : {}),
      ...(options.metadata ? { metadata: { ...options.metadata } } : {}),
    };
    versions.set(name, [...list, record]);
    return record;
  }

  const store: SecretStore = {
    async get(name) {
      checkName(name);
      const current = versions.get(name)?.at(-1);
      if (!current) throw new CnmcpError('SECRET_NOT_FOUND', `no secret named "${name}"`);
      if (!live(current, Date.now())) throw new CnmcpError('SECRET_EXPIRED', `secret "${name}" expired at ${current.expiresAt!.toISOString()}`);
      return copy(current);
    },
    async getVersions(name) {
      const now = Date.now();
      return [...(versions.get(name) ?? [])]
        .reverse()
        .filter((r) => live(r, now))
        .map(copy);
    },
    async put(name: string, value: Secret, options: PutSecretOptions) {
      return copy(add(name, value, options));
    },
    async list(filter?: { type?: SecretType }) {
      const now = Date.now();
      return [...versions.values()]
        .map((list) => list.at(-1)!)
        .filter((r) => live(r, now) && (filter?.type === undefined || r.type === filter.type))
        .sort((a, b) => a.name.localeCompare(b.name))
        .map(({ value: _value, ...rest }) => rest);
    },
    async delete(name) {
      checkName(name);
      if (!versions.delete(name)) throw new CnmcpError('SECRET_NOT_FOUND', `no secret named "${name}"`);
    },
  };
  for (const [name, value] of Object.entries(initial)) add(name, new Secret(value), { type: 'generic' });
  return store;
}
