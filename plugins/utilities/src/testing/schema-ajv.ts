import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

/**
 * An Ajv set up as the kernel sets up its own (JSON Schema 2020-12, formats), but strict, so a schema keyword
 * typo fails a test instead of being ignored. Test-only.
 */
export function createStrictAjv(options: { useDefaults?: boolean } = {}): Ajv2020 {
  const ajv = new Ajv2020({ allErrors: true, strict: true, useDefaults: options.useDefaults ?? false });
  // cnmcp's own keyword: the field's sanitize policy, read by the kernel.
  ajv.addKeyword({ keyword: 'x-cnmcp-sanitize', schemaType: 'string' });
  (addFormats as unknown as (instance: Ajv2020) => void)(ajv);
  return ajv;
}
