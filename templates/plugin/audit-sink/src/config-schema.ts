import type { ConfigOf, PluginConfigSchema } from '@cnmcp/core/plugin';

export const configSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['path'],
  properties: {
    path: { type: 'string', minLength: 1, description: 'File the events are appended to, one JSON object per line (relative to the working directory).' },
    failClosed: {
      type: 'boolean',
      default: false,
      description: 'When true, a request whose event cannot be written here fails (HTTP 503 / JSON-RPC -31050) instead of being answered unaudited.',
    },
  },
} as const satisfies PluginConfigSchema;

/** Options as `setup` receives them: typed by the schema above, defaults filled in by the kernel. */
export type MyPluginConfig = ConfigOf<typeof configSchema>;
