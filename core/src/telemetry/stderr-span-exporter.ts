import { ExportResultCode, hrTimeToMicroseconds, type ExportResult } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';

/**
 * `exporter: console`: one JSON line per finished span on stderr. Not the SDK's ConsoleSpanExporter, which
 * prints to stdout, and on the stdio transport stdout belongs to MCP.
 */
export class StderrSpanExporter implements SpanExporter {
  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    for (const span of spans) {
      const context = span.spanContext();
      const line = {
        name: span.name,
        traceId: context.traceId,
        spanId: context.spanId,
        parentSpanId: span.parentSpanContext?.spanId,
        kind: span.kind,
        startUs: hrTimeToMicroseconds(span.startTime),
        durationUs: hrTimeToMicroseconds(span.duration),
        status: span.status,
        attributes: span.attributes,
        // The pipeline stages (telemetry.tracing.stages: events) and anything else recorded on the span.
        ...(span.events.length > 0 ? { events: span.events.map((e) => ({ name: e.name, attributes: e.attributes ?? {} })) } : {}),
      };
      process.stderr.write(`${JSON.stringify(line)}\n`);
    }
    done({ code: ExportResultCode.SUCCESS });
  }

  async shutdown(): Promise<void> {}
}
