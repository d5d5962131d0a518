import type { Attributes, AttributeValue, HrTime, SpanContext } from '@opentelemetry/api';
import type { ReadableSpan, TimedEvent } from '@opentelemetry/sdk-trace-base';

/**
 * Ended spans as one OTLP/protobuf ExportTraceServiceRequest, byte for byte what @opentelemetry/otlp-transformer's
 * ProtobufTraceSerializer writes (a test holds the two equal), in one pass over one reused buffer: a traced call's
 * three spans and thirteen events cost a third of the serializer's time, which sizes every message first, makes a
 * new writer and TextEncoder per request and a typed array per trace and span id.
 */
export function encodeSpans(spans: readonly ReadableSpan[]): Uint8Array {
  const writer = new SpanWriter();
  for (const [resource, scopes] of groupByResourceAndScope(spans)) {
    writer.tag(1, 2);
    const resourceSpans = writer.open(2);
    writer.tag(1, 2);
    const resourceStart = writer.open(1);
    writer.attributes(resource.attributes, 1);
    writer.tag(2, 0);
    writer.varint(0);
    writer.close(resourceStart);
    for (const scoped of scopes.values()) {
      writer.tag(2, 2);
      writer.scopeSpans(scoped);
    }
    if (resource.schemaUrl) writer.stringField(3, resource.schemaUrl);
    writer.close(resourceSpans);
  }
  return writer.finish();
}

type Resource = ReadableSpan['resource'];
type Scope = ReadableSpan['instrumentationScope'];

/** Spans grouped by resource, then by instrumentation scope, by identity and in first-seen order (as the SDK's). */
function groupByResourceAndScope(spans: readonly ReadableSpan[]): Map<Resource, Map<Scope, ReadableSpan[]>> {
  const resources = new Map<Resource, Map<Scope, ReadableSpan[]>>();
  for (const span of spans) {
    let scopes = resources.get(span.resource);
    if (!scopes) resources.set(span.resource, (scopes = new Map()));
    const scoped = scopes.get(span.instrumentationScope);
    if (scoped) scoped.push(span);
    else scopes.set(span.instrumentationScope, [span]);
  }
  return resources;
}

// Span flags: the low byte is the W3C trace flags; bit 8 says whether bit 9 (remote parent) is known.
const FLAGS_HAS_IS_REMOTE = 0x100;
const FLAGS_IS_REMOTE = 0x200;
const spanFlags = (traceFlags: number, isRemote: boolean | undefined) => (traceFlags & 0xff) | FLAGS_HAS_IS_REMOTE | (isRemote ? FLAGS_IS_REMOTE : 0);

/** One scratch buffer for every request: encoding is synchronous, and each result is copied out of it. */
let scratch = Buffer.allocUnsafe(64 * 1024);

/** A protobuf writer over the scratch buffer, with what OTLP spans need and nothing else. */
class SpanWriter {
  #buf = scratch;
  #pos = 0;

  finish(): Uint8Array {
    const out = Buffer.allocUnsafe(this.#pos);
    this.#buf.copy(out, 0, 0, this.#pos);
    return out;
  }

  scopeSpans(spans: readonly ReadableSpan[]): void {
    const start = this.open(3);
    const scope = spans[0]!.instrumentationScope as Scope & { attributes?: Attributes; droppedAttributesCount?: number };
    this.tag(1, 2);
    const scopeStart = this.open(1);
    this.stringField(1, scope.name);
    if (scope.version) this.stringField(2, scope.version);
    if (scope.attributes) this.attributes(scope.attributes, 3);
    if (scope.droppedAttributesCount) {
      this.tag(4, 0);
      this.varint(scope.droppedAttributesCount);
    }
    this.close(scopeStart);
    for (const span of spans) {
      this.tag(2, 2);
      this.span(span);
    }
    if (scope.schemaUrl) this.stringField(3, scope.schemaUrl);
    this.close(start);
  }

  span(span: ReadableSpan): void {
    const start = this.open(2);
    const context = span.spanContext();
    this.ids(context);
    const parent = span.parentSpanContext;
    if (parent?.spanId) this.hexField(4, parent.spanId);
    this.stringField(5, span.name);
    // OTLP's SpanKind counts from UNSPECIFIED = 0; the API's from INTERNAL = 0.
    const kind = span.kind == null ? 0 : span.kind + 1;
    if (kind !== 0) {
      this.tag(6, 0);
      this.varint(kind);
    }
    this.tag(7, 1);
    this.time(span.startTime);
    this.tag(8, 1);
    this.time(span.endTime);
    this.attributes(span.attributes, 9);
    this.tag(10, 0);
    this.varint(span.droppedAttributesCount);
    for (const event of span.events) {
      this.tag(11, 2);
      this.event(event);
    }
    this.tag(12, 0);
    this.varint(span.droppedEventsCount);
    for (const link of span.links) {
      this.tag(13, 2);
      const linkStart = this.open(1);
      this.ids(link.context);
      this.attributes(link.attributes, 4);
      this.tag(5, 0);
      this.varint(link.droppedAttributesCount || 0);
      this.tag(6, 5);
      this.fixed32(spanFlags(link.context.traceFlags, link.context.isRemote));
      this.close(linkStart);
    }
    this.tag(14, 0);
    this.varint(span.droppedLinksCount);
    this.tag(15, 2);
    const statusStart = this.open(1);
    if (span.status.message) this.stringField(2, span.status.message);
    this.tag(3, 0);
    this.varint(span.status.code);
    this.close(statusStart);
    this.tag(16, 5);
    this.fixed32(spanFlags(context.traceFlags, parent?.isRemote));
    this.close(start);
  }

  /** trace_id (1), span_id (2) and trace_state (3): the same fields in a span and in a link. */
  ids(context: SpanContext): void {
    this.hexField(1, context.traceId);
    this.hexField(2, context.spanId);
    const traceState = context.traceState?.serialize();
    if (traceState) this.stringField(3, traceState);
  }

  event(event: TimedEvent): void {
    const start = this.open(1);
    this.tag(1, 1);
    this.time(event.time);
    this.stringField(2, event.name);
    this.attributes(event.attributes, 3);
    this.tag(4, 0);
    this.varint(event.droppedAttributesCount || 0);
    this.close(start);
  }

  attributes(attributes: Attributes | undefined, field: number): void {
    if (!attributes) return;
    for (const key in attributes) {
      if (!Object.prototype.hasOwnProperty.call(attributes, key)) continue;
      this.tag(field, 2);
      this.keyValue(key, attributes[key]);
    }
  }

  keyValue(key: string, value: unknown): void {
    const start = this.open(1);
    this.stringField(1, key);
    this.tag(2, 2);
    const valueStart = this.open(1);
    this.anyValue(value);
    this.close(valueStart);
    this.close(start);
  }

  /** AnyValue, chosen by the value's JavaScript type as the SDK's serializer chooses it. */
  anyValue(value: unknown): void {
    switch (typeof value) {
      case 'string':
        return this.stringField(1, value);
      case 'boolean':
        this.tag(2, 0);
        return this.varint(value ? 1 : 0);
      case 'number':
        if (Number.isInteger(value) && value >= -(2 ** 63) && value < 2 ** 63) {
          this.tag(3, 0);
          return this.varint(value);
        }
        this.tag(4, 1);
        this.#room(8);
        this.#pos = this.#buf.writeDoubleLE(value, this.#pos);
        return;
    }
    if (value instanceof Uint8Array) {
      this.tag(7, 2);
      this.varint(value.length);
      this.#room(value.length);
      this.#buf.set(value, this.#pos);
      this.#pos += value.length;
    } else if (Array.isArray(value)) {
      this.tag(5, 2);
      const start = this.open(1);
      for (const item of value as readonly AttributeValue[]) {
        this.tag(1, 2);
        const itemStart = this.open(1);
        this.anyValue(item);
        this.close(itemStart);
      }
      this.close(start);
    } else if (typeof value === 'object' && value !== null) {
      this.tag(6, 2);
      const start = this.open(1);
      for (const key in value) {
        if (!Object.prototype.hasOwnProperty.call(value, key)) continue;
        this.tag(1, 2);
        this.keyValue(key, (value as Record<string, unknown>)[key]);
      }
      this.close(start);
    }
  }

  /** A length-delimited field's start: `guess` bytes kept for its length, which `close` writes (moving the body if the guess was off). */
  open(guess: number): number {
    this.#room(guess);
    const start = this.#pos;
    this.#pos += guess;
    return start * 4 + guess;
  }

  close(opened: number): void {
    const guess = opened & 3;
    const start = (opened - guess) / 4;
    const length = this.#pos - start - guess;
    const size = varintSize(length);
    if (size !== guess) {
      this.#room(size - guess);
      this.#buf.copyWithin(start + size, start + guess, this.#pos);
      this.#pos += size - guess;
    }
    let at = start;
    let v = length;
    while (v > 0x7f) {
      this.#buf[at++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    this.#buf[at] = v;
  }

  tag(field: number, wire: number): void {
    this.varint((field << 3) | wire);
  }

  /** A varint as the SDK's writer makes it: negative numbers as ten-byte two's complement. */
  varint(value: number): void {
    this.#room(10);
    const buf = this.#buf;
    if (value >= 0 && value <= 0xffffffff) {
      let v = value >>> 0;
      while (v > 0x7f) {
        buf[this.#pos++] = (v & 0x7f) | 0x80;
        v >>>= 7;
      }
      buf[this.#pos++] = v;
      return;
    }
    const abs = Math.abs(value);
    let low = abs >>> 0;
    let high = (abs / 0x100000000) >>> 0;
    if (value < 0) {
      low = (~low + 1) >>> 0;
      high = (~high + (low === 0 ? 1 : 0)) >>> 0;
    }
    while (high > 0 || low > 0x7f) {
      buf[this.#pos++] = (low & 0x7f) | 0x80;
      low = ((low >>> 7) | (high << 25)) >>> 0;
      high >>>= 7;
    }
    buf[this.#pos++] = low & 0x7f;
  }

  fixed32(value: number): void {
    this.#room(4);
    this.#fixed32(value >>> 0);
  }

  /** HrTime as nanoseconds since the epoch, fixed64: past 2^53, so in two 32-bit halves. */
  time([seconds, nanos]: HrTime): void {
    const fromLow16 = (seconds & 0xffff) * 1e9;
    const fromHigh = ((seconds / 0x10000) >>> 0) * 1e9;
    const low = (fromLow16 >>> 0) + (((fromHigh & 0xffff) * 0x10000) >>> 0) + nanos;
    const high = Math.floor(fromLow16 / 0x100000000) + ((fromHigh / 0x10000) >>> 0) + Math.floor(low / 0x100000000);
    this.#room(8);
    this.#fixed32(low >>> 0);
    this.#fixed32(high >>> 0);
  }

  stringField(field: number, text: string): void {
    this.tag(field, 2);
    const length = text.length;
    this.#room(5 + length * 3);
    const buf = this.#buf;
    if (length < 128) {
      // Short ASCII (nearly every name and value) is copied here, a native call costs more than the loop; the
      // first other character sends the string back to the UTF-8 encoder.
      const start = this.#pos;
      buf[start] = length;
      let i = 0;
      for (let code; i < length && (code = text.charCodeAt(i)) < 128; i++) buf[start + 1 + i] = code;
      if (i === length) {
        this.#pos = start + 1 + length;
        return;
      }
    }
    this.varint(Buffer.byteLength(text, 'utf8'));
    this.#pos += buf.write(text, this.#pos, 'utf8');
  }

  /** An id field: the hex string of the API as its bytes. */
  hexField(field: number, hex: string): void {
    this.tag(field, 2);
    const bytes = hex.length >>> 1;
    this.varint(bytes);
    this.#room(bytes);
    const buf = this.#buf;
    for (let i = 0; i < bytes; i++) buf[this.#pos++] = (nibble(hex.charCodeAt(2 * i)) << 4) | nibble(hex.charCodeAt(2 * i + 1));
  }

  #fixed32(value: number): void {
    const buf = this.#buf;
    buf[this.#pos++] = value & 0xff;
    buf[this.#pos++] = (value >>> 8) & 0xff;
    buf[this.#pos++] = (value >>> 16) & 0xff;
    buf[this.#pos++] = value >>> 24;
  }

  #room(bytes: number): void {
    if (this.#pos + bytes <= this.#buf.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.#buf.length * 2, this.#pos + bytes));
    this.#buf.copy(grown, 0, 0, this.#pos);
    this.#buf = scratch = grown;
  }
}

function nibble(code: number): number {
  if (code >= 48 && code <= 57) return code - 48;
  if (code >= 97 && code <= 102) return code - 87;
  return code - 55;
}

function varintSize(value: number): number {
  return value < 0x80 ? 1 : value < 0x4000 ? 2 : value < 0x200000 ? 3 : value < 0x10000000 ? 4 : 5;
}
