import { definePlugin, type SanitizeOutcome, type Sanitizer } from '@cnmcp/core/plugin';
import { configSchema, type SanitizeConfig } from './config-schema.js';
import { checkIdentifier, checkQuery, checkUrl } from './field-policies.js';
import { findInjection, stripInjection } from './injection-filter.js';
import { modeResolver } from './mode-overrides.js';

const verdict = (value: string, problem: string | undefined): SanitizeOutcome => (problem === undefined ? { value } : { reject: problem });

/**
 * The sanitizer port. `identifier`, `url` and `query` fields are checked the same way in either mode (they are the
 * tool author's contract, never rewritten); the mode and its overrides decide only how `filter` fields are
 * treated. A field override `raw` skips the sanitizer for that field whatever its policy.
 */
export function createInjectionFilter(config: SanitizeConfig): Sanitizer {
  const modeOf = modeResolver(config);
  return {
    sanitize(value, policy, path, tool) {
      const mode = modeOf(tool, path);
      if (policy === 'raw' || mode === 'raw') return { value };
      switch (policy) {
        case 'identifier':
          return verdict(value, checkIdentifier(value));
        case 'url':
          return verdict(value, checkUrl(value, config.maxUrlLength));
        case 'query':
          return verdict(value, checkQuery(value, config.maxQueryLength));
        case 'filter':
          return mode === 'strip' ? { value: stripInjection(value, config.maxLength) } : verdict(value, findInjection(value, config.maxLength));
        default:
          // A policy this version does not know (a typo in a schema): refuse rather than pass it through.
          return { reject: `unknown sanitize policy ${JSON.stringify(policy as string)}` };
      }
    },
  };
}

/**
 * The security guide's injection filter. Select it with `sanitize: { use: injection-filter, mode: strip | reject }`;
 * tool authors choose a field's policy with `x-cnmcp-sanitize: filter | identifier | url | query | raw`.
 */
export default definePlugin({
  kind: 'sanitizer',
  name: 'injection-filter',
  description: 'The security guide injection filter (strip or reject), with identifier, url, query and raw field policies.',
  configSchema,
  async setup({ config }) {
    return createInjectionFilter(config);
  },
});
