import type { PluginConfigSchema } from '@cnmcp/core/plugin';

/** Options as written in the config file, after the kernel filled the defaults below. */
export interface MyPluginConfig {
  /** Most keys tracked at once; beyond it, expired windows are swept and new keys are refused. */
  readonly maxKeys: number;
}

export const DEFAULT_MAX_KEYS = 100_000;

export const configSchema: PluginConfigSchema = {
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
};
