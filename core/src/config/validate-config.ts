import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { CnmcpError } from '../plugin/errors.js';
import { escapePointer } from './json-pointer.js';

/**
 * Marks a config field whose value is a credential (`{ type: 'string', 'x-cnmcp-secret': true }`): `config print`
 * shows it as `***` and logs and errors never carry its value, whether it is written literally or as a reference.
 */
export const SECRET_KEYWORD = 'x-cnmcp-secret';

/**
 * An ajv instance for config: every error at once, defaults filled in, unknown keywords tolerated (`x-...`). The
 * config is validated once per process, so the code optimiser's passes would cost start-up time and buy nothing.
 * `onSecret` hears the JSON path and value of every field marked with {@link SECRET_KEYWORD} that validation visits.
 */
export function createConfigAjv(onSecret: (path: string, value: unknown) => void = () => {}): Ajv2020 {
  const ajv = new Ajv2020({ allErrors: true, useDefaults: true, strict: false, allowUnionTypes: true, verbose: true, code: { optimize: false } });
  (addFormats as unknown as (ajv: Ajv2020) => void)(ajv);
  ajv.addKeyword({
    keyword: SECRET_KEYWORD,
    schemaType: 'boolean',
    errors: false,
    validate: (marked: boolean, value: unknown, _parent?: unknown, at?: { instancePath: string }) => {
      if (marked && at) onSecret(at.instancePath, value);
      return true;
    },
  });
  return ajv;
}

/** Validates (and fills defaults into) `config`; returns one problem per error, each with its JSON path and a fix. */
export function validateConfig(ajv: Ajv2020, schema: Record<string, unknown>, config: Record<string, unknown>): CnmcpError[] {
  const validate = ajv.compile(schema);
  if (validate(config)) return [];
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
