import { Secret, assertSecretName, secretExpired, secretNotFound, type PutSecretOptions, type SecretRecord, type SecretType } from '@cnmcp/core/plugin';

/** One stored version, as plain data (what the file store encrypts and writes). */
export interface StoredVersion {
  readonly version: number;
  readonly type: SecretType;
  readonly value: string;
  readonly createdAt: number;
  readonly expiresAt?: number;
  readonly metadata?: Readonly<Record<string, string>>;
}

export const DEFAULT_KEEP_VERSIONS = 2;

/**
 * The versioned secrets behind the memory and file stores: newest version first per name. Every read builds
 * fresh records (new `Secret`, `Date` and metadata objects), so callers never hold anything stored.
 */
export class SecretTable {
  readonly #now: () => number;
  #secrets = new Map<string, StoredVersion[]>();

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  get(name: string): SecretRecord {
    assertSecretName(name);
    const current = this.#secrets.get(name)?.[0];
    if (!current) throw secretNotFound(name);
    if (current.expiresAt !== undefined && current.expiresAt <= this.#now()) throw secretExpired(name, new Date(current.expiresAt));
    return toRecord(name, current);
  }

  getVersions(name: string): SecretRecord[] {
    assertSecretName(name);
    const now = this.#now();
    return (this.#secrets.get(name) ?? []).filter((v) => isLive(v, now)).map((v) => toRecord(name, v));
  }

  list(filter: { type?: SecretType } = {}): Omit<SecretRecord, 'value'>[] {
    const now = this.#now();
    return [...this.#secrets.entries()]
      .filter(([, versions]) => versions[0] !== undefined && isLive(versions[0], now) && (filter.type === undefined || versions[0].type === filter.type))
      .map(([name, versions]) => {
        const { value: _value, ...rest } = toRecord(name, versions[0]!);
        return rest;
      })
      .sort((a, b) => (a.name < b.name ? -1 : 1));
  }

  put(name: string, value: Secret, options: PutSecretOptions): SecretRecord {
    assertSecretName(name);
    const now = this.#now();
    const previous = this.#secrets.get(name) ?? [];
    const retireAt = options.previousValidUntil?.getTime() ?? now;
    const retired = previous.map((v) => (v.expiresAt !== undefined && v.expiresAt <= retireAt ? v : { ...v, expiresAt: retireAt }));
    const added: StoredVersion = {
      version: (previous[0]?.version ?? 0) + 1,
      type: options.type,
      value: value.reveal(),
      createdAt: now,
      ...(options.expiresAt ? { expiresAt: options.expiresAt.getTime() } : {}),
      ...(options.metadata ? { metadata: Object.freeze({ ...options.metadata }) } : {}),
    };
    const keep = Math.max(1, options.keepVersions ?? DEFAULT_KEEP_VERSIONS);
    // Versions inside their grace period are kept whatever keepVersions says: dropping one would cut clients off early.
    const versions = [added, ...retired].filter((v, i) => i < keep || isLive(v, now));
    this.#secrets.set(name, versions);
    return toRecord(name, added);
  }

  delete(name: string): void {
    assertSecretName(name);
    if (!this.#secrets.delete(name)) throw secretNotFound(name);
  }

  /** Every secret as plain data, for persistence. */
  snapshot(): [string, readonly StoredVersion[]][] {
    return [...this.#secrets.entries()].map(([name, versions]) => [name, versions.map((v) => ({ ...v }))]);
  }

  /** Replaces the whole content (the file store after reading its file); returns the names that changed. */
  replace(entries: Iterable<readonly [string, readonly StoredVersion[]]>): string[] {
    const next = new Map<string, StoredVersion[]>([...entries].map(([name, versions]) => [name, [...versions]]));
    const changed = new Set<string>();
    for (const name of new Set([...this.#secrets.keys(), ...next.keys()])) {
      if (JSON.stringify(this.#secrets.get(name) ?? null) !== JSON.stringify(next.get(name) ?? null)) changed.add(name);
    }
    this.#secrets = next;
    return [...changed].sort();
  }
}

const isLive = (v: StoredVersion, now: number) => v.expiresAt === undefined || v.expiresAt > now;

function toRecord(name: string, v: StoredVersion): SecretRecord {
  return Object.freeze({
    name,
    value: new Secret(v.value),
    type: v.type,
    version: v.version,
    createdAt: new Date(v.createdAt),
    ...(v.expiresAt !== undefined ? { expiresAt: new Date(v.expiresAt) } : {}),
    ...(v.metadata ? { metadata: Object.freeze({ ...v.metadata }) } : {}),
  });
}
