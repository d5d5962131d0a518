import { DURATION_PATTERN, TIME_PATTERN } from './prom-time.js';

export const LABEL_NAME_PATTERN = '^[a-zA-Z_][a-zA-Z0-9_]*$';
export const METRIC_NAME_PATTERN = '^[a-zA-Z_:][a-zA-Z0-9_:]*$';

/** A PromQL expression: passed to Prometheus as written, never stripped, only bounded. */
export const promql = (maxLength: number, description: string) => ({ type: 'string', minLength: 1, maxLength, 'x-cnmcp-sanitize': 'query', description });

export const time = (description: string) => ({ type: 'string', pattern: TIME_PATTERN, maxLength: 40, 'x-cnmcp-sanitize': 'filter', description });

export const duration = (description: string) => ({ type: 'string', pattern: DURATION_PATTERN, maxLength: 32, 'x-cnmcp-sanitize': 'filter', description });

/** Series selectors (`match[]`) limiting series, label names or label values. */
export const selectors = (maxLength: number, required: boolean) => ({
  type: 'array',
  ...(required ? { minItems: 1 } : {}),
  maxItems: 20,
  items: promql(maxLength, 'A series selector, e.g. up{job="api"} or {__name__=~"http_.*"}.'),
  description: required ? 'Series selectors; series matching any of them are returned.' : 'Only consider series matching any of these selectors.',
});

export const labelName = (description: string) => ({ type: 'string', pattern: LABEL_NAME_PATTERN, maxLength: 256, 'x-cnmcp-sanitize': 'filter', description });

export const labelsOutput = { type: 'object', additionalProperties: { type: 'string' } } as const;

export const readOnly = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false } as const;
