import { ExportResultCode } from '@opentelemetry/core';
import { convertLegacyHttpOptions, createOtlpHttpExportDelegate } from '@opentelemetry/otlp-exporter-base/node-http';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { EncodingSpanProcessor, type EncodedSpans, type EncodingSpanProcessorOptions } from './encoding-span-processor.js';
import { encodeSpans } from './otlp-span-encoder.js';

export interface OtlpHttpTarget {
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly timeoutMs: number;
}

/**
 * OTLP/HTTP with protobuf (the default protocol) through the exporter's own transport: the same endpoint and
 * OTEL_EXPORTER_OTLP_* handling, retries, timeout and concurrency limit as @opentelemetry/exporter-trace-otlp-proto,
 * and the same bytes as its serializer (encodeSpans, faster). Spans are encoded as they end (EncodingSpanProcessor); an export
 * sends the encoded requests back to back, which a protobuf parser reads as one request with all their spans.
 */
export function otlpProtobufProcessor(target: OtlpHttpTarget, logger: EncodingSpanProcessorOptions['logger']): EncodingSpanProcessor {
  const delegate = createOtlpHttpExportDelegate(
    convertLegacyHttpOptions({ url: target.url, headers: target.headers, timeoutMillis: target.timeoutMs }, 'TRACES', 'v1/traces', {
      'Content-Type': 'application/x-protobuf',
    }),
    {
      serializeRequest: (batch: readonly EncodedSpans[]) => Buffer.concat(batch.map((b) => b.bytes)),
      deserializeResponse: (data: Uint8Array) => ProtobufTraceSerializer.deserializeResponse(data),
    },
    'otlp_http_span_exporter',
    { name: 'span', countItems: (batch: readonly EncodedSpans[]) => batch.reduce((n, b) => n + b.spans, 0) },
    undefined,
  );
  return new EncodingSpanProcessor({
    encode: encodeSpans,
    send: (batch) =>
      new Promise((resolve, reject) =>
        delegate.export(batch, (result) => (result.code === ExportResultCode.SUCCESS ? resolve() : reject(result.error ?? new Error('span export failed')))),
      ),
    shutdownSender: () => delegate.shutdown(),
    logger,
  });
}
