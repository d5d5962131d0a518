import { createRequire } from 'node:module';
import type * as Ajv2020Module from 'ajv/dist/2020.js';

const require = createRequire(import.meta.url);

export type Ajv2020 = Ajv2020Module.Ajv2020;

/**
 * ajv (2020-12) and its formats, required on first use: about 90 CommonJS files, which a start whose validators
 * all come from the start-up cache (validator-cache.ts) never needs. The same module instances an import would give.
 */
export function loadAjv(): { Ajv2020: typeof Ajv2020Module.Ajv2020; addFormats: (ajv: Ajv2020) => void } {
  const { Ajv2020 } = require('ajv/dist/2020.js') as typeof Ajv2020Module;
  // Its CommonJS export is the function itself.
  const addFormats = require('ajv-formats') as (ajv: Ajv2020) => void;
  return { Ajv2020, addFormats };
}
