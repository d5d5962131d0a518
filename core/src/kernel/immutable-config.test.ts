import { describe, expect, it } from 'vitest';
import { definePlugin, Secret, type PluginContext } from '../plugin/index.js';
import { startTestKernel } from '../testing/start-test-kernel.js';
import { ResolvedSecrets } from './resolved-secrets.js';

const FIRST = 'first-Secret-value-1!';
const SECOND = 'second-Secret-value-2!';

/** A tool pack that keeps the context it was given and tries to change its options, as a careless plugin might. */
function probe() {
  const seen: { ctx?: PluginContext<{ readonly token: string; readonly nested: { readonly list: readonly string[] } }>; mutation?: unknown } = {};
  const plugin = definePlugin({
    kind: 'tool-pack',
    name: 'probe',
    configSchema: {
      type: 'object',
      properties: {
        token: { type: 'string', 'x-cnmcp-secret': true },
        nested: { type: 'object', properties: { list: { type: 'array', items: { type: 'string' } } }, default: { list: ['a'] } },
      },
      required: ['token'],
      additionalProperties: false,
    },
    async setup(ctx) {
      seen.ctx = ctx as never;
      try {
        (ctx.config as { token: string }).token = 'changed';
      } catch (error) {
        seen.mutation = error;
      }
      return { tools: [] };
    },
  });
  return { plugin, seen };
}

const config = {
  secrets: { use: 'memory', initial: [{ name: 'k', value: FIRST }] },
  toolPacks: [{ use: 'probe', token: '${secret:k}' }],
};

describe('the loaded config is immutable; resolved secrets live beside it', { timeout: 120_000 }, () => {
  it('a plugin cannot change its options or the loaded config, and the loaded config never holds a secret value', async () => {
    const { plugin, seen } = probe();
    const server = await startTestKernel({ config, plugins: [plugin] });
    try {
      expect(seen.mutation).toBeInstanceOf(TypeError);
      const options = seen.ctx!.config;
      expect(options.token).toBe(FIRST);
      expect(() => (options.nested.list as string[]).push('b')).toThrow(TypeError);

      const loaded = server.kernel.config.config as unknown as Record<string, unknown> & { toolPacks: Record<string, unknown>[] };
      expect(Object.isFrozen(loaded) && Object.isFrozen(loaded.toolPacks) && Object.isFrozen(loaded.toolPacks[0])).toBe(true);
      expect(() => {
        loaded.toolPacks[0]!.token = 'changed';
      }).toThrow(TypeError);
      expect(() => {
        (loaded.server as Record<string, unknown>).listen = '0.0.0.0:80';
      }).toThrow(TypeError);
      expect(loaded.toolPacks[0]!.token).toBe('${secret:k}');
      expect(JSON.stringify(loaded.toolPacks)).not.toContain(FIRST);
    } finally {
      await server.close();
    }
  });

  it('a rotation resolves the references again without writing into the loaded config', async () => {
    const { plugin, seen } = probe();
    const server = await startTestKernel({ config, plugins: [plugin] });
    try {
      await server.kernel.secretStore!.put('k', new Secret(SECOND), { type: 'generic' });
      await new Promise((resolve) => setTimeout(resolve, 200));
      const loaded = server.kernel.config.config as unknown as { toolPacks: { token: string }[] };
      expect(loaded.toolPacks[0]!.token).toBe('${secret:k}');
      expect(JSON.stringify(loaded)).not.toContain(SECOND);
      expect(seen.ctx!.config.token).toBe(FIRST); // what setup was given stays as it was
    } finally {
      await server.close();
    }
  });
});

describe('ResolvedSecrets', () => {
  const loaded = Object.freeze({ auth: Object.freeze([Object.freeze({ use: 'x', key: 'pre-${secret:k}', url: 'redis://u:${secret:k}@h/${secret:db}' })]) });
  const paths = new Set(['/auth/0/key', '/auth/0/url']);

  it('never shows a reference while a rotation is being resolved: the old values hold until the new set is complete', async () => {
    const view = new ResolvedSecrets(loaded, paths);
    await view.resolve(async (name) => (name === 'k' ? 'v1' : 'd1'));
    expect(view.optionsAt('/auth/0')).toEqual({ use: 'x', key: 'pre-v1', url: 'redis://u:v1@h/d1' });

    let release!: (value: string) => void;
    const slow = new Promise<string>((resolve) => (release = resolve));
    const pending = view.resolve((name) => (name === 'k' ? Promise.resolve('v2') : slow));
    for (let i = 0; i < 5; i++) {
      await Promise.resolve();
      expect(view.optionsAt('/auth/0')).toEqual({ use: 'x', key: 'pre-v1', url: 'redis://u:v1@h/d1' });
    }
    release('d2');
    await pending;
    expect(view.optionsAt('/auth/0')).toEqual({ use: 'x', key: 'pre-v2', url: 'redis://u:v2@h/d2' });
  });

  it('keeps the previous values when a secret cannot be read, and hands out frozen copies', async () => {
    const view = new ResolvedSecrets(loaded, paths);
    await view.resolve(async () => 'v1');
    await expect(view.resolve(async (name) => (name === 'db' ? Promise.reject(new Error('gone')) : 'v2'))).rejects.toThrow(/could not be resolved/);
    const options = view.optionsAt('/auth/0');
    expect(options.key).toBe('pre-v1');
    expect(Object.isFrozen(options)).toBe(true);
    expect(view.names()).toEqual(new Set(['k', 'db']));
  });
});
