import { describe, expect, it } from 'vitest';
import { createTestToolContext, textOf } from '../testing/test-tool-context.js';
import { createSleepTool } from './sleep.js';

describe('utilities_sleep', () => {
  const tool = createSleepTool({ maxSeconds: 60 });

  it('sleeps for the requested time', async () => {
    const started = performance.now();
    const result = await tool.handler({ seconds: 0.2 }, createTestToolContext());
    const elapsed = performance.now() - started;
    expect(result.isError).toBeUndefined();
    expect(elapsed).toBeGreaterThanOrEqual(190);
    expect(result.structuredContent).toMatchObject({ requestedSeconds: 0.2 });
    expect((result.structuredContent as { sleptSeconds: number }).sleptSeconds).toBeGreaterThanOrEqual(0.19);
  });

  it('stops promptly when the call is cancelled', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const started = performance.now();
    const result = await tool.handler({ seconds: 30 }, createTestToolContext({ signal: controller.signal }));
    const elapsed = performance.now() - started;
    expect(elapsed).toBeLessThan(1000);
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/cancelled/i);
  });

  it('returns at once when the signal is already aborted', async () => {
    const started = performance.now();
    const result = await tool.handler({ seconds: 30 }, createTestToolContext({ signal: AbortSignal.abort() }));
    expect(performance.now() - started).toBeLessThan(200);
    expect(result.isError).toBe(true);
  });

  it('enforces the configured maximum in code and in the schema', async () => {
    const short = createSleepTool({ maxSeconds: 2 });
    expect((short.inputSchema.properties as { seconds: { maximum: number } }).seconds.maximum).toBe(2);
    const result = await short.handler({ seconds: 5 }, createTestToolContext());
    expect(result.isError).toBe(true);
    expect(textOf(result)).toContain('0 to 2');
    expect((await short.handler({ seconds: -1 }, createTestToolContext())).isError).toBe(true);
  });

  it('reports progress while sleeping', async () => {
    const ctx = createTestToolContext();
    await tool.handler({ seconds: 1.2 }, ctx);
    expect(ctx.progressCalls.length).toBeGreaterThanOrEqual(1);
    expect(ctx.progressCalls[0]).toMatchObject({ total: 1.2 });
  });
});
