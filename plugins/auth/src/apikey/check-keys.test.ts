import { readFileSync } from 'node:fs';
import { API_KEY_SPECIALS, apiKeyProblems, CnmcpError } from '@cnmcp/core/plugin';
import { describe, expect, it } from 'vitest';
import { authRequest, setupStrategy } from '../testing/apikey-basic-context.js';
import apikey from './plugin.js';

interface ApiKeyVectors {
  readonly rule: string;
  readonly valid: readonly string[];
  readonly invalid: readonly { readonly key: string; readonly why: string }[];
}

const vectors = JSON.parse(readFileSync(new URL('../../../../test/fixtures/vectors/apikeys.json', import.meta.url), 'utf8')) as ApiKeyVectors;

const configWith = (...keys: { id: string; key: string; roles?: string[]; expiresAt?: string }[]) => ({ keys: keys.map((k) => ({ roles: [], ...k })) });

async function setupError(config: ReturnType<typeof configWith> & { header?: string }): Promise<CnmcpError> {
  const error: unknown = await setupStrategy(apikey, config).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CnmcpError);
  return error as CnmcpError;
}

describe('configured API keys: test/fixtures/vectors/apikeys.json', () => {
  it('has vectors to test', () => {
    expect(vectors.valid.length).toBeGreaterThan(0);
    expect(vectors.invalid.length).toBeGreaterThan(0);
  });

  it.each(vectors.valid.map((key, i) => [i, key] as const))('valid vector %i starts and authenticates', async (i, key) => {
    const strategy = await setupStrategy(apikey, configWith({ id: `valid-${i}`, key, roles: ['viewer'] }));
    expect(await strategy.authenticate(authRequest({ 'x-api-key': key }))).toEqual({
      kind: 'ok',
      identity: { id: `valid-${i}`, authMethod: 'apikey', roles: ['viewer'] },
    });
  });

  it.each(vectors.invalid.map(({ key, why }, i) => [i, why, key] as const))(
    'invalid vector %i (%s) refuses startup naming the id and the rule',
    async (i, _why, key) => {
      const error = await setupError(configWith({ id: `weak-${i}`, key }));
      expect(error.code).toBe('AUTH_WEAK_KEY');
      expect(error.message).toContain(`API key "weak-${i}"`);
      expect(error.message).toContain('complexity rule');
      for (const broken of apiKeyProblems(key)) expect(error.message).toContain(broken);
      // The rule's own text lists the specials, which is exactly vector 5: look for the key outside the rule.
      if (key !== '') expect(error.message.replaceAll(API_KEY_SPECIALS, '')).not.toContain(key);
    },
  );
});

describe('other load-time rules', () => {
  const strong = 'Abc123!@#Xyz789!@#';
  const other = 'Zyx987)(*Cba321)(*';

  it('refuses a duplicate id', async () => {
    const error = await setupError(configWith({ id: 'ops', key: strong }, { id: 'ops', key: other }));
    expect(error).toMatchObject({ code: 'AUTH_DUPLICATE_KEY_ID', message: expect.stringContaining('"ops"') });
  });

  it('refuses the same key under two ids, naming both ids and not the key', async () => {
    const error = await setupError(configWith({ id: 'ops', key: strong }, { id: 'ci', key: strong }));
    expect(error.code).toBe('AUTH_DUPLICATE_KEY');
    expect(error.message).toContain('"ops"');
    expect(error.message).toContain('"ci"');
    expect(error.message).not.toContain(strong);
  });

  it.each([
    ['leading space', ` ${strong}`],
    ['trailing newline', `${strong}\n`],
    ['non-ASCII', `${strong}é`],
  ])('refuses a key HTTP cannot carry (%s)', async (_name, key) => {
    const error = await setupError(configWith({ id: 'ops', key }));
    expect(error.code).toBe('AUTH_INVALID_KEY');
    expect(error.message).toContain('"ops"');
    expect(error.message).not.toContain(strong);
  });

  it('refuses an unparseable expiry', async () => {
    const error = await setupError(configWith({ id: 'ops', key: strong, expiresAt: 'next tuesday' }));
    expect(error).toMatchObject({ code: 'AUTH_INVALID_EXPIRY', message: expect.stringContaining('"ops"') });
  });

  it('reports every problem at once', async () => {
    const error = await setupError(configWith({ id: 'a', key: 'short' }, { id: 'b', key: 'alllowercaseletters' }, { id: 'a', key: other }));
    expect(error.code).toBe('AUTH_INVALID_KEYS');
    expect(error.message).toContain('API key "a" breaks');
    expect(error.message).toContain('API key "b" breaks');
    expect(error.message).toContain('API key id "a" is used by keys[0] and keys[2]');
    expect(error.message).not.toContain('alllowercaseletters');
  });

  it('refuses `authorization` as the key header', async () => {
    const error = await setupError({ ...configWith({ id: 'ops', key: strong }), header: 'Authorization' });
    expect(error.code).toBe('CONFIG_INVALID_VALUE');
  });
});
