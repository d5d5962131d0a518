import { describe, expect, it } from 'vitest';
import { createTestToolContext, textOf } from '../testing/test-tool-context.js';
import { hashTool, type HashArgs } from './hash.js';

const digest = async (args: HashArgs) => {
  const result = await hashTool.handler(args, createTestToolContext());
  expect(result.isError).toBeUndefined();
  return (result.structuredContent as { digest: string }).digest;
};

describe('utilities_hash', () => {
  it('matches the published test vectors for "abc"', async () => {
    expect(await digest({ input: 'abc' })).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(await digest({ input: 'abc', algorithm: 'sha1' })).toBe('a9993e364706816aba3e25717850c26c9cd0d89d');
    expect(await digest({ input: 'abc', algorithm: 'md5' })).toBe('900150983cd24fb0d6963f7d28e17f72');
    expect(await digest({ input: 'abc', algorithm: 'sha384' })).toBe(
      'cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7',
    );
    expect(await digest({ input: 'abc', algorithm: 'sha512' })).toBe(
      'ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f',
    );
  });

  it('encodes as base64 and hashes UTF-8', async () => {
    expect(await digest({ input: 'abc', encoding: 'base64' })).toBe('ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=');
    expect(await digest({ input: '' })).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(await digest({ input: 'é' })).toBe(await digest({ input: '\u00e9' }));
  });

  it('refuses an unknown algorithm with a tool error', async () => {
    const result = await hashTool.handler({ input: 'abc', algorithm: 'crc32' as never }, createTestToolContext());
    expect(result.isError).toBe(true);
    expect(textOf(result)).toContain('crc32');
  });
});
