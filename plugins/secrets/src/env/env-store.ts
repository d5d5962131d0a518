import { Secret, assertSecretName, secretNotFound, secretStoreReadOnly, type SecretRecord, type SecretStore, type SecretType } from '@cnmcp/core/plugin';

export const ENV_PREFIX = 'CNMCP_SECRET_';

/** `ops-key` -> `CNMCP_SECRET_OPS_KEY`: uppercase, every character outside A-Z and 0-9 becomes `_`. */
export const envVariableOf = (name: string, prefix = ENV_PREFIX) => `${prefix}${name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;

export interface EnvStoreOptions {
  readonly env: NodeJS.ProcessEnv;
  readonly prefix?: string;
  /** Secret name -> variable name, for variables that do not follow the prefix convention. */
  readonly names?: Readonly<Record<string, string>>;
  readonly types?: Readonly<Record<string, SecretType>>;
}

/**
 * Read-only secrets from environment variables, read once at startup (the environment of a running process does not
 * change). Each is version 1 and never expires; put, delete and rotation fail with `SECRET_STORE_READ_ONLY`.
 */
export function createEnvStore(options: EnvStoreOptions): SecretStore {
  const prefix = options.prefix ?? ENV_PREFIX;
  const loadedAt = new Date();
  const values = new Map<string, string>();
  for (const [variable, value] of Object.entries(options.env)) {
    if (!variable.startsWith(prefix) || !value) continue;
    // The conventional name: lowercase with dashes (CNMCP_SECRET_OPS_KEY -> ops-key); an explicit map wins.
    values.set(variable.slice(prefix.length).toLowerCase().replace(/_/g, '-'), value);
  }
  for (const [name, variable] of Object.entries(options.names ?? {})) {
    const value = options.env[variable];
    if (value) values.set(name, value);
  }
  const record = (name: string, value: string): SecretRecord =>
    Object.freeze({ name, value: new Secret(value), type: options.types?.[name] ?? 'generic', version: 1, createdAt: new Date(loadedAt) });
  const lookup = (name: string) => {
    assertSecretName(name);
    // Either spelling of a conventional name finds it: `ops-key` and `OPS_KEY` both read CNMCP_SECRET_OPS_KEY.
    return values.get(name) ?? values.get(name.toLowerCase().replace(/_/g, '-')) ?? options.env[envVariableOf(name, prefix)];
  };
  return {
    async get(name) {
      const value = lookup(name);
      if (!value) throw secretNotFound(name);
      return record(name, value);
    },
    async getVersions(name) {
      const value = lookup(name);
      return value ? [record(name, value)] : [];
    },
    async list(filter) {
      return [...values.keys()]
        .sort()
        .map((name) => {
          const { value: _value, ...rest } = record(name, values.get(name)!);
          return rest;
        })
        .filter((r) => filter?.type === undefined || r.type === filter.type);
    },
    put: async () => Promise.reject(secretStoreReadOnly('env')),
    delete: async () => Promise.reject(secretStoreReadOnly('env')),
  };
}
