import type { ConfigOf, PluginConfigSchema } from '@cnmcp/core/plugin';

export const SECRET_NAME_PATTERN = '^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$';

export const configSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    initial: {
      type: 'object',
      default: {},
      propertyNames: { pattern: SECRET_NAME_PATTERN },
      additionalProperties: { type: 'string', minLength: 1 },
      description: 'Secrets the store starts with, by name. Reference their values with ${env:NAME} or ${file:./path}.',
    },
  },
} as const satisfies PluginConfigSchema;

/** Options as `setup` receives them: typed by the schema above, defaults filled in by the kernel. */
export type MyPluginConfig = ConfigOf<typeof configSchema>;
