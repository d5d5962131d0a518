import { context, trace, TraceFlags } from '@opentelemetry/api';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { BasicTracerProvider, TraceIdRatioBasedSampler, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { describe, expect, it } from 'vitest';
import { decodeTraceRequest } from '../../../test/support/otlp-protobuf.js';
import { EncodingSpanProcessor, type EncodedSpans, type EncodingSpanProcessorOptions } from './encoding-span-processor.js';

type Logged = [level: string, message: string, fields?: Record<string, unknown>];

/** A logger that keeps what it is told, as the kernel's would write it. */
function recordingLogger() {
  const logged: Logged[] = [];
  const at = (level: string) => (message: string, fields?: Record<string, unknown>) => void logged.push([level, message, fields]);
  return { logged, logger: { info: at('info'), warn: at('warn'), error: at('error') } };
}

/**
 * A tracer whose ended spans go through the processor, with the real OTLP serializer; `sent` holds each export's
 * body and `logged` what the processor reported.
 */
function tracerWith(options: Partial<EncodingSpanProcessorOptions> = {}, send?: (batch: readonly EncodedSpans[]) => Promise<void>) {
  const sent: Uint8Array[] = [];
  const { logged, logger } = recordingLogger();
  const processor = new EncodingSpanProcessor({
    logger,
    encode: (spans: ReadableSpan[]) => ProtobufTraceSerializer.serializeRequest(spans)!,
    send:
      send ??
      (async (batch) => {
        sent.push(Buffer.concat(batch.map((b) => b.bytes)));
      }),
    shutdownSender: async () => {},
    ...options,
  });
  const provider = new BasicTracerProvider({ spanProcessors: [processor] });
  return {
    tracer: provider.getTracer('test'),
    processor,
    sent,
    logged,
    names: () => sent.flatMap((body) => decodeTraceRequest(body).map((s) => s.name)),
  };
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

describe('EncodingSpanProcessor', () => {
  it('exports every ended span exactly once, encoded as it ends, in well-formed requests of at most one batch', async () => {
    const { tracer, processor, sent, names } = tracerWith({ maxExportBatchSize: 10 });
    const ended: string[] = [];
    for (let turnNo = 0; turnNo < 7; turnNo++) {
      for (let i = 0; i < 4; i++) tracer.startSpan((ended[ended.length] = `span-${turnNo}-${i}`)).end();
      await turn();
    }
    // 28 spans in chunks of 4: full batches (10 spans or more queued) went out without waiting for the delay.
    expect(sent.length).toBeGreaterThan(0);
    await processor.forceFlush();
    expect(names().sort()).toEqual([...ended].sort());
    for (const body of sent) expect(decodeTraceRequest(body).length).toBeLessThanOrEqual(12);
  });

  it('keeps parent and child, events and trace ids as the SDK made them', async () => {
    const { tracer, processor, sent } = tracerWith();
    const parent = tracer.startSpan('POST /mcp');
    parent.addEvent('authenticate', { 'cnmcp.outcome': 'allowed' });
    const child = tracer.startSpan('call', undefined, trace.setSpan(context.active(), parent));
    child.end();
    parent.end();
    await processor.forceFlush();
    const spans = sent.flatMap((body) => decodeTraceRequest(body));
    const [p, c] = [spans.find((s) => s.name === 'POST /mcp')!, spans.find((s) => s.name === 'call')!];
    expect(p.events).toEqual(['authenticate']);
    expect(c.parentSpanId).toBe(p.spanId);
    expect(c.traceId).toBe(p.traceId);
    expect(p.traceId).toBe(parent.spanContext().traceId);
  });

  it('sends a partial batch after the scheduled delay, without a flush', async () => {
    const { tracer, sent, names } = tracerWith({ scheduledDelayMillis: 20 });
    tracer.startSpan('lonely').end();
    await turn();
    expect(sent).toHaveLength(0);
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(names()).toEqual(['lonely']);
  });

  it('drops spans past the queue size while an export is on its way, and sends what it kept', async () => {
    let release!: () => void;
    const blocked = new Promise<void>((resolve) => (release = resolve));
    const batches: number[] = [];
    const { tracer, processor, logged } = tracerWith({ maxQueueSize: 5, maxExportBatchSize: 5 }, async (batch) => {
      batches.push(batch.reduce((n, b) => n + b.spans, 0));
      await blocked;
    });
    for (let i = 0; i < 5; i++) tracer.startSpan(`first-${i}`).end();
    await turn(); // 5 queued: a full batch goes out and hangs
    for (let i = 0; i < 8; i++) tracer.startSpan(`second-${i}`).end();
    await turn(); // the first 5 of these fill the queue again; 3 are dropped
    release();
    await processor.forceFlush();
    expect(batches).toEqual([5, 5]);
    // Never silently: once when the queue fills, and how many were lost with the next export.
    expect(logged).toEqual([
      ['warn', 'span queue full: dropping spans until an export makes room', { maxQueueSize: 5 }],
      ['warn', 'spans were dropped: the span queue was full', { dropped: 3 }],
    ]);
  });

  it('logs the first failed export and the recovery, not every failure in between', async () => {
    let failures = 3;
    const { tracer, processor, logged } = tracerWith({ maxExportBatchSize: 1 }, async () => {
      if (failures-- > 0) throw new Error('connect ECONNREFUSED 127.0.0.1:4318');
    });
    for (let i = 0; i < 5; i++) {
      tracer.startSpan(`span-${i}`).end();
      await turn();
      await processor.forceFlush();
    }
    expect(logged).toEqual([
      ['warn', 'span export failed; its spans are lost', { spans: 1, error: 'connect ECONNREFUSED 127.0.0.1:4318' }],
      ['info', 'span export recovered', { failedExports: 3 }],
    ]);
  });

  it('leaves out spans the sampler did not sample, and takes none after shutdown', async () => {
    const sent: Uint8Array[] = [];
    const processor = new EncodingSpanProcessor({
      logger: recordingLogger().logger,
      encode: (spans) => ProtobufTraceSerializer.serializeRequest(spans)!,
      send: async (batch) => void sent.push(Buffer.concat(batch.map((b) => b.bytes))),
      shutdownSender: async () => {},
    });
    const never = new BasicTracerProvider({ sampler: new TraceIdRatioBasedSampler(0), spanProcessors: [processor] }).getTracer('t');
    const unsampled = never.startSpan('unsampled');
    expect(unsampled.spanContext().traceFlags & TraceFlags.SAMPLED).toBe(0);
    unsampled.end();
    await processor.shutdown();
    const always = new BasicTracerProvider({ spanProcessors: [processor] }).getTracer('t');
    always.startSpan('after-shutdown').end();
    await turn();
    await processor.forceFlush();
    expect(sent).toHaveLength(0);
  });
});
