import type { Meter } from '@opentelemetry/api';
import { monitorEventLoopDelay } from 'node:perf_hooks';

/**
 * A few Node runtime gauges: memory, CPU and event-loop delay. Returns a stop function for the delay monitor's
 * timer.
 */
export function registerRuntimeMetrics(meter: Meter): () => void {
  const delay = monitorEventLoopDelay({ resolution: 20 });
  delay.enable();
  meter
    .createObservableGauge('cnmcp_process_resident_memory_bytes', { description: 'Resident set size.', unit: 'By' })
    .addCallback((r) => r.observe(process.memoryUsage.rss()));
  meter
    .createObservableGauge('cnmcp_nodejs_heap_used_bytes', { description: 'V8 heap in use.', unit: 'By' })
    .addCallback((r) => r.observe(process.memoryUsage().heapUsed));
  meter
    .createObservableGauge('cnmcp_nodejs_heap_total_bytes', { description: 'V8 heap allocated.', unit: 'By' })
    .addCallback((r) => r.observe(process.memoryUsage().heapTotal));
  meter.createObservableCounter('cnmcp_process_cpu_seconds', { description: 'CPU time used, by mode (user, system).', unit: 's' }).addCallback((r) => {
    const usage = process.cpuUsage();
    r.observe(usage.user / 1e6, { mode: 'user' });
    r.observe(usage.system / 1e6, { mode: 'system' });
  });
  meter
    .createObservableGauge('cnmcp_nodejs_eventloop_delay_seconds', { description: 'Event-loop delay since start, by statistic (p50, p99, max).', unit: 's' })
    .addCallback((r) => {
      // The histogram is in nanoseconds; NaN before the first sample.
      const seconds = (ns: number) => (Number.isFinite(ns) ? ns / 1e9 : 0);
      r.observe(seconds(delay.percentile(50)), { stat: 'p50' });
      r.observe(seconds(delay.percentile(99)), { stat: 'p99' });
      r.observe(seconds(delay.max), { stat: 'max' });
    });
  return () => delay.disable();
}
