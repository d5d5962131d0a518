import type { PluginConfigSchema } from '@cnmcp/core/plugin';

/** Options as written in the config file, after the kernel filled the defaults below. */
export interface MyPluginConfig {
  /** File the events are appended to, one JSON object per line. */
  readonly path: string;
  /** Fail a request whose event cannot be written here. */
  readonly failClosed: boolean;
}

export const configSchema: PluginConfigSchema = {
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
};
