import type { ConfigOf, PluginConfigSchema } from '@cnmcp/core/plugin';

export const DEFAULT_MAX_TEXT_LENGTH = 10_000;

/**
 * Validated by the kernel before setup runs: unknown keys and wrong types stop the server naming the config path.
 * Descriptions show up in `cnmcp config schema` and editors.
 */
export const configSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    maxTextLength: {
      type: 'integer',
      minimum: 1,
      maximum: 1_000_000,
      default: DEFAULT_MAX_TEXT_LENGTH,
      description: 'Longest text my_plugin_count_words accepts, in characters. Advertised as the maxLength of its `text` argument.',
    },
  },
} as const satisfies PluginConfigSchema;

/** Options as `setup` receives them: typed by the schema above, defaults filled in by the kernel. */
export type MyPluginConfig = ConfigOf<typeof configSchema>;
