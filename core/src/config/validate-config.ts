import { createRequire } from 'node:module';
import type { Code, ErrorObject, KeywordCxt, Name, ValidateFunction } from 'ajv/dist/2020.js';
import { CnmcpError } from '../plugin/errors.js';
import { loadAjv, type Ajv2020 } from './ajv-loader.js';
import { escapePointer } from './json-pointer.js';

const require = createRequire(import.meta.url);

/** ajv's codegen helpers, from the very module instances ajv uses; required with ajv, only when compiling. */
function codegen() {
  const names = (require('ajv/dist/compile/names.js') as { default: { instancePath: Name; this: Name } }).default;
  const { _, strConcat } = require('ajv/dist/compile/codegen/index.js') as {
    _: (strings: TemplateStringsArray, ...values: unknown[]) => Code;
    strConcat: (a: Code | Name, b: Code | string) => Code;
  };
  return { names, _, strConcat };
}

/**
 * Marks a config field whose value is a credential (`{ type: 'string', 'x-cnmcp-secret': true }`): `config print`
 * shows it as `***` and logs and errors never carry its value, whether it is written literally or as a reference.
 */
export const SECRET_KEYWORD = 'x-cnmcp-secret';

/** What a config validator is called with (as `this`): hears the JSON path and value of every secret field visited. */
export interface ConfigValidationContext {
  readonly onSecret: (path: string, value: unknown) => void;
}

/** ajv's options for config; a change here must also change the validator cache's key (validator-cache.ts). */
export const CONFIG_AJV_OPTIONS = {
  allErrors: true,
  useDefaults: true,
  strict: false,
  allowUnionTypes: true,
  verbose: true,
  passContext: true,
} as const;

/**
 * An ajv instance for config: every error at once, defaults filled in, unknown keywords tolerated (`x-...`). The
 * config is validated once per process, so the code optimiser's passes would cost start-up time and buy nothing.
 * A field marked with {@link SECRET_KEYWORD} calls `this.onSecret` ({@link ConfigValidationContext}) when validation
 * visits it: generated code rather than a function, so the validator can be saved as standalone code (`source`).
 */
export function createConfigAjv(options: { source?: boolean } = {}): Ajv2020 {
  const { Ajv2020, addFormats } = loadAjv();
  const { names, _, strConcat } = codegen();
  const ajv = new Ajv2020({ ...CONFIG_AJV_OPTIONS, code: { optimize: options.source === true, source: options.source === true } });
  addFormats(ajv);
  ajv.addKeyword({
    keyword: SECRET_KEYWORD,
    schemaType: 'boolean',
    code(cxt: KeywordCxt) {
      if (cxt.schema !== true) return;
      const at = strConcat(names.instancePath, cxt.it.errorPath);
      cxt.gen.code(_`${names.this}?.onSecret?.(${at}, ${cxt.data})`);
    },
  });
  return ajv;
}

/** Validates (and fills defaults into) `config`; returns one problem per error, each with its JSON path and a fix. */
export function validateConfig(validate: ValidateFunction, config: Record<string, unknown>, context: ConfigValidationContext): CnmcpError[] {
  if (validate.call(context, config)) return [];
  const errors = (validate.errors ?? []).filter((e) => e.keyword !== 'if' && e.keyword !== 'allOf');
  const seen = new Set<string>();
  const problems: CnmcpError[] = [];
  for (const error of errors) {
    const problem = describe(error);
    const key = `${problem.path}|${problem.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    problems.push(problem);
  }
  return problems;
}

function describe(error: ErrorObject): CnmcpError {
  const at = error.instancePath || '/';
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'additionalProperties': {
      const key = String(params.additionalProperty);
      const allowed = Object.keys((error.parentSchema?.properties ?? {}) as Record<string, unknown>);
      const hint = allowed.length > 0 ? `; allowed keys here: ${allowed.join(', ')}` : '';
      return new CnmcpError('CONFIG_UNKNOWN_KEY', `unknown key "${key}": remove it or fix its spelling${hint}`, { path: join(error.instancePath, key) });
    }
    case 'required':
      return new CnmcpError('CONFIG_MISSING_KEY', `"${String(params.missingProperty)}" is required here`, {
        path: join(error.instancePath, String(params.missingProperty)),
      });
    case 'type':
      return new CnmcpError('CONFIG_WRONG_TYPE', `must be ${String(params.type)}, got ${typeName(error.data)}`, { path: at });
    case 'enum':
      return new CnmcpError(
        'CONFIG_INVALID_VALUE',
        `must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}, got ${JSON.stringify(error.data)}`,
        { path: at },
      );
    case 'const':
      return new CnmcpError('CONFIG_INVALID_VALUE', `must be ${JSON.stringify(params.allowedValue)}`, { path: at });
    default:
      return new CnmcpError('CONFIG_INVALID_VALUE', `${error.message ?? 'is invalid'}`, { path: at });
  }
}

const join = (base: string, key: string) => `${base}/${escapePointer(key)}`;

const typeName = (value: unknown) => (value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value);
