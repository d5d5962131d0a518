import { collectDefaultMetrics, Registry } from 'prom-client';

/**
 * The Node and process metrics under their stock names (`process_cpu_seconds_total`, `process_start_time_seconds`,
 * `process_resident_memory_bytes`, `nodejs_heap_size_used_bytes`, `nodejs_eventloop_lag_p99_seconds`, ...): prom-client's
 * default metrics, which every Node dashboard reads. One registry per kernel, never prom-client's global one. The
 * event-loop percentiles cover the time since the previous scrape (prom-client resets the histogram on each).
 */
export function createRuntimeMetrics(): { registry: Registry; scrape(): Promise<string> } {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return { registry, scrape: () => registry.metrics() };
}
