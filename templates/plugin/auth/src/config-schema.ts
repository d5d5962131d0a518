import type { ConfigOf, PluginConfigSchema } from '@cnmcp/core/plugin';

export const DEFAULT_HEADER = 'x-my-plugin-token';

/** Validated by the kernel before setup runs; a short token or an unknown key stops the server naming its path. */
export const configSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['tokens'],
  properties: {
    header: {
      type: 'string',
      pattern: '^[A-Za-z0-9-]+$',
      default: DEFAULT_HEADER,
      description: 'Request header carrying the token.',
    },
    tokens: {
      type: 'array',
      minItems: 1,
      description: 'Accepted tokens. Write them as ${env:NAME}, ${file:./path} or ${secret:NAME}, never inline.',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'token'],
        properties: {
          id: { type: 'string', minLength: 1, description: 'Identity id of whoever presents this token (audit, authorization).' },
          token: { type: 'string', minLength: 16, description: 'The token, at least 16 characters.' },
          roles: { type: 'array', items: { type: 'string', minLength: 1 }, default: [], description: 'Roles the authorizer sees.' },
        },
      },
    },
  },
} as const satisfies PluginConfigSchema;

/** Options as `setup` receives them: typed by the schema above, defaults filled in by the kernel. */
export type MyPluginConfig = ConfigOf<typeof configSchema>;

/** One accepted token and who presenting it is. */
export type TokenEntry = MyPluginConfig['tokens'][number];
