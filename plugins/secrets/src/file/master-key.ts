import { createHash } from 'node:crypto';
import { CnmcpError } from '@cnmcp/core/plugin';

/** A 256-bit key-encryption key and its public fingerprint (which key wrote a file, without revealing it). */
export interface MasterKey {
  readonly key: Buffer;
  readonly id: string;
}

/**
 * Reads a master key written as base64 (e.g. `openssl rand -base64 32`), base64url or 64 hex digits. Anything
 * that does not decode to exactly 32 bytes is refused: a passphrase would need a slow KDF at every start.
 */
export function parseMasterKey(text: string, path: string): MasterKey {
  const trimmed = text.trim();
  const bytes = /^[0-9a-fA-F]{64}$/.test(trimmed)
    ? Buffer.from(trimmed, 'hex')
    : /^[A-Za-z0-9+/_-]+=*$/.test(trimmed)
      ? Buffer.from(trimmed, 'base64')
      : Buffer.alloc(0);
  if (bytes.length !== 32) {
    throw new CnmcpError(
      'SECRET_MASTER_KEY_INVALID',
      'the master key must be 32 random bytes, base64 or hex encoded (make one with `openssl rand -base64 32`)',
      { path },
    );
  }
  return { key: bytes, id: createHash('sha256').update('cnmcp-secrets master key id').update(bytes).digest('hex').slice(0, 16) };
}
