import type { Secret } from '../secret.js';

export type SecretType = 'apikey' | 'bearer' | 'basic' | 'generic';

export interface SecretRecord {
  readonly name: string;
  readonly value: Secret;
  readonly type: SecretType;
  readonly version: number;
  readonly createdAt: Date;
  readonly expiresAt?: Date;
  readonly metadata?: Readonly<Record<string, string>>;
}

export interface PutSecretOptions {
  readonly type: SecretType;
  readonly expiresAt?: Date;
  readonly metadata?: Record<string, string>;
}

/** The read side every plugin gets through its context. */
export interface SecretReader {
  get(name: string): Promise<SecretRecord>;
}

/** Port of plugin kind `secret-store`. Each put of an existing name makes a new version. */
export interface SecretStore extends SecretReader {
  put(name: string, value: Secret, options: PutSecretOptions): Promise<SecretRecord>;
  list(filter?: { type?: SecretType }): Promise<readonly Omit<SecretRecord, 'value'>[]>;
  delete(name: string): Promise<void>;
  getVersions(name: string): Promise<readonly SecretRecord[]>;
}
