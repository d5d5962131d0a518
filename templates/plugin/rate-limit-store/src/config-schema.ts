import type { ConfigOf, PluginConfigSchema } from '@cnmcp/core/plugin';

export const DEFAULT_MAX_KEYS = 100_000;

export const configSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    maxKeys: {
      type: 'integer',
      minimum: 1,
      default: DEFAULT_MAX_KEYS,
      description:
        'Most keys (client addresses, identities) tracked at once. When full, a new key is refused rather than tracked: memory stays bounded under a flood of addresses.',
    },
  },
} as const satisfies PluginConfigSchema;

/** Options as `setup` receives them: typed by the schema above, defaults filled in by the kernel. */
export type MyPluginConfig = ConfigOf<typeof configSchema>;
