import { randomBytes } from 'node:crypto';

export const DEFAULT_SECRET_BYTES = 32;

/** A random generic secret: `bytes` from the CSPRNG as base64url (43 characters for the default 32 bytes). */
export function generateSecret(bytes = DEFAULT_SECRET_BYTES): string {
  if (!Number.isInteger(bytes) || bytes < 16 || bytes > 1024) throw new RangeError('a generated secret has 16 to 1024 bytes');
  return randomBytes(bytes).toString('base64url');
}
