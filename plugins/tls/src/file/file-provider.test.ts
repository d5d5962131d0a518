import { copyFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { AuditInput } from '@cnmcp/core/plugin';
import { silentLogger } from '@cnmcp/core/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestCa, type IssuedCert, type TestCa } from '../../../../test/support/test-pki.js';
import { FileTlsProvider } from './file-provider.js';

describe('FileTlsProvider reloads', () => {
  let ca: TestCa;
  let one: IssuedCert;
  let two: IssuedCert;
  beforeAll(async () => {
    ca = await createTestCa('reload');
    [one, two] = await Promise.all([ca.issueServer('one'), ca.issueServer('two')]);
  });
  afterAll(() => ca?.remove());

  const open = async (name: string) => {
    const dir = join(ca.dir, name);
    await mkdir(dir);
    await copyFile(one.certPath, join(dir, 'cert.pem'));
    await copyFile(one.keyPath, join(dir, 'key.pem'));
    const audit: AuditInput[] = [];
    const provider = await FileTlsProvider.open(
      { cert: join(dir, 'cert.pem'), key: join(dir, 'key.pem'), minVersion: 'TLSv1.2', reloadDebounceMs: 20 },
      silentLogger,
      { emit: (e) => void audit.push(e) },
    );
    return { dir, audit, provider };
  };

  it('keeps the previous pair while a half-written update has a new certificate and the old key, then applies the pair', async () => {
    const { dir, audit, provider } = await open('half');
    let changes = 0;
    provider.onChange(() => changes++);
    try {
      const before = (await provider.secureContext()).cert;
      await copyFile(two.certPath, join(dir, 'cert.pem'));
      await vi.waitFor(() => expect(audit.map((e) => e.type)).toContain('tls.reload_failed'), { timeout: 5000 });
      expect(audit.find((e) => e.type === 'tls.reload_failed')).toMatchObject({ outcome: 'failure', error: { code: 'TLS_KEY_MISMATCH' } });
      expect((await provider.secureContext()).cert).toBe(before);
      expect(changes).toBe(0);

      await copyFile(two.keyPath, join(dir, 'key.pem'));
      await vi.waitFor(() => expect(changes).toBe(1), { timeout: 5000 });
      expect((await provider.secureContext()).cert).not.toBe(before);
      expect(audit.filter((e) => e.type === 'tls.reloaded')).toHaveLength(1);
    } finally {
      await provider.close();
    }
  });

  it('ignores a touch that changes nothing', async () => {
    const { dir, audit, provider } = await open('touch');
    try {
      await copyFile(one.certPath, join(dir, 'cert.pem'));
      await provider.reload();
      expect(audit).toEqual([]);
    } finally {
      await provider.close();
    }
  });
});
