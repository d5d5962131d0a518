import { resolve } from 'node:path';
import { CnmcpError, definePlugin } from '@cnmcp/core/plugin';
import { FileSecretStore } from './file-store.js';
import { parseMasterKey } from './master-key.js';

/**
 * Secrets encrypted at rest (AES-256-GCM, envelope-encrypted data key) in one 0600 file shared by the server and
 * the `cnmcp secrets` commands.
 *
 * @example
 * secrets:
 *   use: file
 *   path: ./data/secrets.json
 *   masterKey: "${env:CNMCP_MASTER_KEY}"   # openssl rand -base64 32, or passphrase:${env:PASSPHRASE}
 */
export default definePlugin({
  kind: 'secret-store',
  name: 'file',
  description: 'Secrets encrypted at rest in one file (AES-256-GCM per version, data key wrapped by the master key); shared with the CLI.',
  configSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['path', 'masterKey'],
    properties: {
      path: { type: 'string', minLength: 1, description: 'The secrets file (created 0600 when missing), relative to the working directory.' },
      masterKey: {
        type: 'string',
        'x-cnmcp-secret': true,
        minLength: 1,
        description:
          'Key-encryption key: 32 random bytes as base64 or hex (`openssl rand -base64 32`; weak keys are refused), or `passphrase:<16+ characters>` stretched with scrypt. Use `${env:...}` or `${file:...}`, never a literal.',
      },
      previousMasterKeys: {
        type: 'array',
        items: { type: 'string', minLength: 1, 'x-cnmcp-secret': true },
        description: 'Master keys being retired: a file written under one is re-wrapped under `masterKey` at startup. Remove them afterwards.',
      },
      pollIntervalMs: {
        type: 'integer',
        minimum: 0,
        maximum: 60_000,
        default: 1000,
        description: 'How often the file is checked for changes by other processes (the CLI, other replicas); 0 turns it off.',
      },
    },
  },
  async setup({ config, logger }) {
    const masterKey = parseMasterKey(config.masterKey, '/masterKey');
    const previousMasterKeys = (config.previousMasterKeys ?? []).map((k, i) => parseMasterKey(k, `/previousMasterKeys/${i}`, { allowWeak: true }));
    const path = resolve(config.path);
    try {
      return await FileSecretStore.open({ path, masterKey, previousMasterKeys, pollIntervalMs: config.pollIntervalMs ?? 1000, logger });
    } catch (error) {
      if (error instanceof CnmcpError) throw error;
      throw new CnmcpError('SECRET_FILE_UNREADABLE', `cannot open the secrets file ${path}: ${(error as Error).message}`, { cause: error });
    }
  },
});
