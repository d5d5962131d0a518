import { describe, expect, it } from 'vitest';
import { createTestToolContext, textOf } from '../testing/test-tool-context.js';
import { base64Tool, decodeBase64, type Base64Args } from './base64.js';

const run = (args: Base64Args) => base64Tool.handler(args, createTestToolContext());
const output = async (args: Base64Args) => {
  const result = await run(args);
  expect(result.isError).toBeUndefined();
  return result.structuredContent as { output: string; outputFormat: string; bytes: number };
};

describe('utilities_base64', () => {
  it('encodes with the RFC 4648 vectors', async () => {
    expect((await output({ operation: 'encode', input: 'foobar' })).output).toBe('Zm9vYmFy');
    expect((await output({ operation: 'encode', input: 'fo' })).output).toBe('Zm8=');
  });

  it('round-trips Unicode text, standard and URL-safe', async () => {
    const text = 'héllo wörld ~~~ ??? 🙂';
    for (const urlSafe of [false, true]) {
      const encoded = await output({ operation: 'encode', input: text, urlSafe });
      expect(encoded.outputFormat).toBe(urlSafe ? 'base64url' : 'base64');
      if (urlSafe) expect(encoded.output).not.toMatch(/[+/=]/);
      const decoded = await output({ operation: 'decode', input: encoded.output, urlSafe });
      expect(decoded).toMatchObject({ output: text, outputFormat: 'text', bytes: Buffer.byteLength(text) });
    }
  });

  it('accepts wrapped lines and missing padding', async () => {
    expect((await output({ operation: 'decode', input: 'Zm9v\nYmFy' })).output).toBe('foobar');
    expect((await output({ operation: 'decode', input: 'Zm8' })).output).toBe('fo');
  });

  it('returns hex for bytes that are not UTF-8', async () => {
    expect(await output({ operation: 'decode', input: '/wA=' })).toMatchObject({ output: 'ff00', outputFormat: 'hex', bytes: 2 });
  });

  it('rejects invalid base64 with a clear tool error', async () => {
    const result = await run({ operation: 'decode', input: 'not base64!' });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/not valid base64: unexpected character "!"/);
    const urlSafeInStandard = await run({ operation: 'decode', input: 'a-_b' });
    expect(textOf(urlSafeInStandard)).toContain('set urlSafe to true');
  });

  it('rejects impossible lengths and bad padding', () => {
    expect(decodeBase64('abcde', false)).toMatch(/length/);
    expect(decodeBase64('ab=', false)).toMatch(/padding/);
    expect(decodeBase64('a===', false)).toMatch(/padding/);
  });
});
