import { ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { NOOP_TELEMETRY } from './telemetry.js';

// With telemetry off, plugins still get a tracer and a meter they may call freely; nothing is recorded.
describe('the tracer and meter of telemetry that is off', () => {
  it('runs a plugin span callback and returns its value, without recording', () => {
    const value = NOOP_TELEMETRY.tracer.startActiveSpan('backend call', (span) => {
      expect(span.isRecording()).toBe(false);
      span.end();
      return 42;
    });
    expect(value).toBe(42);
    const span = NOOP_TELEMETRY.tracer.startSpan('child', {}, ROOT_CONTEXT);
    expect(span.isRecording()).toBe(false);
  });

  it('keeps the trace of a parent context for spans started under it (propagation still works)', () => {
    const parent = trace.setSpanContext(ROOT_CONTEXT, { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', traceFlags: 1 });
    expect(NOOP_TELEMETRY.tracer.startSpan('child', {}, parent).spanContext().traceId).toBe('0af7651916cd43dd8448eb211c80319c');
  });

  it('gives instruments that accept every record and callback', () => {
    const { meter } = NOOP_TELEMETRY;
    expect(() => {
      meter.createCounter('c').add(1, { a: 'b' });
      meter.createUpDownCounter('u').add(-1);
      meter.createHistogram('h').record(0.5);
      meter.createGauge('g').record(3);
      const observable = meter.createObservableGauge('og');
      const callback = () => {};
      observable.addCallback(callback);
      observable.removeCallback(callback);
      meter.createObservableCounter('oc').addCallback(callback);
      meter.createObservableUpDownCounter('ou').addCallback(callback);
      meter.addBatchObservableCallback(callback, [observable]);
      meter.removeBatchObservableCallback(callback, [observable]);
    }).not.toThrow();
  });
});
