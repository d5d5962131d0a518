import { hashPassword } from '@cnmcp/core/plugin';
import { hash as bcryptHash } from 'bcryptjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { shapeOfHash, type HashShape } from './hash-rules.js';
import { dummyHash, passwordVerifier } from './verify-password.js';

// From PHP's password_hash() documentation: a $2y$ hash made by another implementation.
const PHP_BCRYPT = { password: 'rasmuslerdorf', hash: '$2y$10$.vGA1O9wmRjrwAVXD98HNOgsNpDczlqm3Jq7KnEd1rVAGv3Fykk1a' };

const shape = (encoded: string): HashShape => {
  const result = shapeOfHash(encoded);
  if ('problem' in result) throw new Error(result.problem);
  return result;
};
const verifierOf = (encoded: string) => passwordVerifier(encoded, shape(encoded));

let scrypt: string;
let bcrypt2b: string;

beforeAll(async () => {
  scrypt = await hashPassword('correct horse battery staple');
  bcrypt2b = await bcryptHash('correct horse battery staple', 10);
});

describe('shapeOfHash', () => {
  it('recognises core scrypt hashes and bcrypt $2a$, $2b$, $2y$', () => {
    expect(shape(scrypt)).toMatchObject({ algorithm: 'scrypt', ln: 15, r: 8, p: 1, saltBytes: 16, keyBytes: 32 });
    expect(shape(bcrypt2b)).toMatchObject({ algorithm: 'bcrypt', rounds: 10 });
    expect(shape(bcrypt2b.replace('$2b$', '$2a$'))).toMatchObject({ algorithm: 'bcrypt', rounds: 10 });
    expect(shape(PHP_BCRYPT.hash)).toMatchObject({ algorithm: 'bcrypt', rounds: 10 });
  });

  it.each([
    ['plaintext', 'hunter2', 'AUTH_UNSUPPORTED_PASSWORD_HASH'],
    ['argon2', '$argon2id$v=19$m=65536,t=3,p=4$c29tZXNhbHQ$RdescudvJCsgt3ub+b+dWRWJTmaaJObG', 'AUTH_UNSUPPORTED_PASSWORD_HASH'],
    ['md5-crypt', '$1$saltsalt$qjXMvbEw8oaL.CzflDugX/', 'AUTH_UNSUPPORTED_PASSWORD_HASH'],
    ['bcrypt $2x$', '$2x$10$.vGA1O9wmRjrwAVXD98HNOgsNpDczlqm3Jq7KnEd1rVAGv3Fykk1a', 'AUTH_UNSUPPORTED_PASSWORD_HASH'],
    ['truncated bcrypt', PHP_BCRYPT.hash.slice(0, -1), 'AUTH_UNSUPPORTED_PASSWORD_HASH'],
    ['bcrypt cost 4', '$2b$04$.vGA1O9wmRjrwAVXD98HNOgsNpDczlqm3Jq7KnEd1rVAGv3Fykk1a', 'AUTH_WEAK_PASSWORD_HASH'],
    ['bcrypt cost 15', '$2b$15$.vGA1O9wmRjrwAVXD98HNOgsNpDczlqm3Jq7KnEd1rVAGv3Fykk1a', 'AUTH_PASSWORD_HASH_TOO_COSTLY'],
    ['scrypt ln=10', '$scrypt$ln=10,r=8,p=1$c2FsdHNhbHRzYWx0c2FsdA==$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g=', 'AUTH_WEAK_PASSWORD_HASH'],
    ['scrypt ln=18', '$scrypt$ln=18,r=8,p=1$c2FsdHNhbHRzYWx0c2FsdA==$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g=', 'AUTH_PASSWORD_HASH_TOO_COSTLY'],
    ['scrypt p=64', '$scrypt$ln=15,r=8,p=64$c2FsdHNhbHRzYWx0c2FsdA==$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g=', 'AUTH_PASSWORD_HASH_TOO_COSTLY'],
    ['scrypt 4-byte salt', '$scrypt$ln=15,r=8,p=1$c2FsdA==$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g=', 'AUTH_WEAK_PASSWORD_HASH'],
  ])('refuses %s', (_name, encoded, code) => {
    expect(shapeOfHash(encoded)).toMatchObject({ code });
  });

  it('accepts the strongest scrypt that fits in memory (ln=17, r=8)', () => {
    expect(shapeOfHash('$scrypt$ln=17,r=8,p=1$c2FsdHNhbHRzYWx0c2FsdA==$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g=')).toMatchObject({ algorithm: 'scrypt' });
  });
});

describe('passwordVerifier', () => {
  it('verifies scrypt hashes', async () => {
    expect(await verifierOf(scrypt)('correct horse battery staple')).toBe(true);
    expect(await verifierOf(scrypt)('correct horse battery stapl')).toBe(false);
  });

  it.each([
    ['$2b$ (bcryptjs)', () => bcrypt2b, 'correct horse battery staple'],
    ['$2a$', () => bcrypt2b.replace('$2b$', '$2a$'), 'correct horse battery staple'],
    ['$2y$ (PHP)', () => PHP_BCRYPT.hash, PHP_BCRYPT.password],
  ])('verifies bcrypt %s hashes', async (_name, encoded, password) => {
    const verify = verifierOf(encoded());
    expect(await verify(password)).toBe(true);
    expect(await verify(`${password}x`)).toBe(false);
    expect(await verify(password.toUpperCase())).toBe(false);
  });
});

describe('dummyHash', () => {
  it.each([
    ['scrypt', () => scrypt],
    ['bcrypt', () => PHP_BCRYPT.hash],
  ])('has the cost of the %s hash it imitates and matches nothing', async (_name, encoded) => {
    const original = shape(encoded());
    const dummy = dummyHash(original);
    expect(shape(dummy).cost).toBe(original.cost);
    expect(dummy).not.toBe(dummyHash(original));
    expect(await passwordVerifier(dummy, original)('')).toBe(false);
    expect(await passwordVerifier(dummy, original)(PHP_BCRYPT.password)).toBe(false);
  });
});
