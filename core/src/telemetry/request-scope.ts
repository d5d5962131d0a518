import { AsyncLocalStorage } from 'node:async_hooks';
import type { Context } from '@opentelemetry/api';
import { otelApi } from './otel-api.js';

/**
 * What the storage holds for one request or call: its trace context, until the request is done. Everything that
 * began inside it holds the entry (async_hooks store it on each resource): a connection's keep-alive timer until
 * the next request on that connection, a pooled backend socket, a file request. Emptied when the request is done,
 * the entry no longer keeps the request's spans, events and attributes alive, so that a young-generation collection
 * neither copies nor promotes them (they were the largest part of what a traced call promoted).
 */
interface ScopeEntry {
  context: Context | undefined;
}

/**
 * The trace context of the request being served, carried across awaits. One per kernel, never the global OTel
 * context manager: two kernels in one process keep their traces apart. Empty (and never entered) with tracing off.
 */
export class RequestScope {
  readonly #storage = new AsyncLocalStorage<ScopeEntry>();

  /** The context of the request or call being served; ROOT outside one, or after it is done. */
  active(): Context {
    return this.#storage.getStore()?.context ?? otelApi().ROOT_CONTEXT;
  }

  run<T>(context: Context, fn: () => T): T {
    return this.#storage.run({ context }, fn);
  }

  /** Runs `fn` in `context`; after `release()`, what `fn` started and left behind sees ROOT (see ScopeEntry). */
  enter<T>(context: Context, fn: () => T): [result: T, release: () => void] {
    const entry: ScopeEntry = { context };
    return [this.#storage.run(entry, fn), () => void (entry.context = undefined)];
  }

  /** Runs `fn` in `context` until the promise it returns settles. */
  async during<T>(context: Context, fn: () => Promise<T>): Promise<T> {
    const [pending, release] = this.enter(context, fn);
    try {
      return await pending;
    } finally {
      release();
    }
  }

  /** trace_id and span_id for log lines written inside a traced request. */
  logFields(): Record<string, string> | undefined {
    const context = this.#storage.getStore()?.context;
    const span = context && otelApi().trace.getSpanContext(context);
    return span ? { trace_id: span.traceId, span_id: span.spanId } : undefined;
  }
}
