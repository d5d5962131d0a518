import { definePlugin, type SanitizeOutcome, type Sanitizer } from '@cnmcp/core/plugin';
import { configSchema, type Mode, type SanitizeConfig } from './config-schema.js';
import { checkIdentifier, checkUrl } from './field-policies.js';
import { findInjection, stripInjection } from './injection-filter.js';

const globToRegExp = (glob: string) => new RegExp(`^${glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);

/** The mode for one field: a field override, else the tool's override (exact name first), else the global mode. */
function modeResolver(config: SanitizeConfig): (tool: string, path: string) => Mode | 'raw' {
  const overrides = Object.entries(config.overrides).map(([pattern, override]) => ({ pattern, exact: !pattern.includes('*'), test: globToRegExp(pattern), override }));
  overrides.sort((a, b) => Number(b.exact) - Number(a.exact));
  return (tool, path) => {
    const match = overrides.find((o) => o.test.test(tool))?.override;
    return match?.fields?.[path] ?? match?.mode ?? config.mode;
  };
}

export function createInjectionFilter(config: SanitizeConfig): Sanitizer {
  const modeOf = modeResolver(config);
  return {
    sanitize(value, policy, path, tool): SanitizeOutcome {
      if (policy === 'raw') return { value };
      if (policy === 'identifier') {
        const problem = checkIdentifier(value);
        return problem ? { reject: problem } : { value };
      }
      if (policy === 'url') {
        const problem = checkUrl(value, config.maxUrlLength);
        return problem ? { reject: problem } : { value };
      }
      if (policy === 'query') return [...value].length > config.maxQueryLength ? { reject: `longer than ${config.maxQueryLength} characters` } : { value };
      const mode = modeOf(tool, path);
      if (mode === 'raw') return { value };
      if (mode === 'strip') return { value: stripInjection(value, config.maxLength) };
      const found = findInjection(value, config.maxLength);
      return found ? { reject: found } : { value };
    },
  };
}

/**
 * The security guide's injection filter. Select it with `sanitize: { use: injection-filter, mode: strip | reject }`;
 * tool authors choose a field's policy with `x-cnmcp-sanitize: filter | identifier | url | query | raw`.
 */
export default definePlugin<'sanitizer', SanitizeConfig>({
  kind: 'sanitizer',
  name: 'injection-filter',
  description: 'The security guide injection filter (strip or reject), with identifier, url, query and raw field policies.',
  configSchema,
  async setup({ config }) {
    return createInjectionFilter(config);
  },
});
