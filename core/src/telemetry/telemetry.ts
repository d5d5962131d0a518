import { metrics, trace, type Meter, type Tracer } from '@opentelemetry/api';
import type { SpanExporter } from '@opentelemetry/sdk-trace-base';
import type { TelemetryConfig } from '../config/types.js';
import type { KernelMetrics, MetricSources } from './kernel-metrics.js';
import type { RequestScope } from './request-scope.js';
import type { Tracing } from './tracing.js';

/**
 * One kernel's telemetry. `tracing` and `metrics` are undefined when off, so the request path checks once and
 * does no telemetry work. `tracer` and `meter` are the kernel's own providers' when `telemetry:` turns them on;
 * otherwise the OpenTelemetry API's global ones, as for any instrumented library: no-ops unless the embedding
 * application registered an SDK itself.
 */
export interface Telemetry {
  readonly tracer: Tracer;
  readonly meter: Meter;
  readonly tracing?: Tracing;
  readonly metrics?: KernelMetrics;
  /** Prometheus text exposition of every metric, when metrics are on. */
  scrape?(): Promise<string>;
  /** Flushes buffered spans and stops the providers. */
  close(): Promise<void>;
}

export interface TelemetryOptions {
  readonly scope: RequestScope;
  readonly sources: MetricSources;
  readonly version: string;
  /** Replaces the configured span exporter (tests pass an InMemorySpanExporter); turns tracing on. */
  readonly spanExporter?: SpanExporter;
}

/** Telemetry off: the API's global tracer and meter, read when the kernel sets up (never registered by cnmcp). */
export const apiTelemetry = (): Telemetry => Object.freeze({ tracer: trace.getTracer('cnmcp'), meter: metrics.getMeter('cnmcp'), close: async () => {} });

/** Before setup: nothing recorded anywhere. */
export const NOOP_TELEMETRY: Telemetry = Object.freeze({
  tracer: trace.getTracerProvider().getTracer('cnmcp'),
  meter: metrics.getMeter('cnmcp'),
  close: async () => {},
});

/** Builds the kernel's telemetry; the OpenTelemetry SDK is imported only when tracing or metrics are on. */
export async function loadTelemetry(config: TelemetryConfig, options: TelemetryOptions): Promise<Telemetry> {
  const tracing = options.spanExporter !== undefined || config.tracing.exporter !== 'none';
  if (!tracing && !config.metrics.enabled) return apiTelemetry();
  const { createSdkTelemetry } = await import('./sdk-telemetry.js');
  return createSdkTelemetry(config, options, { tracing, metrics: config.metrics.enabled });
}
