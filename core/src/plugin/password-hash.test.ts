import { describe, expect, it } from 'vitest';
import { hashPassword, isScryptHash, verifyScryptPassword } from './password-hash.js';

describe('scrypt password hashes', () => {
  it('verifies the right password only, with a fresh salt each time', async () => {
    const a = await hashPassword('correct horse battery staple');
    const b = await hashPassword('correct horse battery staple');
    expect(isScryptHash(a)).toBe(true);
    expect(a).not.toBe(b);
    expect(await verifyScryptPassword('correct horse battery staple', a)).toBe(true);
    expect(await verifyScryptPassword('correct horse battery stapl', a)).toBe(false);
    expect(await verifyScryptPassword('anything', 'not-a-hash')).toBe(false);
    await expect(hashPassword('')).rejects.toThrow('must not be empty');
  });
});
