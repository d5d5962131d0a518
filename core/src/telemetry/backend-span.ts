import type { Context, Span } from '@opentelemetry/api';
import type { BackendSpan, ToolContext } from '../plugin/ports/tool-pack.js';
import type { KernelMetrics } from './kernel-metrics.js';
import { otelApi } from './otel-api.js';
import { ATTR, endSpan, type Tracing } from './tracing.js';

const NO_HEADERS: Readonly<Record<string, string>> = Object.freeze({});
const NOOP_BACKEND_SPAN: BackendSpan = { setAttribute: () => NOOP_BACKEND_SPAN, traceHeaders: () => NO_HEADERS };

/** `ctx.span` with telemetry off: runs the call, nothing else, and is shared by every call. */
export const untracedSpan: ToolContext['span'] = (_name, fn) => fn(NOOP_BACKEND_SPAN);

/** What a backend call sees of its CLIENT span: attributes, and the headers that carry it to the backend. */
const backendSpanOf = (span: Span, tracing: Tracing): BackendSpan => ({
  setAttribute: (key, value) => span.setAttribute(key, value),
  traceHeaders: () => tracing.headersOf(span),
});

/**
 * `ctx.span` of one tool call: a CLIENT child span of the tool span (its traceparent ready for the backend
 * request) and a backend-duration sample per call. Errors mark the span by their class name only; their messages
 * may hold URLs or credentials.
 */
export function backendSpan(tool: string, tracing: Tracing | undefined, parent: Context | undefined, metrics: KernelMetrics | undefined): ToolContext['span'] {
  if (!tracing && !metrics) return untracedSpan;
  return async (name, fn) => {
    const span = tracing?.start(name, { [ATTR.backend]: name, [ATTR.tool]: tool }, parent, otelApi().SpanKind.CLIENT);
    const started = performance.now();
    const done = (outcome: 'ok' | 'error', code?: string) => {
      if (span) endSpan(span, outcome, code);
      metrics?.backendCall(tool, name, outcome, (performance.now() - started) / 1000);
    };
    try {
      const value = await fn(span ? backendSpanOf(span, tracing!) : NOOP_BACKEND_SPAN);
      done('ok');
      return value;
    } catch (error) {
      done('error', error instanceof Error ? error.name : 'Error');
      throw error;
    }
  };
}
