import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { CnmcpError } from '../plugin/errors.js';
import type { ToolDefinition } from '../plugin/ports/tool-pack.js';
import { stop, type Verdict } from './verdict.js';

export type ValidateStage = (args: Record<string, unknown>) => Verdict;

/**
 * Compiles every tool's inputSchema once, at startup: a schema that does not compile stops the server naming
 * the tool. At call time a failure lists each problem with its JSON path. Arguments are never coerced.
 */
export function compileValidators(
  tools: readonly ToolDefinition[],
  schemaProblems?: (schema: object) => string | undefined,
): ReadonlyMap<string, ValidateStage> {
  // With `schemaProblems` (the config's ajv, whose meta-schema is compiled already) this ajv skips its own meta check.
  const ajv = new Ajv2020({
    allErrors: true,
    strict: false,
    allowUnionTypes: true,
    validateFormats: true,
    ...(schemaProblems ? { validateSchema: false } : {}),
  });
  (addFormats as unknown as (ajv: Ajv2020) => void)(ajv);
  const validators = new Map<string, ValidateStage>();
  for (const tool of tools) {
    let validate: ValidateFunction;
    try {
      // The message ajv's own check would throw, so a broken schema is reported the same either way.
      const problems = schemaProblems?.(tool.inputSchema);
      if (problems !== undefined) throw new Error(problems);
      validate = ajv.compile(tool.inputSchema);
    } catch (error) {
      throw new CnmcpError('TOOL_SCHEMA_INVALID', `tool ${tool.name}: inputSchema does not compile: ${(error as Error).message}`);
    }
    validators.set(tool.name, (args) => (validate(args) ? { continue: true } : stop('INVALID_ARGUMENTS', describe(tool.name, validate.errors ?? []))));
  }
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
