import type { ConfigOf, PluginConfigSchema } from '@cnmcp/core/plugin';

/** Options as written under `audit: [{ use: postgres, ... }]`, typed by the schema below. */
export type PostgresSinkConfig = ConfigOf<typeof configSchema>;

export const configSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['url'],
  properties: {
    url: {
      type: 'string',
      minLength: 1,
      description:
        'Connection URL, `postgres://user:password@host:5432/database?sslmode=verify-full`. It holds a password: use `${env:AUDIT_PG}` or `${secret:NAME}`.',
    },
    table: {
      type: 'string',
      // Interpolated into SQL as a quoted identifier: only plain lower-case names, optionally schema-qualified, with
      // room for the `_migrations` and index suffixes within PostgreSQL's 63-byte identifiers.
      pattern: '^([a-z_][a-z0-9_]{0,47}\\.)?[a-z_][a-z0-9_]{0,47}$',
      default: 'cnmcp_audit',
      description: 'The events table, `name` or `schema.name` (lower case, digits and `_`). Created if missing, with `<table>_migrations` beside it.',
    },
    failClosed: { type: 'boolean', default: false, description: 'A request fails (HTTP 503 / JSON-RPC -31050) when its event cannot be written here.' },
    poolMax: { type: 'integer', minimum: 1, maximum: 100, default: 5, description: 'Connections this server process keeps to the database at most.' },
    retentionDays: {
      type: 'integer',
      minimum: 1,
      description: 'Events older than this are deleted at startup and once a day. Without it, events are kept until deleted by hand.',
    },
  },
} as const satisfies PluginConfigSchema;
