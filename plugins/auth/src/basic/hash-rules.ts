import { isScryptHash } from '@cnmcp/core/plugin';

/** What a stored password hash costs to verify; two hashes with the same `cost` take the same work. */
export type HashShape =
  | {
      readonly algorithm: 'scrypt';
      readonly ln: number;
      readonly r: number;
      readonly p: number;
      readonly saltBytes: number;
      readonly keyBytes: number;
      readonly cost: string;
    }
  | { readonly algorithm: 'bcrypt'; readonly rounds: number; readonly cost: string };

export const SCRYPT_MIN_LN = 14;
/** The memory one verification may take (core verifies with this `maxmem`). */
export const SCRYPT_MAX_MEMORY = 256 * 1024 * 1024;
export const BCRYPT_MIN_ROUNDS = 10;
/** bcrypt runs in JavaScript on the event loop: each step up doubles the time every login attempt holds it. */
export const BCRYPT_MAX_ROUNDS = 14;

export interface HashProblem {
  readonly code: 'AUTH_UNSUPPORTED_PASSWORD_HASH' | 'AUTH_WEAK_PASSWORD_HASH' | 'AUTH_PASSWORD_HASH_TOO_COSTLY';
  readonly problem: string;
}

const weak = (problem: string): HashProblem => ({ code: 'AUTH_WEAK_PASSWORD_HASH', problem });
const costly = (problem: string): HashProblem => ({ code: 'AUTH_PASSWORD_HASH_TOO_COSTLY', problem });

const SCRYPT = /^\$scrypt\$ln=(\d+),r=(\d+),p=(\d+)\$([^$]+)\$([^$]+)$/;
const BCRYPT = /^\$2[aby]\$(\d{2})\$[./A-Za-z0-9]{53}$/;

/**
 * Recognises a stored hash and checks it is strong enough and cheap enough to verify on every request. Returns the
 * rule it breaks in words safe to log (never the hash), or its shape.
 */
export function shapeOfHash(encoded: string): HashShape | HashProblem {
  const scrypt = isScryptHash(encoded) ? SCRYPT.exec(encoded) : null;
  if (scrypt) {
    const [ln, r, p] = [Number(scrypt[1]), Number(scrypt[2]), Number(scrypt[3])];
    const saltBytes = Buffer.from(scrypt[4]!, 'base64').length;
    const keyBytes = Buffer.from(scrypt[5]!, 'base64').length;
    if (ln < SCRYPT_MIN_LN) return weak(`scrypt cost ln=${ln} is too low (needs ln >= ${SCRYPT_MIN_LN})`);
    if (r < 1 || p < 1) return weak(`scrypt parameters r=${r}, p=${p} must be at least 1`);
    if (p > 16) return costly(`scrypt parallelism p=${p} is above 16`);
    // OpenSSL's accounting: 128 * r * (N + 2) for the working array plus 128 * r * p for the blocks.
    if (128 * r * (2 ** ln + 2 + p) > SCRYPT_MAX_MEMORY) return costly(`scrypt ln=${ln}, r=${r} needs more than 256 MiB per verification`);
    if (saltBytes < 16 || keyBytes < 16) return weak('scrypt salt and hash must be at least 16 bytes each');
    return { algorithm: 'scrypt', ln, r, p, saltBytes, keyBytes, cost: `scrypt ln=${ln},r=${r},p=${p},key=${keyBytes}` };
  }
  const bcrypt = BCRYPT.exec(encoded);
  if (bcrypt) {
    const rounds = Number(bcrypt[1]);
    if (rounds < BCRYPT_MIN_ROUNDS) return weak(`bcrypt cost ${rounds} is too low (needs at least ${BCRYPT_MIN_ROUNDS})`);
    if (rounds > BCRYPT_MAX_ROUNDS) return costly(`bcrypt cost ${rounds} is above ${BCRYPT_MAX_ROUNDS}, too slow to verify on every request`);
    return { algorithm: 'bcrypt', rounds, cost: `bcrypt ${rounds}` };
  }
  return {
    code: 'AUTH_UNSUPPORTED_PASSWORD_HASH',
    problem: 'is neither a scrypt hash ($scrypt$ln=...,r=...,p=...$salt$hash, from `cnmcp auth hash-password`) nor a bcrypt hash ($2a$, $2b$, $2y$)',
  };
}
