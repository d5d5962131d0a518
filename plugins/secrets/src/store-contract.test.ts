import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { CnmcpError, Secret, type SecretStore } from '@cnmcp/core/plugin';
import { afterAll, describe, expect, it } from 'vitest';
import { FileSecretStore } from './file/file-store.js';
import { parseMasterKey } from './file/master-key.js';
import { KubernetesSecretStore } from './kubernetes/kubernetes-store.js';
import { closeRecordedApiServer, recordedCoreApi } from './testing/recorded-kubernetes-api.js';
import { createMemoryStore } from './memory/memory-store.js';

// The SecretStore contract of issue 4, run against every writable store with a clock the test moves.
const HOUR = 3_600_000;

interface Clock {
  now: number;
}

const stores: [string, (clock: Clock) => Promise<SecretStore>][] = [
  ['memory', async (clock) => createMemoryStore(() => clock.now)],
  [
    'file',
    async (clock) =>
      FileSecretStore.open({
        path: join(mkdtempSync(join(tmpdir(), 'cnmcp-secrets-')), 'secrets.json'),
        masterKey: parseMasterKey(randomBytes(32).toString('base64'), '/masterKey'),
        now: () => clock.now,
      }),
  ],
  [
    // Each store its own prefix in one namespace: the stores must not see each other's Secrets.
    'kubernetes (recorded API server)',
    async (clock) => KubernetesSecretStore.open({ api: await recordedCoreApi(), namespace: 'cnmcp', prefix: `c${++prefixes}-`, now: () => clock.now }),
  ],
];
let prefixes = 0;

afterAll(closeRecordedApiServer);

async function codeOf(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CnmcpError);
  return (error as CnmcpError).code;
}

describe.each(stores)('%s store: the SecretStore contract', (_name, open) => {
  it('stores and retrieves a secret with its type and metadata', async () => {
    const store = await open({ now: Date.UTC(2026, 0, 1) });
    const put = await store.put('ops-key', new Secret('Abc123!@#Xyz789!@#'), { type: 'apikey', metadata: { owner: 'ops' } });
    expect(put).toMatchObject({ name: 'ops-key', type: 'apikey', version: 1, metadata: { owner: 'ops' } });
    const got = await store.get('ops-key');
    expect(got.value.reveal()).toBe('Abc123!@#Xyz789!@#');
    expect(got).toMatchObject({ name: 'ops-key', type: 'apikey', version: 1, createdAt: new Date(Date.UTC(2026, 0, 1)), metadata: { owner: 'ops' } });
    expect(String(got.value)).toBe('***');
  });

  it('says "not found" for a missing name, distinct from "expired"', async () => {
    const clock = { now: Date.UTC(2026, 0, 1) };
    const store = await open(clock);
    expect(await codeOf(store.get('missing'))).toBe('SECRET_NOT_FOUND');
    await store.put('short-lived', new Secret('v'), { type: 'generic', expiresAt: new Date(clock.now + HOUR) });
    expect((await store.get('short-lived')).value.reveal()).toBe('v');
    clock.now += HOUR;
    expect(await codeOf(store.get('short-lived'))).toBe('SECRET_EXPIRED');
    await expect(store.get('short-lived')).rejects.toThrow(/expired at 2026-01-01T01:00:00.000Z/);
  });

  it('leaves expired secrets out of list, and filters by type', async () => {
    const clock = { now: Date.UTC(2026, 0, 1) };
    const store = await open(clock);
    await store.put('a-key', new Secret('Abc123!@#Xyz789!@#'), { type: 'apikey' });
    await store.put('b-token', new Secret('t'), { type: 'bearer', expiresAt: new Date(clock.now + HOUR) });
    await store.put('c-generic', new Secret('g'), { type: 'generic' });
    expect((await store.list()).map((r) => r.name)).toEqual(['a-key', 'b-token', 'c-generic']);
    expect((await store.list({ type: 'apikey' })).map((r) => r.name)).toEqual(['a-key']);
    clock.now += HOUR + 1;
    expect((await store.list()).map((r) => r.name)).toEqual(['a-key', 'c-generic']);
    expect(await store.list()).not.toContainEqual(expect.objectContaining({ value: expect.anything() }));
  });

  it('makes a new version on each put; get returns the current one; a plain put retires the old at once', async () => {
    const store = await open({ now: Date.UTC(2026, 0, 1) });
    await store.put('k', new Secret('one'), { type: 'generic' });
    const second = await store.put('k', new Secret('two'), { type: 'generic' });
    expect(second.version).toBe(2);
    expect((await store.get('k')).value.reveal()).toBe('two');
    expect((await store.getVersions('k')).map((v) => v.value.reveal())).toEqual(['two']);
  });

  it('keeps replaced versions live until previousValidUntil (the grace period), newest first, and only until then', async () => {
    const clock = { now: Date.UTC(2026, 0, 1) };
    const store = await open(clock);
    await store.put('k', new Secret('old'), { type: 'apikey' });
    await store.put('k', new Secret('new'), { type: 'apikey', previousValidUntil: new Date(clock.now + HOUR) });
    expect((await store.getVersions('k')).map((v) => [v.version, v.value.reveal()])).toEqual([
      [2, 'new'],
      [1, 'old'],
    ]);
    clock.now += HOUR - 1;
    expect((await store.getVersions('k')).length).toBe(2);
    clock.now += 1;
    expect((await store.getVersions('k')).map((v) => v.value.reveal())).toEqual(['new']);
    expect((await store.getVersions('missing')).length).toBe(0);
  });

  it('keeps at most keepVersions versions, never dropping one in its grace period', async () => {
    const clock = { now: Date.UTC(2026, 0, 1) };
    const store = await open(clock);
    for (const v of ['1', '2', '3', '4'])
      await store.put('k', new Secret(v), { type: 'generic', keepVersions: 1, previousValidUntil: new Date(clock.now + HOUR) });
    expect((await store.getVersions('k')).map((v) => v.value.reveal())).toEqual(['4', '3', '2', '1']);
    clock.now += 2 * HOUR;
    await store.put('k', new Secret('5'), { type: 'generic', keepVersions: 1 });
    expect((await store.getVersions('k')).map((v) => v.version)).toEqual([5]);
  });

  it('hands out copies: changing a returned record changes nothing stored', async () => {
    const store = await open({ now: Date.UTC(2026, 0, 1) });
    const metadata = { owner: 'ops' };
    await store.put('k', new Secret('v'), { type: 'generic', metadata });
    metadata.owner = 'mallory';
    const got = await store.get('k');
    expect(Object.isFrozen(got)).toBe(true);
    expect(() => ((got.metadata as Record<string, string>).owner = 'mallory')).toThrow();
    got.createdAt.setTime(0);
    expect((await store.get('k')).metadata).toEqual({ owner: 'ops' });
    expect((await store.get('k')).createdAt.getTime()).toBe(Date.UTC(2026, 0, 1));
  });

  it('deletes every version; deleting a missing name says not found', async () => {
    const store = await open({ now: Date.UTC(2026, 0, 1) });
    await store.put('k', new Secret('v'), { type: 'generic' });
    await store.delete('k');
    expect(await codeOf(store.get('k'))).toBe('SECRET_NOT_FOUND');
    expect(await codeOf(store.delete('k'))).toBe('SECRET_NOT_FOUND');
  });

  it('refuses invalid names with a clear code', async () => {
    const store = await open({ now: Date.UTC(2026, 0, 1) });
    for (const bad of ['', '../etc', 'a b', '-lead', 'x'.repeat(129)])
      expect(await codeOf(store.put(bad, new Secret('v'), { type: 'generic' }))).toBe('SECRET_NAME_INVALID');
  });

  it('tells watchers which secret changed', async () => {
    const store = await open({ now: Date.UTC(2026, 0, 1) });
    const seen: string[] = [];
    const stop = store.watch!((name) => seen.push(name));
    await store.put('k', new Secret('v'), { type: 'generic' });
    await store.delete('k');
    stop();
    await store.put('other', new Secret('v'), { type: 'generic' });
    expect(seen).toEqual(['k', 'k']);
  });
});
