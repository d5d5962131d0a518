import type { PluginConfigSchema } from '@cnmcp/core/plugin';
import { backendSchema, isRecord, resolveBackend, type BackendSettings } from './backend/backend-config.js';
import type { PageLimits } from './result/page.js';

export interface PackSettings {
  readonly backend: BackendSettings;
  readonly limits: PageLimits;
  readonly maxQueryLength: number;
}

export const LIMIT_DEFAULT = 50;
export const LIMIT_MAX = 500;
/** No list answer may exceed this, whatever the config says: it has to fit a model's context. */
export const LIMIT_CEILING = 5000;
export const MAX_QUERY_LENGTH = 8192;

const limitsSchema = {
  type: 'object',
  additionalProperties: false,
  default: {},
  description: 'Result sizing of list tools: `limit` defaults to `default` and may not exceed `max`; longer answers are paged with `continue` tokens.',
  properties: {
    default: {
      type: 'integer',
      minimum: 1,
      maximum: LIMIT_CEILING,
      default: LIMIT_DEFAULT,
      description: 'Items per answer when the caller gives no limit.',
    },
    max: { type: 'integer', minimum: 1, maximum: LIMIT_CEILING, default: LIMIT_MAX, description: 'Most items per answer a caller may ask for.' },
  },
} as const;

/** `maxQueryLength`, for the pack that takes queries. */
export const maxQueryLengthSchema = {
  type: 'integer',
  minimum: 16,
  maximum: 65_536,
  default: MAX_QUERY_LENGTH,
  description: 'Longest PromQL expression or selector accepted (characters). Queries are passed through unchanged, never stripped.',
} as const;

/** The options schema of a pack: `backend` and `limits`, plus the pack's own properties. `example` is a typical backend URL. */
export function packSchema<const Own extends Record<string, object>>(example: string, own: Own) {
  return {
    type: 'object',
    additionalProperties: false,
    required: ['backend'],
    properties: { backend: backendSchema(example), limits: limitsSchema, ...own },
  } as const satisfies PluginConfigSchema;
}

/** Fills defaults and checks the backend; throws CnmcpError naming the config path. */
export function resolvePackConfig(raw: unknown): PackSettings {
  const config = isRecord(raw) ? raw : {};
  const limits = isRecord(config.limits) ? config.limits : {};
  const max = Math.min(positive(limits.max, LIMIT_MAX), LIMIT_CEILING);
  return {
    backend: resolveBackend(config.backend, '/backend'),
    limits: { defaultLimit: Math.min(positive(limits.default, LIMIT_DEFAULT), max), maxLimit: max },
    maxQueryLength: positive(config.maxQueryLength, MAX_QUERY_LENGTH),
  };
}

const positive = (value: unknown, fallback: number) => (typeof value === 'number' && Number.isInteger(value) && value >= 1 ? value : fallback);
