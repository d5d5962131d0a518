import type { PluginConfigSchema } from '@cnmcp/core/plugin';
import { listenerDependencies, listenerProperties, type ListenerOptions } from '../shared/listener-options.js';

export interface FileTlsConfig extends ListenerOptions {
  readonly cert: string;
  readonly key: string;
  readonly reloadDebounceMs: number;
}

export const configSchema: PluginConfigSchema = {
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
};
