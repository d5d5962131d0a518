// Records what the kernel adds to OpenTelemetry counters, through the public API's global meter provider, so a
// test can check a metric without an SDK or exporter (the same calls reach a real MeterProvider).
import { createNoopMeter, metrics, type Attributes, type Counter, type Meter } from '@opentelemetry/api';

export interface RecordedAdd {
  readonly name: string;
  readonly value: number;
  readonly attributes: Attributes;
}

/** Installs a recording global meter provider; call `uninstall()` after the test. */
export function installRecordingMeter(): { adds: RecordedAdd[]; uninstall(): void } {
  const adds: RecordedAdd[] = [];
  const meter: Meter = Object.create(createNoopMeter()) as Meter;
  meter.createCounter = (name: string): Counter => ({ add: (value, attributes = {}) => void adds.push({ name, value, attributes }) });
  metrics.setGlobalMeterProvider({ getMeter: () => meter });
  return { adds, uninstall: () => metrics.disable() };
}
