import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CnmcpError, Secret } from '@cnmcp/core/plugin';
import { describe, expect, it } from 'vitest';
import { decodeFile } from './file-format.js';
import { FileSecretStore } from './file-store.js';
import { parseMasterKey, type MasterKey } from './master-key.js';

const newKey = (): MasterKey => parseMasterKey(randomBytes(32).toString('base64'), '/masterKey');
const tempFile = () => join(mkdtempSync(join(tmpdir(), 'cnmcp-secrets-')), 'secrets.json');
const VALUE = 'Abc123!@#Xyz789!@#-do-not-leak';

async function openError(promise: Promise<unknown>): Promise<CnmcpError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CnmcpError);
  return error as CnmcpError;
}

async function populated(path: string, key: MasterKey): Promise<void> {
  const store = await FileSecretStore.open({ path, masterKey: key });
  await store.put('ops-key', new Secret(VALUE), { type: 'apikey', metadata: { owner: 'ops' } });
  await store.put('ops-key', new Secret(`${VALUE}-2`), { type: 'apikey', previousValidUntil: new Date(Date.now() + 3_600_000) });
  await store.put('db', new Secret('pw'), { type: 'basic', expiresAt: new Date(Date.now() + 86_400_000) });
  await store.close();
}

describe('file secret store: encryption at rest', () => {
  it('round-trips every version across a restart', async () => {
    const path = tempFile();
    const key = newKey();
    await populated(path, key);
    const reopened = await FileSecretStore.open({ path, masterKey: key });
    expect((await reopened.get('ops-key')).value.reveal()).toBe(`${VALUE}-2`);
    expect((await reopened.getVersions('ops-key')).map((v) => v.value.reveal())).toEqual([`${VALUE}-2`, VALUE]);
    expect(await reopened.get('db')).toMatchObject({ type: 'basic', version: 1 });
    expect((await reopened.getVersions('ops-key'))[1]!.metadata).toEqual({ owner: 'ops' });
  });

  it('writes the file 0600, without any value or metadata in clear, and leaves no temporary or lock file', async () => {
    const path = tempFile();
    await populated(path, newKey());
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const text = readFileSync(path, 'utf8');
    expect(text).not.toContain(VALUE);
    expect(text).not.toContain('owner');
    expect(text).not.toContain(Buffer.from(VALUE).toString('base64'));
    expect(readdirSync(join(path, '..'))).toEqual(['secrets.json']);
  });

  it('refuses to start on a wrong master key with a clear error, and leaves the file unchanged', async () => {
    const path = tempFile();
    await populated(path, newKey());
    const before = readFileSync(path);
    const error = await openError(FileSecretStore.open({ path, masterKey: newKey() }));
    expect(error.code).toBe('SECRET_FILE_WRONG_KEY');
    expect(error.message).toContain('was encrypted with a master key');
    expect(readFileSync(path).equals(before)).toBe(true);
  });

  it('refuses to start when any single byte of the file is flipped, and never names a value', async () => {
    const path = tempFile();
    const key = newKey();
    await populated(path, key);
    const original = readFileSync(path);
    // Every byte position, decoded directly (fast); the store's own start-up is checked on a sample below.
    for (let i = 0; i < original.length; i++) {
      const flipped = Buffer.from(original);
      flipped[i] = flipped[i]! ^ 0x01;
      let error: unknown;
      try {
        decodeFile(flipped.toString('utf8'), path, [key]);
      } catch (e) {
        error = e;
      }
      expect(error, `byte ${i} flipped went unnoticed`).toBeInstanceOf(CnmcpError);
      expect(['SECRET_FILE_TAMPERED', 'SECRET_FILE_WRONG_KEY']).toContain((error as CnmcpError).code);
      expect((error as Error).message).not.toContain(VALUE);
    }
    for (const i of [10, Math.floor(original.length / 2), original.length - 20]) {
      const flipped = Buffer.from(original);
      flipped[i] = flipped[i]! ^ 0x01;
      writeFileSync(path, flipped);
      const error = await openError(FileSecretStore.open({ path, masterKey: key }));
      expect(error.message).toMatch(/integrity check|was encrypted with a master key/);
      expect(readFileSync(path).equals(flipped)).toBe(true);
    }
  });

  it('rotates the master key by re-wrapping the data key, losing no secret', async () => {
    const path = tempFile();
    const oldKey = newKey();
    const next = newKey();
    await populated(path, oldKey);
    const rotated = await FileSecretStore.open({ path, masterKey: next, previousMasterKeys: [oldKey] });
    expect((await rotated.getVersions('ops-key')).map((v) => v.value.reveal())).toEqual([`${VALUE}-2`, VALUE]);
    const after = JSON.parse(readFileSync(path, 'utf8')) as { keyId: string };
    expect(after.keyId).toBe(next.keyFor(undefined).id);
    // The old key alone no longer opens the file; the new one alone does.
    expect((await openError(FileSecretStore.open({ path, masterKey: oldKey }))).code).toBe('SECRET_FILE_WRONG_KEY');
    expect((await (await FileSecretStore.open({ path, masterKey: next })).get('db')).value.reveal()).toBe('pw');
  });

  it('notices a change made by another process through the file, and keeps both writers consistent', async () => {
    const path = tempFile();
    const key = newKey();
    const server = await FileSecretStore.open({ path, masterKey: key, pollIntervalMs: 50 });
    const cli = await FileSecretStore.open({ path, masterKey: key });
    try {
      const changed = new Promise<string>((resolve) => server.watch((name) => resolve(name)));
      await cli.put('ops-key', new Secret(VALUE), { type: 'apikey' });
      expect(await changed).toBe('ops-key');
      expect((await server.get('ops-key')).value.reveal()).toBe(VALUE);
      // The server's own write re-reads the file first, so the CLI's secret survives it.
      await server.put('other', new Secret('x'), { type: 'generic' });
      const reopened = await FileSecretStore.open({ path, masterKey: key });
      expect((await reopened.list()).map((r) => r.name)).toEqual(['ops-key', 'other']);
    } finally {
      await server.close();
    }
  });

  it('refuses a master key that is not 32 bytes', () => {
    expect(() => parseMasterKey('correct horse battery staple', '/masterKey')).toThrow(/32 random bytes/);
    expect(() => parseMasterKey(randomBytes(16).toString('base64'), '/masterKey')).toThrow(/32 random bytes/);
    expect(parseMasterKey(randomBytes(32).toString('hex'), '/masterKey').keyFor(undefined).key.length).toBe(32);
  });
});
