import type { ConfigOf, PluginConfigSchema } from '@cnmcp/core/plugin';

export type Mode = 'strip' | 'reject';
/** What a field override may say: a mode for a `filter` field, or `raw` to skip the sanitizer for that field. */
export type FieldMode = Mode | 'raw';

/** Options as written under `sanitizer: { use: injection-filter, ... }`, typed by the schema below. */
export type SanitizeConfig = ConfigOf<typeof configSchema>;

/** Per tool: a mode, and per field a mode or raw. */
export type ToolOverride = NonNullable<SanitizeConfig['overrides']>[string];

const mode = { enum: ['strip', 'reject'] } as const;

export const configSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    mode: {
      ...mode,
      default: 'strip',
      description: 'strip: remove what the filter finds and audit the fields changed; reject: change nothing and fail the call naming the field.',
    },
    maxLength: {
      type: 'integer',
      minimum: 1,
      default: 1000,
      description: 'Filtered strings are cut (strip) or refused (reject) beyond this many characters (code points).',
    },
    maxQueryLength: { type: 'integer', minimum: 1, default: 4000, description: 'Longest `query` field (PromQL, JSONPath); never stripped.' },
    maxUrlLength: { type: 'integer', minimum: 1, default: 2048, description: 'Longest `url` field.' },
    overrides: {
      type: 'object',
      default: {},
      description: 'Per tool (name or pattern with *): a mode, and per field (JSON pointer such as /selector) a mode or raw (not filtered).',
      propertyNames: { minLength: 1 },
      additionalProperties: {
        type: 'object',
        additionalProperties: false,
        properties: {
          mode,
          fields: {
            type: 'object',
            propertyNames: { pattern: '^/', description: 'A JSON pointer, starting with /.' },
            additionalProperties: { enum: ['strip', 'reject', 'raw'] },
          },
        },
      },
    },
  },
} as const satisfies PluginConfigSchema;
