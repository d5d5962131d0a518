import { createHash, createHmac, randomBytes, scryptSync } from 'node:crypto';
import { CnmcpError } from '@cnmcp/core/plugin';

/**
 * scrypt parameters for a passphrase (RFC 7914; OWASP's N=2^17, r=8, p=1): about 128 MiB and a few hundred
 * milliseconds per guess. They are stored in the file beside the salt, so that they can be raised later.
 */
export const SCRYPT = { N: 2 ** 17, r: 8, p: 1 } as const;
const SCRYPT_MAXMEM = 256 * 1024 * 1024;
const PASSPHRASE_PREFIX = 'passphrase:';
const MIN_PASSPHRASE = 16;

/** How a passphrase-keyed file derives its key: stored in the file, authenticated by the data key's AAD. */
export interface KdfParams {
  readonly name: 'scrypt';
  readonly salt: string;
  readonly N: number;
  readonly r: number;
  readonly p: number;
}

/** A 256-bit key-encryption key and its fingerprint (which key wrote a file, without revealing it). */
export interface DerivedKey {
  readonly key: Buffer;
  readonly id: string;
}

/**
 * A configured master key: 32 random bytes, or a passphrase that scrypt turns into one with the salt of the file
 * it opens (`keyFor(kdf)`; derived once per salt).
 */
export interface MasterKey {
  readonly kind: 'key' | 'passphrase';
  keyFor(kdf: KdfParams | undefined): DerivedKey;
  /** The fingerprint format 1 files used (plain SHA-256): only to recognise a file written before format 2. */
  readonly legacyId?: string;
}

/** Keyed: an HMAC under the key itself, so the fingerprint is no shortcut to the key beyond what the file already holds. */
const fingerprint = (key: Buffer) => createHmac('sha256', key).update('cnmcp-secrets/2 master key fingerprint').digest('hex').slice(0, 16);

export const newKdf = (): KdfParams => ({ name: 'scrypt', salt: randomBytes(16).toString('base64'), ...SCRYPT });

/**
 * Reads a master key: 32 random bytes as base64, base64url or 64 hex digits (e.g. `openssl rand -base64 32`),
 * checked for the marks of a non-random key; or `passphrase:<at least 16 characters>`, stretched with scrypt.
 * `allowWeak` is for `previousMasterKeys` only: a weak key may still open a file so that it can be re-wrapped.
 */
export function parseMasterKey(text: string, path: string, options: { allowWeak?: boolean } = {}): MasterKey {
  if (text.startsWith(PASSPHRASE_PREFIX)) return passphraseKey(text.slice(PASSPHRASE_PREFIX.length), path);
  const trimmed = text.trim();
  const bytes = /^[0-9a-fA-F]{64}$/.test(trimmed)
    ? Buffer.from(trimmed, 'hex')
    : /^[A-Za-z0-9+/_-]+=*$/.test(trimmed)
      ? Buffer.from(trimmed, 'base64')
      : Buffer.alloc(0);
  if (bytes.length !== 32) {
    throw new CnmcpError(
      'SECRET_MASTER_KEY_INVALID',
      'the master key must be 32 random bytes, base64 or hex encoded (make one with `openssl rand -base64 32`), or `passphrase:` followed by a passphrase',
      { path },
    );
  }
  const weak = weakness(bytes);
  if (weak && !options.allowWeak) {
    throw new CnmcpError(
      'SECRET_MASTER_KEY_WEAK',
      `the master key is not random (${weak}): make one with \`openssl rand -base64 32\`. A file written under this key opens with it as previousMasterKeys and is re-wrapped under the new masterKey`,
      { path },
    );
  }
  const derived = { key: bytes, id: fingerprint(bytes) };
  return {
    kind: 'key',
    keyFor: () => derived,
    legacyId: createHash('sha256').update('cnmcp-secrets master key id').update(bytes).digest('hex').slice(0, 16),
  };
}

/**
 * 32 random bytes hold about 30 distinct values (fewer than 16 happens less than once in ten billion draws) and
 * some outside printable ASCII (all printable: about 2^-46). A key that fails either was typed or built, not
 * drawn: all zeros, a repeated pattern, `base64("password" x 4)`.
 */
function weakness(bytes: Buffer): string | undefined {
  if (new Set(bytes).size < 16) return 'too few distinct bytes';
  if (bytes.every((b) => b >= 0x20 && b < 0x7f)) return 'it decodes to printable text, a password rather than random bytes';
  return undefined;
}

function passphraseKey(passphrase: string, path: string): MasterKey {
  if (passphrase.length < MIN_PASSPHRASE || new Set(passphrase).size < 6) {
    throw new CnmcpError('SECRET_MASTER_KEY_WEAK', `a master passphrase needs at least ${MIN_PASSPHRASE} characters, not a repeated few`, { path });
  }
  const bySalt = new Map<string, DerivedKey>();
  return {
    kind: 'passphrase',
    keyFor: (kdf) => {
      if (!kdf) throw new Error('a passphrase needs the salt and parameters of the file');
      const cacheKey = JSON.stringify([kdf.salt, kdf.N, kdf.r, kdf.p]);
      let derived = bySalt.get(cacheKey);
      if (!derived) {
        const key = scryptSync(passphrase.normalize('NFC'), Buffer.from(kdf.salt, 'base64'), 32, { N: kdf.N, r: kdf.r, p: kdf.p, maxmem: SCRYPT_MAXMEM });
        derived = { key, id: fingerprint(key) };
        bySalt.set(cacheKey, derived);
      }
      return derived;
    },
  };
}
