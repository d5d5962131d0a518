import { isPlugin, type PluginContext, type ToolDefinition } from '@cnmcp/core/plugin';
import { describe, expect, it } from 'vitest';
import type { UtilitiesConfig, UtilitiesOptions } from './config-schema.js';
import plugin from './index.js';
import { createTestToolContext } from './testing/test-tool-context.js';
import { createStrictAjv } from './testing/schema-ajv.js';

// The options as a user writes them: setup fills the defaults again (resolveConfig), as it must for a bare object.
function pluginContext(config: UtilitiesOptions): PluginContext<UtilitiesConfig> {
  const noop = () => undefined;
  const logger = { debug: noop, info: noop, warn: noop, error: noop, child: () => logger };
  return {
    config: config as UtilitiesConfig,
    deps: {},
    logger,
    tracer: {} as PluginContext<UtilitiesConfig>['tracer'],
    meter: {} as PluginContext<UtilitiesConfig>['meter'],
    secrets: { get: () => Promise.reject(new Error('no secrets in this test')), getVersions: () => Promise.reject(new Error('no secrets in this test')) },
    audit: { emit: noop },
    onStop: noop,
    signal: new AbortController().signal,
  } as PluginContext<UtilitiesConfig>;
}

async function tools(config: UtilitiesOptions = {}): Promise<Map<string, ToolDefinition>> {
  const port = await plugin.setup(pluginContext(config));
  return new Map(port.tools.map((t) => [t.name, t]));
}

describe('utilities plugin', () => {
  it('is a branded tool-pack descriptor named utilities', () => {
    expect(isPlugin(plugin)).toBe(true);
    expect(plugin).toMatchObject({ kind: 'tool-pack', name: 'utilities' });
    expect(Object.isFrozen(plugin)).toBe(true);
  });

  it('provides the six tools with <pack>_<verb>_<noun> names and complete metadata', async () => {
    const all = await tools();
    expect([...all.keys()].sort()).toEqual([
      'utilities_base64',
      'utilities_get_time',
      'utilities_get_timestamp',
      'utilities_hash',
      'utilities_sleep',
      'utilities_web_fetch',
    ]);
    const ajv = createStrictAjv();
    for (const tool of all.values()) {
      expect(tool.name).toMatch(/^utilities_[a-z0-9]+(_[a-z0-9]+)*$/);
      expect(tool.title, tool.name).toBeTruthy();
      expect(tool.description.length, tool.name).toBeGreaterThan(20);
      expect(tool.inputSchema.additionalProperties, tool.name).toBe(false);
      expect(() => ajv.compile(tool.inputSchema), tool.name).not.toThrow();
      expect(tool.outputSchema, tool.name).toBeDefined();
      expect(() => ajv.compile(tool.outputSchema!), tool.name).not.toThrow();
      const hints = tool.annotations ?? {};
      for (const hint of ['readOnlyHint', 'destructiveHint', 'idempotentHint', 'openWorldHint'] as const)
        expect(typeof hints[hint], `${tool.name}.${hint}`).toBe('boolean');
      expect(hints.destructiveHint, tool.name).toBe(false);
      expect(hints.openWorldHint, tool.name).toBe(tool.name === 'utilities_web_fetch');
    }
  });

  it('returns structured content that matches each output schema', async () => {
    const all = await tools();
    const ajv = createStrictAjv();
    const calls: [string, Record<string, unknown>][] = [
      ['utilities_get_time', { timezone: 'Europe/Berlin' }],
      ['utilities_get_timestamp', {}],
      ['utilities_sleep', { seconds: 0 }],
      ['utilities_hash', { input: 'abc' }],
      ['utilities_base64', { operation: 'encode', input: 'abc' }],
      ['utilities_base64', { operation: 'decode', input: '/w==' }],
    ];
    for (const [name, args] of calls) {
      const tool = all.get(name)!;
      expect(ajv.validate(tool.inputSchema, args), `${name} input`).toBe(true);
      const result = await tool.handler(args, createTestToolContext());
      expect(result.isError, name).toBeUndefined();
      const valid = ajv.validate(tool.outputSchema!, result.structuredContent);
      expect(valid, `${name}: ${ajv.errorsText()}`).toBe(true);
      expect(result.content[0]?.type, name).toBe('text');
    }
  });

  it('advertises the configured sleep maximum and rejects web_fetch arguments the schema forbids', async () => {
    const all = await tools({ sleep: { maxSeconds: 5 } });
    const ajv = createStrictAjv();
    const sleep = all.get('utilities_sleep')!;
    expect(ajv.validate(sleep.inputSchema, { seconds: 5 })).toBe(true);
    expect(ajv.validate(sleep.inputSchema, { seconds: 6 })).toBe(false);
    const fetch = all.get('utilities_web_fetch')!;
    expect(ajv.validate(fetch.inputSchema, { url: 'https://example.com/', headers: { 'X-Ok': 'v' } })).toBe(true);
    expect(ajv.validate(fetch.inputSchema, { url: 'https://example.com/', method: 'POST' })).toBe(false);
    expect(ajv.validate(fetch.inputSchema, { url: 'https://example.com/', headers: { 'bad name': 'v' } })).toBe(false);
    expect(ajv.validate(fetch.inputSchema, { url: 'https://example.com/', extra: 1 })).toBe(false);
  });

  it('fails setup on a malformed host list entry', async () => {
    await expect(plugin.setup(pluginContext({ webFetch: { allowHosts: ['not a host'] } }))).rejects.toThrow(/webFetch\.allowHosts\[0\]/);
  });
});
