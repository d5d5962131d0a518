import { AsyncLocalStorage } from 'node:async_hooks';
import type { Context } from '@opentelemetry/api';
import { otelApi } from './otel-api.js';

/**
 * The trace context of the request being served, carried across awaits. One per kernel, never the global OTel
 * context manager: two kernels in one process keep their traces apart. Empty (and never entered) with tracing off.
 */
export class RequestScope {
  readonly #storage = new AsyncLocalStorage<Context>();

  /** The context of the request or call being served; ROOT outside one. */
  active(): Context {
    return this.#storage.getStore() ?? otelApi().ROOT_CONTEXT;
  }

  run<T>(context: Context, fn: () => T): T {
    return this.#storage.run(context, fn);
  }

  /** trace_id and span_id for log lines written inside a traced request. */
  logFields(): Record<string, string> | undefined {
    const context = this.#storage.getStore();
    const span = context && otelApi().trace.getSpanContext(context);
    return span ? { trace_id: span.traceId, span_id: span.spanId } : undefined;
  }
}
