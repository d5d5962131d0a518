import type { ConfigOf, PluginConfigSchema } from '@cnmcp/core/plugin';

export const DEFAULT_DENY_PATTERNS: readonly string[] = ['ignore (all |any )?(previous|prior) instructions', '<\\s*script\\b'];

export const configSchema = {
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
} as const satisfies PluginConfigSchema;

/** Options as `setup` receives them: typed by the schema above, defaults filled in by the kernel. */
export type MyPluginConfig = ConfigOf<typeof configSchema>;
