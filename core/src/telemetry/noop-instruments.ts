import type {
  Context,
  Counter,
  Gauge,
  Histogram,
  Meter,
  MetricAttributes,
  ObservableCounter,
  ObservableGauge,
  ObservableUpDownCounter,
  Span,
  SpanOptions,
  Tracer,
  UpDownCounter,
} from '@opentelemetry/api';
import { otelApi } from './otel-api.js';

// What plugins get as `tracer` and `meter` with telemetry off, made without loading the OpenTelemetry API: a start
// with telemetry off does not load it at all. The tracer is the API's no-op tracer, made on first use.

// A provider of our own rather than the global API: nothing another library registers globally leaks in.
let tracer: Tracer | undefined;
const noopTracer = (): Tracer => (tracer ??= new (otelApi().ProxyTracerProvider)().getTracer('cnmcp'));

class DeferredNoopTracer implements Tracer {
  // Overloaded in the interface: forwarded as is.
  readonly startActiveSpan = ((...args: unknown[]) => (noopTracer().startActiveSpan as (...a: unknown[]) => unknown)(...args)) as Tracer['startActiveSpan'];

  startSpan(name: string, options?: SpanOptions, context?: Context): Span {
    return noopTracer().startSpan(name, options, context);
  }
}

/** Every instrument of the no-op meter: records nothing, like the API's own no-op instruments. */
const NOOP_INSTRUMENT = Object.freeze({ add() {}, record() {}, addCallback() {}, removeCallback() {} });

// Built here rather than taken from the API: the rate-limit stage makes its store-error counter at every start.
class NoopMeter implements Meter {
  createGauge<A extends MetricAttributes = MetricAttributes>(): Gauge<A> {
    return NOOP_INSTRUMENT;
  }
  createHistogram<A extends MetricAttributes = MetricAttributes>(): Histogram<A> {
    return NOOP_INSTRUMENT;
  }
  createCounter<A extends MetricAttributes = MetricAttributes>(): Counter<A> {
    return NOOP_INSTRUMENT;
  }
  createUpDownCounter<A extends MetricAttributes = MetricAttributes>(): UpDownCounter<A> {
    return NOOP_INSTRUMENT;
  }
  createObservableGauge<A extends MetricAttributes = MetricAttributes>(): ObservableGauge<A> {
    return NOOP_INSTRUMENT;
  }
  createObservableCounter<A extends MetricAttributes = MetricAttributes>(): ObservableCounter<A> {
    return NOOP_INSTRUMENT;
  }
  createObservableUpDownCounter<A extends MetricAttributes = MetricAttributes>(): ObservableUpDownCounter<A> {
    return NOOP_INSTRUMENT;
  }
  addBatchObservableCallback(): void {}
  removeBatchObservableCallback(): void {}
}

export const NOOP_TRACER: Tracer = new DeferredNoopTracer();
export const NOOP_METER: Meter = new NoopMeter();
