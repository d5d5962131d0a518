// A reader for OTLP/protobuf trace requests (ExportTraceServiceRequest), as a collector's receiver parses them:
// the wire format walked field by field, so that a test checks real structure, not strings found in the bytes.
// Only what tests look at is kept: resources' service.name, and each span's ids, name, parent and event names.

export interface DecodedSpan {
  readonly service: string;
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId: string;
  readonly name: string;
  readonly events: readonly string[];
}

type Field = { readonly no: number; readonly wire: number; readonly value: bigint | Uint8Array };

function* fields(bytes: Uint8Array): Generator<Field> {
  let at = 0;
  const varint = (): bigint => {
    let result = 0n;
    for (let shift = 0n; ; shift += 7n) {
      if (at >= bytes.length) throw new Error('truncated varint');
      const byte = bytes[at++]!;
      result |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return result;
    }
  };
  while (at < bytes.length) {
    const key = Number(varint());
    const no = key >>> 3;
    const wire = key & 7;
    if (wire === 0) yield { no, wire, value: varint() };
    else if (wire === 1 || wire === 5) {
      const size = wire === 1 ? 8 : 4;
      if (at + size > bytes.length) throw new Error('truncated fixed field');
      yield { no, wire, value: bytes.subarray(at, (at += size)) };
    } else if (wire === 2) {
      const length = Number(varint());
      if (at + length > bytes.length) throw new Error(`field ${no}: length ${length} runs past the end`);
      yield { no, wire, value: bytes.subarray(at, (at += length)) };
    } else throw new Error(`field ${no}: unsupported wire type ${wire}`);
  }
}

const bytesOf = (f: Field): Uint8Array => f.value as Uint8Array;
const text = (f: Field): string => Buffer.from(bytesOf(f)).toString('utf8');
const hex = (f: Field): string => Buffer.from(bytesOf(f)).toString('hex');

/** The string value of a KeyValue whose key is `key`, if this is one. */
function stringAttribute(keyValue: Uint8Array, key: string): string | undefined {
  let k: string | undefined;
  let v: string | undefined;
  for (const f of fields(keyValue)) {
    if (f.no === 1) k = text(f);
    if (f.no === 2) for (const any of fields(bytesOf(f))) if (any.no === 1) v = text(any);
  }
  return k === key ? v : undefined;
}

function span(bytes: Uint8Array, service: string): DecodedSpan {
  let traceId = '';
  let spanId = '';
  let parentSpanId = '';
  let name = '';
  const events: string[] = [];
  for (const f of fields(bytes)) {
    if (f.no === 1) traceId = hex(f);
    else if (f.no === 2) spanId = hex(f);
    else if (f.no === 4) parentSpanId = hex(f);
    else if (f.no === 5) name = text(f);
    else if (f.no === 11) for (const e of fields(bytesOf(f))) if (e.no === 2) events.push(text(e));
  }
  return { service, traceId, spanId, parentSpanId, name, events };
}

/** Every span of one request body, in order; throws on anything that is not a well-formed request. */
export function decodeTraceRequest(body: Uint8Array): DecodedSpan[] {
  const spans: DecodedSpan[] = [];
  for (const resourceSpans of fields(body)) {
    if (resourceSpans.no !== 1 || resourceSpans.wire !== 2) throw new Error(`not an ExportTraceServiceRequest: field ${resourceSpans.no}`);
    let service = '';
    const scopes: Uint8Array[] = [];
    for (const f of fields(bytesOf(resourceSpans))) {
      if (f.no === 1)
        for (const attribute of fields(bytesOf(f))) if (attribute.no === 1) service = stringAttribute(bytesOf(attribute), 'service.name') ?? service;
      if (f.no === 2) scopes.push(bytesOf(f));
    }
    for (const scope of scopes) for (const f of fields(scope)) if (f.no === 2) spans.push(span(bytesOf(f), service));
  }
  return spans;
}
