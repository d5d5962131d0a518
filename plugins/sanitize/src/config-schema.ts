import type { PluginConfigSchema } from '@cnmcp/core/plugin';

export type Mode = 'strip' | 'reject';

export interface SanitizeConfig {
  readonly mode: Mode;
  readonly maxLength: number;
  readonly maxQueryLength: number;
  readonly maxUrlLength: number;
  readonly overrides: Readonly<Record<string, { readonly mode?: Mode; readonly fields?: Readonly<Record<string, Mode | 'raw'>> }>>;
}

const mode = { enum: ['strip', 'reject'] };

export const configSchema: PluginConfigSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    mode: { ...mode, default: 'strip', description: 'strip: remove what the filter finds and audit the fields changed; reject: change nothing and fail the call naming the field.' },
    maxLength: { type: 'integer', minimum: 1, default: 1000, description: 'Filtered strings are cut (strip) or refused (reject) beyond this many characters (code points).' },
    maxQueryLength: { type: 'integer', minimum: 1, default: 4000, description: 'Longest `query` field (PromQL, JSONPath); never stripped.' },
    maxUrlLength: { type: 'integer', minimum: 1, default: 2048, description: 'Longest `url` field.' },
    overrides: {
      type: 'object',
      default: {},
      description: 'Per tool (name or pattern with *): a mode, and per field (JSON pointer such as /selector) a mode or raw (not filtered).',
      additionalProperties: {
        type: 'object',
        additionalProperties: false,
        properties: {
          mode,
          fields: { type: 'object', additionalProperties: { enum: ['strip', 'reject', 'raw'] } },
        },
      },
    },
  },
};
