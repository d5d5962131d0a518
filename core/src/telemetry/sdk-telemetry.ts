import { hostname } from 'node:os';
import { suppressTracing, W3CTraceContextPropagator } from '@opentelemetry/core';
import { PrometheusExporter, PrometheusSerializer } from '@opentelemetry/exporter-prometheus';
import { resourceFromAttributes, type Resource } from '@opentelemetry/resources';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import {
  BasicTracerProvider,
  BatchSpanProcessor,
  ParentBasedSampler,
  SimpleSpanProcessor,
  TraceIdRatioBasedSampler,
  type Sampler,
  type SpanExporter,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';
import type { TelemetryConfig } from '../config/types.js';
import { KernelMetrics } from './kernel-metrics.js';
import { certificateExpiryGauge } from './certificate-expiry-gauge.js';
import { createRuntimeMetrics } from './runtime-metrics.js';
import { StderrSpanExporter } from './stderr-span-exporter.js';
import { NOOP_TELEMETRY, type Telemetry, type TelemetryOptions } from './telemetry.js';
import { Tracing } from './tracing.js';

/**
 * The SDK side, loaded lazily. Providers belong to this kernel and are never registered globally: two kernels in
 * one process export separately, and plugins get the kernel's tracer and meter through their context.
 */
export async function createSdkTelemetry(config: TelemetryConfig, options: TelemetryOptions, on: { tracing: boolean; metrics: boolean }): Promise<Telemetry> {
  const resource = resourceOf(config, options.version);
  const closers: (() => Promise<void>)[] = [];
  let telemetry: { -readonly [K in keyof Telemetry]: Telemetry[K] } = { ...NOOP_TELEMETRY };

  if (on.tracing) {
    const processor = await spanProcessorOf(config.tracing, options);
    const provider = new BasicTracerProvider({
      resource,
      sampler: samplerOf(config.tracing),
      spanProcessors: [processor],
    });
    const tracer = provider.getTracer('cnmcp', options.version);
    telemetry = {
      ...telemetry,
      tracer,
      tracing: new Tracing(tracer, new W3CTraceContextPropagator(), options.scope, suppressTracing, config.tracing.stages === 'spans'),
    };
    closers.push(() => provider.shutdown());
  }

  if (on.metrics) {
    const reader = new PrometheusExporter({ preventServerStart: true });
    const provider = new MeterProvider({ resource, readers: [reader] });
    const meter = provider.getMeter('cnmcp', options.version);
    const runtime = createRuntimeMetrics();
    // Scope labels would add otel_scope_* to every series; target_info keeps the resource attributes.
    const serializer = new PrometheusSerializer(undefined, false, undefined, false, true);
    telemetry = {
      ...telemetry,
      meter,
      metrics: new KernelMetrics(meter, options.sources),
      certificateExpiry: certificateExpiryGauge(runtime.registry),
      scrape: async () => {
        const [own, process] = await Promise.all([reader.collect(), runtime.scrape()]);
        return `${serializer.serialize(own.resourceMetrics).trimEnd()}\n${process}`;
      },
    };
    closers.push(() => provider.shutdown());
  }

  telemetry.close = async () => {
    for (const close of closers.splice(0)) await close();
  };
  return telemetry;
}

function samplerOf({ samplingRatio, parentBased }: TelemetryConfig['tracing']): Sampler {
  const root = new TraceIdRatioBasedSampler(samplingRatio);
  return parentBased ? new ParentBasedSampler({ root }) : root;
}

function resourceOf(config: TelemetryConfig, version: string): Resource {
  const { serviceName, serviceVersion, serviceInstanceId, attributes } = config.resource;
  return resourceFromAttributes({
    ...attributes,
    [ATTR_SERVICE_NAME]: serviceName,
    [ATTR_SERVICE_VERSION]: serviceVersion ?? version,
    // service.instance.id is still incubating in the semantic conventions, hence the literal.
    'service.instance.id': serviceInstanceId ?? `${hostname()}-${process.pid}`,
  });
}

/**
 * In-memory and console exporters see each span at once; a network exporter batches. OTLP/HTTP with protobuf (the
 * default) encodes each span as it ends and batches the bytes (otlp-protobuf-sender.ts).
 */
async function spanProcessorOf(tracing: TelemetryConfig['tracing'], { spanExporter, logger }: TelemetryOptions): Promise<SpanProcessor> {
  if (spanExporter) return new SimpleSpanProcessor(spanExporter);
  if (tracing.exporter === 'console') return new SimpleSpanProcessor(new StderrSpanExporter());
  const { protocol, endpoint, headers, timeoutMs } = tracing.otlp;
  if (protocol === 'grpc') return new BatchSpanProcessor(await grpcExporterOf(tracing.otlp));
  if (protocol === 'http/json') {
    const { OTLPTraceExporter } = await import('@opentelemetry/exporter-trace-otlp-http');
    return new BatchSpanProcessor(new OTLPTraceExporter({ url: endpoint ?? DEFAULT_OTLP_HTTP, headers: { ...headers }, timeoutMillis: timeoutMs }));
  }
  const { otlpProtobufProcessor } = await import('./otlp-protobuf-sender.js');
  return otlpProtobufProcessor({ url: endpoint ?? DEFAULT_OTLP_HTTP, headers: { ...headers }, timeoutMs }, logger);
}

const DEFAULT_OTLP_HTTP = 'http://localhost:4318/v1/traces';

async function grpcExporterOf({ endpoint, headers, timeoutMs }: TelemetryConfig['tracing']['otlp']): Promise<SpanExporter> {
  const [{ OTLPTraceExporter }, { Metadata }] = await Promise.all([import('@opentelemetry/exporter-trace-otlp-grpc'), import('@grpc/grpc-js')]);
  const metadata = new Metadata();
  for (const [key, value] of Object.entries(headers)) metadata.set(key, value);
  return new OTLPTraceExporter({ url: endpoint ?? 'http://localhost:4317', metadata, timeoutMillis: timeoutMs });
}
