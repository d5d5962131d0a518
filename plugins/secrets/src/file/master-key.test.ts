import { createHash, randomBytes } from 'node:crypto';
import { copyFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CnmcpError, Secret } from '@cnmcp/core/plugin';
import { describe, expect, it } from 'vitest';
import { FileSecretStore } from './file-store.js';
import { parseMasterKey, SCRYPT } from './master-key.js';

// What an operator pastes when told "32 bytes, base64": every one of these was accepted as a master key before.
const WEAK_KEYS: Record<string, string> = {
  'all zero (base64)': Buffer.alloc(32).toString('base64'),
  'all zero (hex)': '0'.repeat(64),
  'base64("password" x 4)': Buffer.from('password'.repeat(4)).toString('base64'),
  'a repeated 4-byte pattern': Buffer.from('deadbeef'.repeat(8), 'hex').toString('base64'),
  'printable text': Buffer.from('correct horse battery staple 123').toString('base64'),
  'counting bytes 0..7, four times': Buffer.from([0, 1, 2, 3, 4, 5, 6, 7].flatMap((b) => [b, b, b, b])).toString('base64'),
};

const dirFile = () => join(mkdtempSync(join(tmpdir(), 'cnmcp-master-key-')), 'secrets.json');
const fixture = (name: string) => join(import.meta.dirname, 'fixtures', `${name}.json`);
// The keys the format 1 fixtures were written with (by the file store before format 2).
const V1_STRONG = 'q2mKZ0x1yVfW3u9d8N7cR6bT5aS4eL3kJ2hG1fD0sA8=';
const V1_WEAK = WEAK_KEYS['base64("password" x 4)']!;
const V1_VALUE = 'Fixture-Value-From-Format-1!';

async function rejection(promise: Promise<unknown>): Promise<CnmcpError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CnmcpError);
  return error as CnmcpError;
}

describe('master keys: random or stretched, never weak', () => {
  for (const [what, key] of Object.entries(WEAK_KEYS)) {
    it(`refuses ${what} as a master key, naming the fix`, () => {
      let error: unknown;
      try {
        parseMasterKey(key, '/masterKey');
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(CnmcpError);
      expect((error as CnmcpError).code).toBe('SECRET_MASTER_KEY_WEAK');
      expect((error as CnmcpError).path).toBe('/masterKey');
      expect((error as Error).message).toContain('openssl rand -base64 32');
      expect((error as Error).message).not.toContain(key);
    });
  }

  it('accepts 1000 random keys out of 1000 (the entropy check has no false alarms in practice)', () => {
    for (let i = 0; i < 1000; i++) expect(parseMasterKey(randomBytes(32).toString(i % 2 ? 'hex' : 'base64'), '/masterKey').kind).toBe('key');
  });

  it('stores a keyed fingerprint: the file does not name the key by its plain SHA-256', async () => {
    const path = dirFile();
    const raw = randomBytes(32);
    const store = await FileSecretStore.open({ path, masterKey: parseMasterKey(raw.toString('base64'), '/masterKey') });
    await store.close();
    const { keyId, format } = JSON.parse(readFileSync(path, 'utf8')) as { keyId: string; format: string };
    expect(format).toBe('cnmcp-secrets/2');
    for (const plain of [createHash('sha256').update(raw).digest('hex'), createHash('sha256').update('cnmcp-secrets master key id').update(raw).digest('hex')])
      expect(plain.startsWith(keyId)).toBe(false);
  });

  it(`opens a file with a passphrase through scrypt (N=2^${Math.log2(SCRYPT.N)}, r=${SCRYPT.r}, p=${SCRYPT.p}), its salt stored in the file`, async () => {
    const path = dirFile();
    const passphrase = 'passphrase:a long passphrase nobody guesses 7f3a';
    const store = await FileSecretStore.open({ path, masterKey: parseMasterKey(passphrase, '/masterKey') });
    await store.put('db', new Secret('Stretched-Value-1'), { type: 'generic' });
    await store.close();
    const text = readFileSync(path, 'utf8');
    const { kdf } = JSON.parse(text) as { kdf: { name: string; salt: string; N: number; r: number; p: number } };
    expect(kdf).toMatchObject({ name: 'scrypt', N: SCRYPT.N, r: SCRYPT.r, p: SCRYPT.p });
    expect(Buffer.from(kdf.salt, 'base64').length).toBe(16);
    expect(text).not.toContain('a long passphrase');
    const again = await FileSecretStore.open({ path, masterKey: parseMasterKey(passphrase, '/masterKey') });
    expect((await again.get('db')).value.reveal()).toBe('Stretched-Value-1');
    expect((await rejection(FileSecretStore.open({ path, masterKey: parseMasterKey(`${passphrase}!`, '/masterKey') }))).code).toBe('SECRET_FILE_WRONG_KEY');
    // The same passphrase on another file gets another salt, so another key.
    const other = dirFile();
    await (await FileSecretStore.open({ path: other, masterKey: parseMasterKey(passphrase, '/masterKey') })).close();
    expect((JSON.parse(readFileSync(other, 'utf8')) as { kdf: { salt: string } }).kdf.salt).not.toBe(kdf.salt);
  }, 60_000);

  it('refuses a short passphrase', () => {
    expect(() => parseMasterKey('passphrase:hunter2', '/masterKey')).toThrow(/at least 16 characters/);
    expect(() => parseMasterKey(`passphrase:${'ab'.repeat(20)}`, '/masterKey')).toThrow(/at least 16 characters/);
  });
});

describe('format 1 files (before keyed fingerprints) stay readable', () => {
  it('opens a format 1 file under its strong key and rewrites it as format 2, keeping every secret', async () => {
    const path = dirFile();
    copyFileSync(fixture('v1-strong-key'), path);
    const key = parseMasterKey(V1_STRONG, '/masterKey');
    const store = await FileSecretStore.open({ path, masterKey: key });
    expect((await store.get('ops-key')).value.reveal()).toBe(V1_VALUE);
    const body = JSON.parse(readFileSync(path, 'utf8')) as { format: string; keyId: string };
    expect(body).toMatchObject({ format: 'cnmcp-secrets/2', keyId: key.keyFor(undefined).id });
    expect((await (await FileSecretStore.open({ path, masterKey: key })).get('ops-key')).value.reveal()).toBe(V1_VALUE);
  });

  it('refuses a format 1 file whose key is weak, saying how to migrate, and migrates it that way', async () => {
    const path = dirFile();
    copyFileSync(fixture('v1-weak-key'), path);
    const before = readFileSync(path);
    expect(() => parseMasterKey(V1_WEAK, '/masterKey')).toThrow(/previousMasterKeys/);
    expect(readFileSync(path).equals(before)).toBe(true);
    // The way out the message names: a new random key, the weak one kept only to open the file once.
    const next = parseMasterKey(randomBytes(32).toString('base64'), '/masterKey');
    const store = await FileSecretStore.open({
      path,
      masterKey: next,
      previousMasterKeys: [parseMasterKey(V1_WEAK, '/previousMasterKeys/0', { allowWeak: true })],
    });
    expect((await store.get('ops-key')).value.reveal()).toBe(V1_VALUE);
    expect((JSON.parse(readFileSync(path, 'utf8')) as { keyId: string }).keyId).toBe(next.keyFor(undefined).id);
    const weakAlone = parseMasterKey(V1_WEAK, '/previousMasterKeys/0', { allowWeak: true });
    expect((await rejection(FileSecretStore.open({ path, masterKey: weakAlone }))).code).toBe('SECRET_FILE_WRONG_KEY');
  });
});
