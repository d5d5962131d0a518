import { randomBytes, timingSafeEqual } from 'node:crypto';
import { verifyScryptPassword } from '@cnmcp/core/plugin';
import { decodeBase64, encodeBase64, hash as bcryptHash } from 'bcryptjs';
import type { HashShape } from './hash-rules.js';

/** Resolves true when `password` matches. Every call does the full work of its hash, match or not. */
export type PasswordVerifier = (password: string) => Promise<boolean>;

const BCRYPT_SETTINGS = 29; // "$2b$10$" + 22 characters of salt
const BCRYPT_DIGEST_BYTES = 23;

/**
 * A verifier for a stored hash of a known shape. Both algorithms end in `crypto.timingSafeEqual` over equal-length
 * digests: scrypt inside core's `verifyScryptPassword`, bcrypt here, because bcryptjs's own `compare` uses a
 * JavaScript loop.
 */
export function passwordVerifier(encoded: string, shape: HashShape): PasswordVerifier {
  if (shape.algorithm === 'scrypt') return (password) => verifyScryptPassword(password, encoded);
  const settings = encoded.slice(0, BCRYPT_SETTINGS);
  const expected = Buffer.from(decodeBase64(encoded.slice(BCRYPT_SETTINGS), BCRYPT_DIGEST_BYTES));
  return async (password) => {
    const computed = await bcryptHash(password, settings);
    const actual = Buffer.from(decodeBase64(computed.slice(BCRYPT_SETTINGS), BCRYPT_DIGEST_BYTES));
    return actual.length === expected.length && timingSafeEqual(actual, expected);
  };
}

/**
 * A hash of the same shape over random bytes: verifying against it costs what a real one costs and never matches.
 * Unknown users are verified against it so that their answer takes as long as a known user's.
 */
export function dummyHash(shape: HashShape): string {
  if (shape.algorithm === 'scrypt') {
    const salt = randomBytes(shape.saltBytes).toString('base64');
    return `$scrypt$ln=${shape.ln},r=${shape.r},p=${shape.p}$${salt}$${randomBytes(shape.keyBytes).toString('base64')}`;
  }
  const rounds = String(shape.rounds).padStart(2, '0');
  return `$2b$${rounds}$${encodeBase64(randomBytes(16), 16)}${encodeBase64(randomBytes(BCRYPT_DIGEST_BYTES), BCRYPT_DIGEST_BYTES)}`;
}
