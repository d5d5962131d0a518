import { metrics, trace, type Meter, type Tracer } from '@opentelemetry/api';

// Without an OpenTelemetry SDK registered these are no-ops, so instrumented code costs next to nothing.
export const kernelTracer = (): Tracer => trace.getTracer('cnmcp');
export const kernelMeter = (): Meter => metrics.getMeter('cnmcp');
