import { CnmcpError } from './errors.js';

/** What every secret store accepts as a name: safe as a file key, an env suffix and a Kubernetes key. */
export const SECRET_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** Throws `SECRET_NAME_INVALID` for a name a store would not accept (the name is shown: names are not secret). */
export function assertSecretName(name: string): void {
  if (!SECRET_NAME.test(name)) {
    throw new CnmcpError(
      'SECRET_NAME_INVALID',
      `secret name ${JSON.stringify(name.slice(0, 140))} is invalid: use 1-128 of A-Z a-z 0-9 . _ - starting with a letter or digit`,
    );
  }
}

export const secretNotFound = (name: string) => new CnmcpError('SECRET_NOT_FOUND', `secret "${name}" not found`);

export const secretExpired = (name: string, at: Date) => new CnmcpError('SECRET_EXPIRED', `secret "${name}" expired at ${at.toISOString()}`);

export const secretStoreReadOnly = (store: string) => new CnmcpError('SECRET_STORE_READ_ONLY', `the ${store} secret store is read-only`);
