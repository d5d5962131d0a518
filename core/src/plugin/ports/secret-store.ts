import type { Secret } from '../secret.js';

export type SecretType = 'apikey' | 'bearer' | 'basic' | 'generic';

export const SECRET_TYPES: readonly SecretType[] = Object.freeze(['apikey', 'bearer', 'basic', 'generic']);

/** One version of a secret. Stores hand out copies: changing one changes nothing stored. */
export interface SecretRecord {
  readonly name: string;
  readonly value: Secret;
  readonly type: SecretType;
  /** Counts from 1 per name; each put of an existing name adds one. */
  readonly version: number;
  readonly createdAt: Date;
  /** After this the version is refused (`SECRET_EXPIRED`); rotation sets it to the end of the grace period. */
  readonly expiresAt?: Date;
  readonly metadata?: Readonly<Record<string, string>>;
}

export interface PutSecretOptions {
  readonly type: SecretType;
  readonly expiresAt?: Date;
  readonly metadata?: Record<string, string>;
  /**
   * Until when the versions this put replaces stay valid (the rotation grace period). Default: they stop being
   * valid at once, so a plain `set` never leaves an old value accepted.
   */
  readonly previousValidUntil?: Date;
  /** How many versions to keep, live or not, newest first (default 2). Older ones are deleted. */
  readonly keepVersions?: number;
}

/**
 * The read side every plugin gets through its context.
 *
 * `getVersions` is here (not only on the store) because an auth strategy must accept every live version of a
 * rotated key during its grace period. `watch` is here because a strategy must see a rotation done by another
 * process (the CLI) without a restart; stores whose content never changes (env) leave it out.
 */
export interface SecretReader {
  /** The current version. Rejects with code `SECRET_NOT_FOUND`, or `SECRET_EXPIRED` when it has expired. */
  get(name: string): Promise<SecretRecord>;
  /** Every version still valid now, newest first; empty when none is (never rejects for a missing name). */
  getVersions(name: string): Promise<readonly SecretRecord[]>;
  /** Calls `listener(name)` after a secret changed, here or in another process sharing the store. Returns unsubscribe. */
  watch?(listener: (name: string) => void): () => void;
}

/**
 * Port of plugin kind `secret-store`. Each put of an existing name makes a new version. Names match
 * `^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$`.
 */
export interface SecretStore extends SecretReader {
  put(name: string, value: Secret, options: PutSecretOptions): Promise<SecretRecord>;
  /** Current versions that have not expired, without values, sorted by name. */
  list(filter?: { type?: SecretType }): Promise<readonly Omit<SecretRecord, 'value'>[]>;
  /** Deletes every version. Rejects with `SECRET_NOT_FOUND` when there is none. */
  delete(name: string): Promise<void>;
  close?(): Promise<void>;
}
