import { describe, expect, expectTypeOf, it } from 'vitest';
import { coreServices, definePlugin, type Clock, type Logger } from '../plugin/index.js';
import { startTestKernel } from '../testing/start-test-kernel.js';

/** A tool pack that declares the services it needs and reports the time through its tool. */
function clockPack() {
  const seen: { deps?: { clock: Clock; logger: Logger }; keys?: string[] } = {};
  const plugin = definePlugin({
    kind: 'tool-pack',
    name: 'clock',
    configSchema: { type: 'object', additionalProperties: false },
    deps: { clock: coreServices.clock, logger: coreServices.logger },
    async setup(ctx) {
      expectTypeOf(ctx.deps.clock).toEqualTypeOf<Clock>();
      seen.deps = ctx.deps;
      seen.keys = Object.keys(ctx);
      return { tools: [] };
    },
  });
  return { plugin, seen };
}

describe('plugin deps, resolved from the kernel container', { timeout: 120_000 }, () => {
  it('a plugin receives the core services it declares, and no container', async () => {
    const { plugin, seen } = clockPack();
    const server = await startTestKernel({ config: { toolPacks: [{ use: 'clock' }] }, plugins: [plugin] });
    try {
      const before = Date.now();
      expect(seen.deps!.clock.now()).toBeGreaterThanOrEqual(before);
      expect(typeof seen.deps!.logger.info).toBe('function');
      expect(Object.isFrozen(seen.deps)).toBe(true);
      expect(seen.keys).not.toContain('container');
    } finally {
      await server.close();
    }
  });

  it('a test swaps a service by registering another: two kernels in one process keep their own', async () => {
    const fake: Clock = { now: () => 1_000 };
    const a = clockPack();
    const b = clockPack();
    const swapped = await startTestKernel({
      config: { toolPacks: [{ use: 'clock' }] },
      plugins: [a.plugin],
      services: [{ service: coreServices.clock, value: fake }],
    });
    const plain = await startTestKernel({ config: { toolPacks: [{ use: 'clock' }] }, plugins: [b.plugin] });
    try {
      expect(a.seen.deps!.clock.now()).toBe(1_000);
      expect(b.seen.deps!.clock.now()).toBeGreaterThan(1_000);
    } finally {
      await swapped.close();
      await plain.close();
    }
  });
});
