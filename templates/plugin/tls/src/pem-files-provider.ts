import { unwatchFile, watchFile, type Stats } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createSecureContext } from 'node:tls';
import { CnmcpError, type TlsProvider } from '@cnmcp/core/plugin';
import type { MyPluginConfig } from './config-schema.js';

/**
 * The example provider: a certificate and key from PEM files, reloaded when either file changes (cert-manager,
 * certbot and friends replace them in place). A pair that does not load is refused at startup, and a broken
 * replacement keeps the certificate being served, so a bad renewal never takes the listener down.
 */
export function createPemFilesProvider(config: MyPluginConfig): TlsProvider {
  const listeners = new Set<() => void>();
  let current: Promise<{ cert: Buffer; key: Buffer }> | undefined;

  const load = async () => {
    const [cert, key] = await Promise.all([readFile(config.certFile), readFile(config.keyFile)]);
    try {
      createSecureContext({ cert, key }); // throws on a malformed or mismatched pair
    } catch (error) {
      throw new CnmcpError('TLS_INVALID', `${config.certFile} and ${config.keyFile} are not a usable certificate and key: ${(error as Error).message}`);
    }
    return { cert, key };
  };

  const onFileChange = (now: Stats, before: Stats) => {
    if (now.mtimeMs === before.mtimeMs && now.size === before.size) return;
    const next = load();
    next.then(
      () => {
        current = next;
        for (const listener of listeners) listener();
      },
      () => {
        // Half-written or mismatched files: keep serving the previous pair; the next change tries again.
      },
    );
  };
  for (const file of [config.certFile, config.keyFile]) watchFile(file, { interval: config.pollIntervalMs, persistent: false }, onFileChange);

  return {
    async secureContext() {
      current ??= load();
      return current;
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      for (const file of [config.certFile, config.keyFile]) unwatchFile(file, onFileChange);
      listeners.clear();
    },
  };
}
