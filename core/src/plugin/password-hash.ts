import { randomBytes, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from 'node:crypto';

const scrypt = (password: string, salt: Buffer, length: number, options: ScryptOptions) =>
  new Promise<Buffer>((resolve, reject) => scryptCallback(password, salt, length, options, (error, key) => (error ? reject(error) : resolve(key))));

const DEFAULT = { ln: 15, r: 8, p: 1 };
const FORMAT = /^\$scrypt\$ln=(\d+),r=(\d+),p=(\d+)\$([A-Za-z0-9+/]+={0,2})\$([A-Za-z0-9+/]+={0,2})$/;

/**
 * Hashes a password with scrypt (node:crypto) into a self-describing string:
 * `$scrypt$ln=15,r=8,p=1$<salt base64>$<hash base64>`. `cnmcp auth hash-password` prints these.
 */
export async function hashPassword(password: string): Promise<string> {
  if (password.length === 0) throw new Error('password must not be empty');
  const salt = randomBytes(16);
  const hash = await scrypt(password, salt, 32, { N: 2 ** DEFAULT.ln, r: DEFAULT.r, p: DEFAULT.p, maxmem: 64 * 1024 * 1024 });
  return `$scrypt$ln=${DEFAULT.ln},r=${DEFAULT.r},p=${DEFAULT.p}$${salt.toString('base64')}$${hash.toString('base64')}`;
}

export const isScryptHash = (encoded: string): boolean => FORMAT.test(encoded);

/** Verifies a password against `hashPassword` output in constant time. A malformed hash verifies nothing. */
export async function verifyScryptPassword(password: string, encoded: string): Promise<boolean> {
  const match = FORMAT.exec(encoded);
  if (!match) return false;
  const [, ln, r, p, salt, expectedB64] = match;
  const expected = Buffer.from(expectedB64!, 'base64');
  const actual = await scrypt(password, Buffer.from(salt!, 'base64'), expected.length, {
    N: 2 ** Number(ln),
    r: Number(r),
    p: Number(p),
    maxmem: 256 * 1024 * 1024,
  });
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
