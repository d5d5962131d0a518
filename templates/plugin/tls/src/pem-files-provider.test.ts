import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createPemFilesProvider } from './pem-files-provider.js';
import { selfSigned } from './testing/self-signed.js';

describe('PEM files provider', () => {
  it('serves the certificate and key from the files', async () => {
    const files = selfSigned();
    const provider = createPemFilesProvider({ ...files, pollIntervalMs: 100 });
    try {
      const context = await provider.secureContext();
      expect(String(context.cert)).toContain('BEGIN CERTIFICATE');
      expect(String(context.key)).toContain('PRIVATE KEY');
    } finally {
      await provider.close?.();
    }
  });

  it('refuses files that are not a certificate and its key', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'my-plugin-tls-'));
    const other = selfSigned(dir, 'other');
    const files = selfSigned(dir, 'server');
    writeFileSync(join(dir, 'junk.pem'), 'not a certificate');
    for (const config of [
      { certFile: join(dir, 'junk.pem'), keyFile: files.keyFile },
      { certFile: files.certFile, keyFile: other.keyFile },
    ]) {
      const provider = createPemFilesProvider({ ...config, pollIntervalMs: 100 });
      await expect(provider.secureContext()).rejects.toMatchObject({ code: 'TLS_INVALID' });
      await provider.close?.();
    }
  });
});
