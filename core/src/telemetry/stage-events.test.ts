import { ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { describe, expect, it } from 'vitest';
import { stageEventsOf, StageEvents, withStageEvents } from './stage-events.js';

function recorded() {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  return { tracer: provider.getTracer('test'), finished: (name: string) => exporter.getFinishedSpans().find((s) => s.name === name)! };
}

describe('StageEvents', () => {
  it('adds the waiting events when flushed, with the times their stages started and their outcome attributes', () => {
    const { tracer, finished } = recorded();
    const span = tracer.startSpan('POST /mcp');
    const events = new StageEvents(span);
    const context = withStageEvents(trace.setSpan(ROOT_CONTEXT, span), events);
    const startedAt = performance.now();
    stageEventsOf(context)!.add('authenticate', startedAt, 'allowed', undefined, { 'cnmcp.identity.id': 'bot' });
    stageEventsOf(context)!.add('limit(ip)', performance.now(), 'denied', 'RATE_LIMITED', undefined);
    expect(finished('POST /mcp')).toBeUndefined();
    events.flush();
    span.end();
    const ended = finished('POST /mcp');
    expect(ended.events.map((e) => e.name)).toEqual(['authenticate', 'limit(ip)']);
    expect(ended.events[0]!.attributes).toEqual({ 'cnmcp.identity.id': 'bot', 'cnmcp.outcome': 'allowed', 'cnmcp.stage.duration_ms': expect.any(Number) });
    expect(ended.events[1]!.attributes).toMatchObject({ 'cnmcp.outcome': 'denied', 'cnmcp.error.code': 'RATE_LIMITED' });
    const startNanos = BigInt(ended.events[0]!.time[0]) * 1_000_000_000n + BigInt(ended.events[0]!.time[1]);
    const expectedNanos = BigInt(Math.round((performance.timeOrigin + startedAt) * 1e6));
    expect(Number(startNanos - expectedNanos) / 1e6).toBeLessThan(50); // the stage's start, not the flush
  });

  it('gives a child span set on a context carrying its parent list its events at once, never the parent its events', () => {
    const { tracer, finished } = recorded();
    const parent = tracer.startSpan('tools/call echo');
    const events = new StageEvents(parent);
    const parentContext = withStageEvents(trace.setSpan(ROOT_CONTEXT, parent), events);
    const child = tracer.startSpan('call', undefined, parentContext);
    stageEventsOf(trace.setSpan(parentContext, child))!.add('backend', performance.now(), 'ok', undefined, undefined);
    child.end();
    events.flush();
    parent.end();
    expect(finished('call').events.map((e) => e.name)).toEqual(['backend']);
    expect(finished('tools/call echo').events).toEqual([]);
  });

  it('has nowhere to put events under a context without a span', () => {
    expect(stageEventsOf(ROOT_CONTEXT)).toBeUndefined();
  });
});
