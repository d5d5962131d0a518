import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, TraceFlags, type Attributes, type AttributeValue, type Span } from '@opentelemetry/api';
import { TraceState } from '@opentelemetry/core';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { describe, expect, it } from 'vitest';
import { decodeTraceRequest } from '../../../test/support/otlp-protobuf.js';
import { encodeSpans } from './otlp-span-encoder.js';

/** Ended spans from real SDK tracers (two resources, three scopes), as a span processor receives them. */
function recorder() {
  const ended: ReadableSpan[] = [];
  const processor = { onStart() {}, onEnd: (span: ReadableSpan) => void ended.push(span), forceFlush: async () => {}, shutdown: async () => {} };
  const providers = [
    new BasicTracerProvider({
      resource: resourceFromAttributes({ 'service.name': 'cnmcp', 'service.version': '1.2.3', 'host.arch': 'x64' }),
      spanProcessors: [processor],
    }),
    new BasicTracerProvider({ resource: resourceFromAttributes({ 'service.name': 'other', 'deployment.environment': 'prod' }), spanProcessors: [processor] }),
  ];
  const tracers = [
    providers[0]!.getTracer('cnmcp', '0.9.0'),
    providers[0]!.getTracer('cnmcp-backend', undefined, { schemaUrl: 'https://opentelemetry.io/schemas/1.30.0' }),
    providers[1]!.getTracer('other'),
  ];
  return { ended, tracers };
}

/** A small deterministic PRNG, so a failing case can be replayed from its seed. */
function random(seed: number) {
  let state = seed >>> 0 || 1;
  const next = () => (state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)]!;
  return { next, int, pick };
}

const STRINGS = [
  '',
  'allowed',
  'tools/call echo',
  'ünïcödé',
  'emoji 🚀 and 日本語',
  'lone \ud800 surrogate',
  'x'.repeat(127),
  'y'.repeat(128),
  'z'.repeat(20_000),
];
const NUMBERS = [0, 1, 127, 128, 300, -1, -300, 2 ** 31, 2 ** 32, 2 ** 32 + 5, 2 ** 53 - 1, -(2 ** 40), 0.5, -2.25, 1e300, Number.NaN, Infinity, -Infinity];

function attributeValue(r: ReturnType<typeof random>): AttributeValue {
  switch (r.int(5)) {
    case 0:
    case 1:
      return r.pick(STRINGS);
    case 2:
      return r.pick(NUMBERS);
    case 3:
      return r.next() < 0.5;
    default:
      return r.pick([['a', 'bé'], [1, 2.5, -3], [true, false], [], ['x', null, undefined] as AttributeValue]);
  }
}

function attributes(r: ReturnType<typeof random>, max: number): Attributes {
  const out: Attributes = {};
  for (let i = r.int(max + 1); i > 0; i--)
    out[r.pick(['cnmcp.outcome', 'cnmcp.stage.duration_ms', 'http.response.status_code', 'ключ', `k${r.int(50)}`])] = attributeValue(r);
  return out;
}

/** A span with whatever the SDK lets a caller give it: kinds, parents (local and remote), links, events, statuses. */
function randomSpan(r: ReturnType<typeof random>, tracers: readonly { startSpan: (...a: never[]) => Span }[], earlier: Span[]): Span {
  const tracer = r.pick(tracers) as unknown as import('@opentelemetry/api').Tracer;
  let parent = ROOT_CONTEXT;
  const choice = r.int(4);
  if (choice === 1 && earlier.length > 0) parent = trace.setSpan(ROOT_CONTEXT, r.pick(earlier));
  if (choice === 2)
    parent = trace.setSpanContext(ROOT_CONTEXT, {
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      spanId: '00f067aa0ba902b7',
      traceFlags: TraceFlags.SAMPLED,
      isRemote: true,
      traceState: new TraceState('vendor=abc,other=x-y'),
    });
  const links =
    r.next() < 0.2
      ? [
          {
            context: earlier[0]?.spanContext() ?? trace.wrapSpanContext({ traceId: 'a'.repeat(32), spanId: 'B'.repeat(16), traceFlags: 0 }).spanContext(),
            attributes: attributes(r, 2),
          },
        ]
      : [];
  const span = tracer.startSpan(
    r.pick(STRINGS.slice(0, 7)),
    { kind: r.pick([undefined, SpanKind.SERVER, SpanKind.CLIENT, SpanKind.INTERNAL, SpanKind.PRODUCER]), attributes: attributes(r, 6), links },
    parent,
  );
  for (let i = r.int(14); i > 0; i--) span.addEvent(r.pick(['authenticate', 'limit(ip)', 'validate', 'ä']), r.next() < 0.8 ? attributes(r, 3) : undefined);
  if (r.next() < 0.3) span.setStatus(r.next() < 0.5 ? { code: SpanStatusCode.ERROR, message: r.pick(STRINGS) } : { code: SpanStatusCode.OK });
  span.setAttributes(attributes(r, 3));
  return span;
}

describe('encodeSpans: OTLP/protobuf as the SDK serializer writes it', () => {
  it('writes the very bytes of ProtobufTraceSerializer for 300 random batches of SDK spans', () => {
    const { ended, tracers } = recorder();
    for (let seed = 1; seed <= 300; seed++) {
      const r = random(seed);
      const open: Span[] = [];
      for (let i = 1 + r.int(8); i > 0; i--) open.push(randomSpan(r, tracers, open));
      for (const span of open.reverse()) span.end();
      const batch = ended.splice(0);
      const expected = Buffer.from(ProtobufTraceSerializer.serializeRequest(batch)!);
      const actual = Buffer.from(encodeSpans(batch));
      if (!actual.equals(expected)) expect.fail(`seed ${seed}: ${actual.length} bytes differ from the SDK's ${expected.length}`);
    }
  });

  it('encodes a batch far larger than its scratch buffer (3-byte lengths) the same way, and the reader finds every span', () => {
    const { ended, tracers } = recorder();
    for (let i = 0; i < 600; i++) {
      const span = tracers[0]!.startSpan(`call ${i}`, { attributes: { 'cnmcp.tool.name': 'echo', big: 'v'.repeat(300) } });
      span.addEvent('authenticate', { 'cnmcp.outcome': 'allowed', 'cnmcp.stage.duration_ms': 0.012 });
      span.end();
    }
    const expected = Buffer.from(ProtobufTraceSerializer.serializeRequest(ended)!);
    const actual = encodeSpans(ended);
    expect(expected.length).toBeGreaterThan(128 * 1024);
    expect(Buffer.from(actual).equals(expected)).toBe(true);
    expect(decodeTraceRequest(actual).map((s) => s.name)).toEqual(ended.map((s) => s.name));
  });

  it('returns a copy that later encodings do not overwrite', () => {
    const { ended, tracers } = recorder();
    tracers[0]!.startSpan('first').end();
    const first = encodeSpans(ended.splice(0));
    const kept = Buffer.from(first);
    tracers[0]!.startSpan('second, and longer').end();
    encodeSpans(ended.splice(0));
    expect(Buffer.from(first).equals(kept)).toBe(true);
    expect(decodeTraceRequest(first).map((s) => s.name)).toEqual(['first']);
  });

  it('encodes no spans as an empty request', () => {
    expect(encodeSpans([]).length).toBe(0);
  });
});
