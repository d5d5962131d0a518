import type { Meter, Tracer } from '@opentelemetry/api';
import type { SpanExporter } from '@opentelemetry/sdk-trace-base';
import type { Logger } from '../plugin/logger.js';
import type { TelemetryConfig } from '../config/types.js';
import type { CertificateExpiryGauge } from './certificate-expiry.js';
import type { KernelMetrics, MetricSources } from './kernel-metrics.js';
import { NOOP_METER, NOOP_TRACER } from './noop-instruments.js';
import type { RequestScope } from './request-scope.js';
import type { Tracing } from './tracing.js';

/**
 * One kernel's telemetry. `tracing` and `metrics` are undefined when off, so the request path checks once and
 * does no telemetry work; `tracer` and `meter` are then no-ops for plugins.
 */
export interface Telemetry {
  readonly tracer: Tracer;
  readonly meter: Meter;
  readonly tracing?: Tracing;
  readonly metrics?: KernelMetrics;
  /** The served TLS certificate's expiry, when metrics are on. */
  readonly certificateExpiry?: CertificateExpiryGauge;
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
  /** Where the OTLP/protobuf exporter reports dropped spans and failed exports. */
  readonly logger: Logger;
}

export const NOOP_TELEMETRY: Telemetry = Object.freeze({ tracer: NOOP_TRACER, meter: NOOP_METER, close: async () => {} });

/** Builds the kernel's telemetry; the OpenTelemetry SDK is imported only when tracing or metrics are on. */
export async function loadTelemetry(config: TelemetryConfig, options: TelemetryOptions): Promise<Telemetry> {
  const tracing = options.spanExporter !== undefined || config.tracing.exporter !== 'none';
  if (!tracing && !config.metrics.enabled) return NOOP_TELEMETRY;
  const { createSdkTelemetry } = await import('./sdk-telemetry.js');
  return createSdkTelemetry(config, options, { tracing, metrics: config.metrics.enabled });
}
