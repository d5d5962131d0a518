import type { ConfigOf, PluginConfigSchema } from '@cnmcp/core/plugin';

/** Options as written under `auth: [{ use: basic, ... }]`, typed by the schema below. */
export type BasicConfig = ConfigOf<typeof configSchema>;

/** One user: `passwordHash` (scrypt or bcrypt) or `password` (only as a reference, hashed at load). */
export type BasicUser = BasicConfig['users'][number];

// "Exactly one of passwordHash / password", non-empty values and hash strength are checked in setup, where the
// message can name the user (and a `${secret:...}` reference has been resolved).
export const configSchema = {
  type: 'object',
  properties: {
    users: {
      type: 'array',
      minItems: 1,
      description: 'The accepted users. Each has exactly one of passwordHash or password.',
      items: {
        type: 'object',
        properties: {
          username: { type: 'string', description: 'Becomes the identity id; no colon, no control characters.' },
          passwordHash: { type: 'string', description: 'scrypt hash from `cnmcp auth hash-password`, or a bcrypt hash ($2a$/$2b$/$2y$).' },
          password: {
            type: 'string',
            'x-cnmcp-secret': true,
            description: 'Plaintext, only as `${env:NAME}` or `${secret:NAME}`; hashed with scrypt at load.',
          },
          roles: { type: 'array', items: { type: 'string', minLength: 1 }, description: 'Roles of the identity this user authenticates as.' },
        },
        required: ['username', 'roles'],
        additionalProperties: false,
      },
    },
  },
  required: ['users'],
  additionalProperties: false,
} as const satisfies PluginConfigSchema;
