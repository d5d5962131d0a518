import type { ConfigOf, PluginConfigSchema } from '@cnmcp/core/plugin';
import { listenerDependencies, listenerProperties } from '../shared/listener-options.js';

/** Options as written under `tls: { use: file, ... }`, typed by the schema below. */
export type FileTlsConfig = ConfigOf<typeof configSchema>;

export const configSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['cert', 'key'],
  properties: {
    cert: {
      type: 'string',
      minLength: 1,
      description: 'PEM file with the server certificate (then any intermediates), relative to the working directory. Watched and reloaded on change.',
    },
    key: { type: 'string', minLength: 1, description: 'PEM file with the unencrypted private key of `cert`. Watched and reloaded on change.' },
    ...listenerProperties,
    reloadDebounceMs: {
      type: 'integer',
      minimum: 0,
      default: 250,
      description: 'After a change to cert, key or ca, wait this long for the other files to be written before reloading.',
    },
  },
  dependentRequired: listenerDependencies,
} as const satisfies PluginConfigSchema;
