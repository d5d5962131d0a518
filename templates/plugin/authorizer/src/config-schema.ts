import type { ConfigOf, PluginConfigSchema } from '@cnmcp/core/plugin';

export const DEFAULT_WRITER_ROLES: readonly string[] = ['admin'];

export const configSchema = {
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
} as const satisfies PluginConfigSchema;

/** Options as `setup` receives them: typed by the schema above, defaults filled in by the kernel. */
export type MyPluginConfig = ConfigOf<typeof configSchema>;
