import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createConfigAjv } from '../config/validate-config.js';
import type { ToolDefinition } from '../plugin/ports/tool-pack.js';
import { compileValidators } from './validate.js';

const tool = (inputSchema: Record<string, unknown>, name = 'probe'): ToolDefinition =>
  ({ name, description: 'd', inputSchema, annotations: {}, handler: async () => ({ content: [] }) }) as unknown as ToolDefinition;

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
      expect(failure(() => compileValidators([tool(schema)], { schemaProblems }))).toBe(own);
    }
  });

  it('validate arguments the same way with the shared meta-schema check', () => {
    const schema = { type: 'object', properties: { n: { type: 'integer', minimum: 1 } }, required: ['n'], additionalProperties: false };
    for (const validators of [compileValidators([tool(schema)]), compileValidators([tool(schema)], { schemaProblems })]) {
      const validate = validators.get('probe')!;
      expect(validate({ n: 2 })).toEqual({ continue: true });
      expect(validate({ n: 0, x: 1 })).toMatchObject({ continue: false, code: 'INVALID_ARGUMENTS' });
    }
  });

  it('kept between starts (cacheDir) give the same verdicts and messages as freshly compiled ones', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cnmcp-tool-validators-'));
    try {
      const tools = [
        tool({ type: 'object', properties: { n: { type: 'integer', minimum: 1 } }, required: ['n'], additionalProperties: false }, 'counts'),
        tool({ type: 'object', properties: { at: { type: 'string', format: 'date-time' }, tag: { type: 'string', maxLength: 3 } } }, 'dated'),
      ];
      const samples: [string, Record<string, unknown>][] = [
        ['counts', { n: 2 }],
        ['counts', { n: 0, x: 1 }],
        ['counts', {}],
        ['dated', { at: '2026-12-05T00:00:00Z', tag: 'abc' }],
        ['dated', { at: 'yesterday', tag: 'abcd' }],
      ];
      const verdicts = (validators: ReadonlyMap<string, (args: Record<string, unknown>) => unknown>) =>
        samples.map(([name, args]) => validators.get(name)!(args));
      const fresh = verdicts(compileValidators(tools, { schemaProblems }));
      const first = verdicts(compileValidators(tools, { schemaProblems, cacheDir: dir }));
      expect(readdirSync(dir).filter((f) => f.startsWith('tool-inputs-'))).toHaveLength(1);
      // The second start loads them: no meta-schema check and no compile, which a failing check would reveal.
      const loaded = verdicts(
        compileValidators(tools, {
          schemaProblems: () => {
            throw new Error('compiled instead of loaded');
          },
          cacheDir: dir,
        }),
      );
      expect(first).toEqual(fresh);
      expect(loaded).toEqual(fresh);
      expect(fresh.filter((v) => (v as { continue: boolean }).continue)).toHaveLength(2);
      // Another set of schemas is not served from that file.
      expect(failure(() => compileValidators([tool({ type: 'object', required: 'n' })], { schemaProblems, cacheDir: dir }))).toMatch(/^TOOL_SCHEMA_INVALID/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
