import type { PluginConfigSchema } from '@cnmcp/core/plugin';

/** Options as written in the config file, after the kernel filled the defaults below. */
export interface MyPluginConfig {
  /** PEM certificate chain, leaf first. */
  readonly certFile: string;
  /** PEM private key of the leaf certificate. */
  readonly keyFile: string;
  /** How often the files are checked for a new certificate, in milliseconds. */
  readonly pollIntervalMs: number;
}

export const DEFAULT_POLL_INTERVAL_MS = 5000;

export const configSchema: PluginConfigSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['certFile', 'keyFile'],
  properties: {
    certFile: { type: 'string', minLength: 1, description: 'PEM certificate chain, leaf first (relative to the working directory).' },
    keyFile: { type: 'string', minLength: 1, description: 'PEM private key of the leaf certificate.' },
    pollIntervalMs: {
      type: 'integer',
      minimum: 100,
      maximum: 3_600_000,
      default: DEFAULT_POLL_INTERVAL_MS,
      description: 'How often the files are checked; a changed file is loaded without a restart.',
    },
  },
};
