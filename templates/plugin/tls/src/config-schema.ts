import type { ConfigOf, PluginConfigSchema } from '@cnmcp/core/plugin';

export const DEFAULT_POLL_INTERVAL_MS = 5000;

export const configSchema = {
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
} as const satisfies PluginConfigSchema;

/** Options as `setup` receives them: typed by the schema above, defaults filled in by the kernel. */
export type MyPluginConfig = ConfigOf<typeof configSchema>;
