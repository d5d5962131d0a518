import type { PluginConfigSchema } from '@cnmcp/core/plugin';

/** Options as written in the config file, after the kernel filled the defaults below. */
export interface MyPluginConfig {
  /** Regular expressions (case-insensitive) a string argument must not match. */
  readonly denyPatterns: readonly string[];
}

export const DEFAULT_DENY_PATTERNS: readonly string[] = ['ignore (all |any )?(previous|prior) instructions', '<\\s*script\\b'];

export const configSchema: PluginConfigSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    denyPatterns: {
      type: 'array',
      items: { type: 'string', minLength: 1, maxLength: 500 },
      default: DEFAULT_DENY_PATTERNS,
      description: 'Regular expressions (case-insensitive); a string argument matching one is rejected, unless its field is marked x-cnmcp-sanitize: raw.',
    },
  },
};
