import { InputError } from '../result/guarded.js';

/**
 * One label matcher, structured so each part gets the right sanitize policy: a plain `value` is filtered like any
 * free text, a `regex` is a pattern language (like PromQL) passed through unchanged and only bounded.
 */
export interface Matcher {
  readonly name: string;
  readonly value?: string;
  readonly regex?: string;
  /** Match labels that do NOT equal the value / match the regex. */
  readonly negate?: boolean;
}

export const matcherSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['name'],
  properties: {
    name: {
      type: 'string',
      pattern: '^[a-zA-Z_][a-zA-Z0-9_]*$',
      maxLength: 256,
      'x-cnmcp-sanitize': 'filter',
      description: 'Label name, e.g. alertname, severity, namespace.',
    },
    value: { type: 'string', maxLength: 1024, 'x-cnmcp-sanitize': 'filter', description: 'Exact label value. Give value or regex, not both.' },
    regex: {
      type: 'string',
      minLength: 1,
      maxLength: 1024,
      'x-cnmcp-sanitize': 'query',
      description: 'RE2 regular expression the whole label value must match, e.g. critical|warning.',
    },
    negate: { type: 'boolean', default: false, description: 'Match alerts whose label does NOT equal the value (or match the regex).' },
  },
} as const;

export const matchersSchema = (description: string, minItems = 0) => ({
  type: 'array',
  items: matcherSchema,
  maxItems: 20,
  ...(minItems ? { minItems } : {}),
  description,
});

function check(m: Matcher): void {
  if ((m.value === undefined) === (m.regex === undefined)) throw new InputError(`matcher on ${JSON.stringify(m.name)} needs exactly one of value and regex.`);
}

/** Alertmanager's matcher syntax for the v2 `filter` query parameter: `severity=~"critical|warning"`. */
export function filterParam(matchers: readonly Matcher[] | undefined): string[] | undefined {
  if (!matchers?.length) return undefined;
  return matchers.map((m) => {
    check(m);
    return matcherText(m);
  });
}

export function matcherText(m: Matcher): string {
  const op = m.regex !== undefined ? (m.negate ? '!~' : '=~') : m.negate ? '!=' : '=';
  return `${m.name}${op}${JSON.stringify(m.regex ?? m.value ?? '')}`;
}

/** The v2 API's silence matcher. */
export interface ApiMatcher {
  readonly name: string;
  readonly value: string;
  readonly isRegex: boolean;
  readonly isEqual?: boolean;
}

export function toApiMatcher(m: Matcher): ApiMatcher {
  check(m);
  return { name: m.name, value: m.regex ?? m.value ?? '', isRegex: m.regex !== undefined, isEqual: m.negate !== true };
}

export function apiMatcherText(m: ApiMatcher): string {
  const op = m.isRegex ? (m.isEqual === false ? '!~' : '=~') : m.isEqual === false ? '!=' : '=';
  return `${m.name}${op}${JSON.stringify(m.value)}`;
}
