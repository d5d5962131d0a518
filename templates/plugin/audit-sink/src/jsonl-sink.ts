import { mkdir, open, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { AuditSink } from '@cnmcp/core/plugin';
import type { MyPluginConfig } from './config-schema.js';

/**
 * The example sink: appends each batch to a JSON-lines file. Events arrive complete (ids, chain fields, hash) and are
 * stored exactly as given, so `cnmcp audit verify` can check them. `write` rejects when anything was not stored; the
 * kernel retries, counts the loss or, with `failClosed`, fails the request.
 */
export function createJsonlSink(config: MyPluginConfig): AuditSink {
  let file: Promise<FileHandle> | undefined;
  // Opened on first write, owner-only: audit records name who did what.
  const handle = () => (file ??= mkdir(dirname(config.path), { recursive: true }).then(() => open(config.path, 'a', 0o600)));
  return {
    failClosed: config.failClosed,
    async write(batch) {
      if (batch.length === 0) return;
      // One appendFile per batch: it writes the whole string or rejects.
      await (await handle()).appendFile(batch.map((event) => `${JSON.stringify(event)}\n`).join(''));
    },
    async close() {
      const opened = file;
      file = undefined;
      if (opened) await (await opened).close();
    },
  };
}
