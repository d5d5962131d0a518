import { CnmcpError, Secret } from '@cnmcp/core/plugin';
import { describe, expect, it } from 'vitest';
import { createEnvStore, envVariableOf } from './env-store.js';

describe('env secret store', () => {
  const env = { CNMCP_SECRET_OPS_KEY: 'Abc123!@#Xyz789!@#', CNMCP_SECRET_DB: 'pw', GITHUB_TOKEN: 'ghp_x', CNMCP_SECRET_EMPTY: '', OTHER: 'no' };

  it('loads CNMCP_SECRET_<NAME> under its name, in either spelling', async () => {
    const store = createEnvStore({ env, types: { 'ops-key': 'apikey' } });
    expect((await store.get('ops-key')).value.reveal()).toBe('Abc123!@#Xyz789!@#');
    expect((await store.get('OPS_KEY')).value.reveal()).toBe('Abc123!@#Xyz789!@#');
    expect(await store.get('ops-key')).toMatchObject({ type: 'apikey', version: 1 });
    expect(envVariableOf('ops-key')).toBe('CNMCP_SECRET_OPS_KEY');
  });

  it('loads explicitly mapped variables and lists names without values', async () => {
    const store = createEnvStore({ env, names: { 'github-token': 'GITHUB_TOKEN' } });
    expect((await store.get('github-token')).value.reveal()).toBe('ghp_x');
    const list = await store.list();
    expect(list.map((r) => r.name)).toEqual(['db', 'github-token', 'ops-key']);
    expect(JSON.stringify(list)).not.toContain('ghp_x');
  });

  it('treats an empty variable as unset, and reports a missing one as not found', async () => {
    const store = createEnvStore({ env });
    await expect(store.get('empty')).rejects.toMatchObject({ code: 'SECRET_NOT_FOUND' });
    await expect(store.get('nope')).rejects.toMatchObject({ code: 'SECRET_NOT_FOUND' });
    expect(await store.getVersions('nope')).toEqual([]);
  });

  it('is read-only', async () => {
    const store = createEnvStore({ env });
    for (const attempt of [store.put('x', new Secret('v'), { type: 'generic' }), store.delete('db')]) {
      const error = await attempt.then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(CnmcpError);
      expect((error as CnmcpError).code).toBe('SECRET_STORE_READ_ONLY');
    }
    expect(store.watch).toBeUndefined();
  });
});
