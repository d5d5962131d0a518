import type { PluginConfigSchema } from '@cnmcp/core/plugin';

/** Options as written in the config file, after the kernel filled the defaults below. */
export interface MyPluginConfig {
  /** Identities with any of these roles may call every tool; everyone else only read-only ones. */
  readonly writerRoles: readonly string[];
}

export const DEFAULT_WRITER_ROLES: readonly string[] = ['admin'];

export const configSchema: PluginConfigSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    writerRoles: {
      type: 'array',
      items: { type: 'string', minLength: 1 },
      default: DEFAULT_WRITER_ROLES,
      description: 'Roles that may call tools which can change state. Everyone else may call only tools annotated readOnlyHint: true.',
    },
  },
};
