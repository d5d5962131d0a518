import type { PluginConfigSchema } from '@cnmcp/core/plugin';

/** Options as written in the config file, after the kernel filled the defaults below. */
export interface MyPluginConfig {
  /** Secrets the store starts with, by name (values usually `${env:...}` or `${file:...}`). */
  readonly initial: Readonly<Record<string, string>>;
}

export const SECRET_NAME_PATTERN = '^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$';

export const configSchema: PluginConfigSchema = {
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
};
