import { resolve } from 'node:path';
import { CnmcpError, definePlugin } from '@cnmcp/core/plugin';
import { configSchema } from './config-schema.js';
import { FileSink } from './file-sink.js';

/** `audit: [{ use: file, path: ./data/audit.jsonl }]`: JSON Lines, append-only, 0600, rotated, fail-closed by default. */
export default definePlugin({
  kind: 'audit-sink',
  name: 'file',
  description: 'Audit events as JSON Lines in an append-only file (mode 0600), rotated by size, gzip-compressed, kept for retentionDays.',
  configSchema,
  async setup({ config, logger }) {
    const path = resolve(config.path);
    try {
      return await FileSink.open({ ...config, path }, logger);
    } catch (error) {
      throw new CnmcpError('AUDIT_FILE_UNWRITABLE', `cannot open the audit file ${path}: ${(error as Error).message}`, { cause: error });
    }
  },
});
