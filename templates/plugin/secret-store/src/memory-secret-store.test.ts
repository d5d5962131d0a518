import { Secret } from '@cnmcp/core/plugin';
import { describe, expect, it } from 'vitest';
import { createMemorySecretStore } from './memory-secret-store.js';

describe('memory secret store', () => {
  it('starts with the initial secrets and adds a version on every put', async () => {
    const store = createMemorySecretStore({ 'ops-key': 'first-value' });
    expect((await store.get('ops-key')).value.reveal()).toBe('first-value');
    const second = await store.put('ops-key', new Secret('second-value'), { type: 'apikey' });
    expect(second.version).toBe(2);
    expect((await store.get('ops-key')).value.reveal()).toBe('second-value');
    expect((await store.getVersions('ops-key')).map((r) => r.version)).toEqual([2, 1]);
  });

  it('lists names without values, and never returns an expired version', async () => {
    const store = createMemorySecretStore();
    await store.put('old', new Secret('gone'), { type: 'generic', expiresAt: new Date(Date.now() - 1000) });
    await store.put('new', new Secret('here'), { type: 'bearer' });
    expect(await store.list()).toEqual([expect.not.objectContaining({ value: expect.anything() })]);
    expect((await store.list()).map((r) => r.name)).toEqual(['new']);
    await expect(store.get('old')).rejects.toMatchObject({ code: 'SECRET_EXPIRED' });
    expect(await store.getVersions('old')).toEqual([]);
  });

  it('fails with stable codes and never a value', async () => {
    const store = createMemorySecretStore({ present: 'super-secret-value' });
    await expect(store.get('missing')).rejects.toMatchObject({ code: 'SECRET_NOT_FOUND' });
    await expect(store.get('../etc/passwd')).rejects.toMatchObject({ code: 'SECRET_NAME_INVALID' });
    await store.delete('present');
    await expect(store.delete('present')).rejects.toMatchObject({ code: 'SECRET_NOT_FOUND' });
    expect(JSON.stringify(await store.getVersions('present'))).not.toContain('super-secret-value');
  });
});
