import { describe, expect, it } from 'vitest';
import { createConfigAjv } from '../config/validate-config.js';
import type { ToolDefinition } from '../plugin/ports/tool-pack.js';
import { compileValidators } from './validate.js';

const tool = (inputSchema: Record<string, unknown>): ToolDefinition =>
  ({ name: 'probe', description: 'd', inputSchema, annotations: {}, handler: async () => ({ content: [] }) }) as unknown as ToolDefinition;

// How the kernel checks tool schemas: with the meta-schema of the ajv that validated the config (load-config.ts).
const configAjv = createConfigAjv();
const schemaProblems = (schema: object) => (configAjv.validateSchema(schema) ? undefined : `schema is invalid: ${configAjv.errorsText(configAjv.errors)}`);

const failure = (run: () => unknown): string => {
  try {
    run();
  } catch (error) {
    return `${(error as { code?: string }).code}: ${(error as Error).message}`;
  }
  return 'compiled';
};

describe('tool schema validators', () => {
  it('refuse a schema the meta-schema rejects with the same error whether or not the config ajv checks it', () => {
    for (const schema of [{ type: 'object', properties: { n: { type: 'strin' } } }, { type: 'object', required: 'n' }, { $schema: 'https://example.test/s' }]) {
      const own = failure(() => compileValidators([tool(schema)]));
      expect(own).toMatch(/^TOOL_SCHEMA_INVALID: tool probe: inputSchema does not compile: /);
      expect(failure(() => compileValidators([tool(schema)], schemaProblems))).toBe(own);
    }
  });

  it('validate arguments the same way with the shared meta-schema check', () => {
    const schema = { type: 'object', properties: { n: { type: 'integer', minimum: 1 } }, required: ['n'], additionalProperties: false };
    for (const validators of [compileValidators([tool(schema)]), compileValidators([tool(schema)], schemaProblems)]) {
      const validate = validators.get('probe')!;
      expect(validate({ n: 2 })).toEqual({ continue: true });
      expect(validate({ n: 0, x: 1 })).toMatchObject({ continue: false, code: 'INVALID_ARGUMENTS' });
    }
  });
});
