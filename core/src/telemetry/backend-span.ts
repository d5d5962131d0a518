import { INVALID_SPAN_CONTEXT, trace, type Context } from '@opentelemetry/api';
import type { ToolContext } from '../plugin/ports/tool-pack.js';
import type { KernelMetrics } from './kernel-metrics.js';
import { ATTR, endSpan, type Tracing } from './tracing.js';

const NOOP_SPAN = trace.wrapSpanContext(INVALID_SPAN_CONTEXT);

/** `ctx.span` with telemetry off: runs the call, nothing else, and is shared by every call. */
export const untracedSpan: ToolContext['span'] = (_name, fn) => fn(NOOP_SPAN);

/**
 * `ctx.span` of one tool call: a child span of the tool span and a backend-duration sample per call. Errors
 * mark the span by their class name only; their messages may hold URLs or credentials.
 */
export function backendSpan(tool: string, tracing: Tracing | undefined, parent: Context | undefined, metrics: KernelMetrics | undefined): ToolContext['span'] {
  if (!tracing && !metrics) return untracedSpan;
  return async (name, fn) => {
    const span = tracing?.start(name, { [ATTR.backend]: name, [ATTR.tool]: tool }, parent);
    const started = performance.now();
    const done = (outcome: 'ok' | 'error', code?: string) => {
      if (span) endSpan(span, outcome, code);
      metrics?.backendCall(tool, name, outcome, (performance.now() - started) / 1000);
    };
    try {
      const value = await fn(span ?? NOOP_SPAN);
      done('ok');
      return value;
    } catch (error) {
      done('error', error instanceof Error ? error.name : 'Error');
      throw error;
    }
  };
}
