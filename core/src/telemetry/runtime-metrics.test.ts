import { describe, expect, it } from 'vitest';
import { createRuntimeMetrics } from './runtime-metrics.js';

const lagMax = (text: string) => Number(/^nodejs_eventloop_lag_max_seconds (\S+)$/m.exec(text)?.[1]);

describe('runtime metrics', () => {
  // prom-client resets the window in a setImmediate after a scrape resolves: the stall must start after that reset,
  // or the reset wipes it (what made the former /metrics e2e version of this test miss the stall on a busy machine).
  it('serves each event-loop window once: the next scrape no longer shows a stall the previous one reported', async () => {
    const runtime = createRuntimeMetrics();
    await runtime.scrape();
    await new Promise((resolve) => setTimeout(resolve, 20));
    const until = Date.now() + 1000;
    while (Date.now() < until); // a one-second stall of the event loop
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(lagMax(await runtime.scrape())).toBeGreaterThan(0.9);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(lagMax(await runtime.scrape())).toBeLessThan(0.9);
  });
});
