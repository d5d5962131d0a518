import type { PluginConfigSchema } from '@cnmcp/core/plugin';

export interface RoleConfig {
  readonly tools: readonly string[];
  readonly deny?: readonly string[];
  readonly readOnly?: boolean;
}

export interface RbacConfig {
  readonly readOnly?: boolean;
  readonly roles: Readonly<Record<string, RoleConfig>>;
  readonly defaultRoles?: readonly string[];
}

const patterns = (description: string) => ({
  type: 'array',
  description,
  items: { type: 'string', minLength: 1 },
});

const roleSchema = {
  type: 'object',
  description: 'One role: the tools it may call.',
  properties: {
    tools: patterns('Tool-name globs this role may call (`*` any run of characters, `?` one; whole name, case-sensitive).'),
    deny: patterns('Tool-name globs this role may not call, even when `tools` matches them.'),
    readOnly: { type: 'boolean', default: false, description: 'Allow only tools annotated `readOnlyHint: true`.' },
  },
  required: ['tools'],
  additionalProperties: false,
};

export const configSchema: PluginConfigSchema = {
  type: 'object',
  properties: {
    readOnly: { type: 'boolean', default: false, description: 'Read-only server: every identity may call only tools annotated `readOnlyHint: true`.' },
    roles: {
      type: 'object',
      description: 'Role name to the tools that role may call. An identity may call a tool when any of its roles allows it.',
      minProperties: 1,
      propertyNames: { minLength: 1 },
      additionalProperties: roleSchema,
    },
    defaultRoles: {
      type: 'array',
      default: [],
      description: 'Roles given to an identity that has none (e.g. `anonymous` when no auth is configured). Empty: such identities may call nothing.',
      items: { type: 'string', minLength: 1 },
    },
  },
  required: ['roles'],
  additionalProperties: false,
};
