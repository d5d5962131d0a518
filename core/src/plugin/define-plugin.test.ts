import { describe, expect, expectTypeOf, it } from 'vitest';
import { checkPlugin } from '../kernel/check-plugin.js';
import { definePlugin, isPlugin, type Plugin } from './define-plugin.js';
import type { ToolPack } from './ports/tool-pack.js';

describe('definePlugin', () => {
  const plugin = definePlugin({
    kind: 'tool-pack',
    name: 'hello',
    configSchema: { type: 'object', properties: { greeting: { type: 'string' } }, additionalProperties: false },
    async setup({ config }: { config: Readonly<{ greeting?: string }> }) {
      return {
        tools: [{ name: 'hello_say_hi', description: config.greeting ?? 'hi', inputSchema: { type: 'object' }, handler: async () => ({ content: [] }) }],
      };
    },
  });

  it('returns a frozen, branded descriptor recognised without instanceof', () => {
    expect(Object.isFrozen(plugin)).toBe(true);
    expect(isPlugin(plugin)).toBe(true);
    expect(isPlugin({ ...plugin })).toBe(true); // the brand survives a copy made by another copy of core
    expect(isPlugin({ kind: 'tool-pack', name: 'x', setup() {} })).toBe(false);
  });

  it('types setup by the port of its kind', () => {
    expectTypeOf(plugin).toMatchTypeOf<Plugin<'tool-pack', { greeting?: string }>>();
    expectTypeOf<ReturnType<typeof plugin.setup>>().toEqualTypeOf<Promise<ToolPack>>();
  });

  it('infers the options type from the schema: written once, defaults filled, read-only at every level', () => {
    const pack = definePlugin({
      kind: 'tool-pack',
      name: 'typed',
      configSchema: {
        type: 'object',
        properties: {
          greeting: { type: 'string', default: 'hi' },
          mode: { enum: ['short', 'long'] },
          keys: { type: 'array', items: { type: 'object', properties: { id: { type: 'string' } }, required: ['id'], additionalProperties: false } },
        },
        required: ['keys'],
        additionalProperties: false,
      },
      async setup({ config }) {
        expectTypeOf(config.greeting).toEqualTypeOf<string>();
        expectTypeOf(config.mode).toEqualTypeOf<'short' | 'long' | undefined>();
        expectTypeOf(config.keys).toEqualTypeOf<readonly { readonly id: string }[]>();
        // @ts-expect-error the options are frozen, and their type says so
        config.keys[0]!.id = 'changed';
        return { tools: [] };
      },
    });
    expectTypeOf(pack).toMatchTypeOf<Plugin<'tool-pack', { readonly greeting: string; readonly keys: readonly { readonly id: string }[] }>>();
    expect(pack.configSchema).toEqual(expect.objectContaining({ type: 'object', required: ['keys'] })); // plain JSON Schema, as ajv and `config print` see it
  });

  it('is checked at load time, naming the plugin and what is wrong', () => {
    expect(checkPlugin(plugin, '/toolPacks/0')).toEqual([]);
    const broken = { ...plugin, kind: 'nonsense', configSchema: { type: 'string' } } as unknown as Plugin;
    const problems = checkPlugin(broken, '/toolPacks/0');
    expect(problems.map((p) => p.message)).toEqual([
      expect.stringContaining('plugin nonsense/hello: kind must be one of'),
      expect.stringContaining("configSchema must be a JSON Schema with type: 'object'"),
    ]);
    expect(problems.every((p) => p.code === 'PLUGIN_INVALID' && p.path === '/toolPacks/0')).toBe(true);
  });
});
