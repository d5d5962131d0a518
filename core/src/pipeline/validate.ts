import type { ErrorObject } from 'ajv/dist/2020.js';
import { loadAjv } from '../config/ajv-loader.js';
import { cachedValidators } from '../config/validator-cache.js';
import { CnmcpError } from '../plugin/errors.js';
import type { ToolDefinition } from '../plugin/ports/tool-pack.js';
import { stop, type Verdict } from './verdict.js';

export type ValidateStage = (args: Record<string, unknown>) => Verdict;

/** What compiling the tool validators may use. */
export interface ToolValidatorOptions {
  /** The config's meta-schema check (compiled once, or loaded from the cache), instead of this ajv's own. */
  readonly schemaProblems?: (schema: object) => string | undefined;
  /** Where validators are kept between starts (validator-cache.ts): a later start with the same schemas compiles nothing. */
  readonly cacheDir?: string;
}

/**
 * Compiles every tool's inputSchema once, at startup (or loads the validators compiled by an earlier start): a
 * schema that does not compile stops the server naming the tool. At call time a failure lists each problem with
 * its JSON path. Arguments are never coerced. A change to the ajv options here must bump the cache's FORMAT.
 */
export function compileValidators(tools: readonly ToolDefinition[], options: ToolValidatorOptions = {}): ReadonlyMap<string, ValidateStage> {
  const { schemaProblems } = options;
  const compiled = cachedValidators(
    'tool-inputs',
    tools.map((t) => t.inputSchema),
    options.cacheDir,
    ({ source }) => {
      const { Ajv2020, addFormats } = loadAjv();
      // With `schemaProblems` (the config's ajv, whose meta-schema is compiled already) this ajv skips its own meta check.
      const ajv = new Ajv2020({
        allErrors: true,
        strict: false,
        allowUnionTypes: true,
        validateFormats: true,
        code: { source },
        ...(schemaProblems ? { validateSchema: false } : {}),
      });
      addFormats(ajv);
      const validates = tools.map((tool) => {
        try {
          // The message ajv's own check would throw, so a broken schema is reported the same either way.
          const problems = schemaProblems?.(tool.inputSchema);
          if (problems !== undefined) throw new Error(problems);
          return ajv.compile(tool.inputSchema);
        } catch (error) {
          throw new CnmcpError('TOOL_SCHEMA_INVALID', `tool ${tool.name}: inputSchema does not compile: ${(error as Error).message}`);
        }
      });
      return { ajv, validates };
    },
  );
  const validators = new Map<string, ValidateStage>();
  tools.forEach((tool, i) => {
    const validate = compiled[i]!;
    validators.set(tool.name, (args) => (validate(args) ? { continue: true } : stop('INVALID_ARGUMENTS', describe(tool.name, validate.errors ?? []))));
  });
  return validators;
}

function describe(tool: string, errors: readonly ErrorObject[]): string {
  const lines = errors.map((e) => {
    const params = e.params as Record<string, unknown>;
    if (e.keyword === 'additionalProperties') return `${e.instancePath}/${String(params.additionalProperty)}: unknown argument`;
    if (e.keyword === 'required') return `${e.instancePath}/${String(params.missingProperty)}: is required`;
    return `${e.instancePath || '/'}: ${e.message ?? 'is invalid'}`;
  });
  return `invalid arguments for tool ${tool}: ${[...new Set(lines)].join('; ')}`;
}
