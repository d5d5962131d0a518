import type { ConfigOf, PluginConfigSchema } from '@cnmcp/core/plugin';

/** Options as written under `audit: [{ use: file, ... }]`, typed by the schema below. */
export type FileSinkConfig = ConfigOf<typeof configSchema>;

export const configSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['path'],
  properties: {
    path: {
      type: 'string',
      minLength: 1,
      description: 'The JSON Lines file (created 0600, its directory 0700 if missing), relative to the working directory.',
    },
    failClosed: { type: 'boolean', default: true, description: 'A tool call fails (-31050) when its event cannot be written here.' },
    maxSizeBytes: { type: 'integer', minimum: 1024, default: 52428800, description: 'Rotate before the file would grow past this size.' },
    retentionDays: { type: 'integer', minimum: 1, default: 90, description: 'Rotated files older than this are deleted (at setup and after each rotation).' },
    gzip: { type: 'boolean', default: true, description: 'Compress rotated files.' },
  },
} as const satisfies PluginConfigSchema;
