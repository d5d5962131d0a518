import type { ConfigOf, PluginConfigSchema } from '@cnmcp/core/plugin';

/** Options as written under `auth: [{ use: apikey, ... }]`, typed by the schema below. */
export type ApiKeyConfig = ConfigOf<typeof configSchema>;

/** One `keys` entry: a key written in the config, or the name of a stored secret. */
export type ApiKeyEntry = ApiKeyConfig['keys'][number];

/** One accepted key value: a configured key, or one live version of a stored secret. */
export type ResolvedApiKey = Omit<ApiKeyEntry, 'key' | 'secret'> & { readonly key: string };

export const DEFAULT_HEADER = 'x-api-key';

// Key strength is checked in setup, not here: at validation time a `${secret:...}` reference is still unresolved.
export const configSchema = {
  type: 'object',
  properties: {
    keys: {
      type: 'array',
      minItems: 1,
      description: 'The accepted keys. Each must meet the API key complexity rule; startup is refused otherwise.',
      items: {
        type: 'object',
        properties: {
          id: { type: 'string', pattern: '^[A-Za-z0-9._:@-]{1,128}$', description: 'Names the key in audit records; becomes the identity id.' },
          key: {
            type: 'string',
            'x-cnmcp-secret': true,
            description: 'The key, usually `${env:NAME}` or `${secret:NAME}` (resolved at startup). Exactly one of `key` or `secret`.',
          },
          secret: {
            type: 'string',
            pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$',
            description:
              'Name of an apikey secret in the `secrets:` store. Every live version is accepted (old ones through their rotation grace period) and rotations apply without a restart.',
          },
          roles: { type: 'array', items: { type: 'string', minLength: 1 }, description: 'Roles of the identity this key authenticates.' },
          expiresAt: { type: 'string', format: 'date-time', description: 'RFC 3339 time after which the key is refused.' },
        },
        required: ['id', 'roles'],
        oneOf: [{ required: ['key'] }, { required: ['secret'] }],
        additionalProperties: false,
      },
    },
    allowQueryParam: { type: 'boolean', default: false, description: 'Also accept `?api_key=` (URLs get logged: avoid).' },
    header: { type: 'string', pattern: '^[A-Za-z0-9-]+$', default: DEFAULT_HEADER, description: 'Header carrying the key, any case.' },
  },
  required: ['keys'],
  additionalProperties: false,
} as const satisfies PluginConfigSchema;
