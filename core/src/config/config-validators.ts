import type { Ajv2020, ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import { createConfigAjv } from './validate-config.js';
import { cachedValidator } from './validator-cache.js';

const META_SCHEMA = 'https://json-schema.org/draft/2020-12/schema';

/** The validators one config load needs; both come from `cacheDir` when they were compiled before. */
export interface ConfigValidators {
  /** The composed config schema's validator, to call with a ConfigValidationContext as `this`. */
  readonly config: ValidateFunction;
  /** Checks a JSON Schema (a tool's inputSchema) against the 2020-12 meta-schema: undefined when valid, else ajv's message. */
  readonly schemaProblems: (schema: object) => string | undefined;
}

/** Compiles (or loads) the validators for `schema`; one ajv serves both when they have to be compiled. */
export function configValidators(schema: Record<string, unknown>, cacheDir: string | undefined): ConfigValidators {
  let ajv: Ajv2020 | undefined;
  const shared = (source: boolean) => (ajv ??= createConfigAjv({ source }));
  const config = cachedValidator('config', schema, cacheDir, ({ source }) => {
    const own = shared(source);
    return { ajv: own, validate: own.compile(schema) };
  });
  let meta: ValidateFunction | undefined;
  const schemaProblems = (checked: object) => {
    // Compiled on first use: `config validate` and the secrets commands never check a tool schema.
    meta ??= cachedValidator('meta-schema', { $ref: META_SCHEMA }, cacheDir, ({ source }) => {
      const own = shared(source);
      return { ajv: own, validate: own.getSchema(META_SCHEMA)! };
    });
    return meta(checked) ? undefined : `schema is invalid: ${errorsText(meta.errors)}`;
  };
  return { config, schemaProblems };
}

/** ajv's `errorsText`, for errors of a validator loaded without an ajv instance. */
const errorsText = (errors: readonly ErrorObject[] | null | undefined): string =>
  errors && errors.length > 0 ? errors.map((e) => `data${e.instancePath} ${e.message}`).join(', ') : 'No errors';
