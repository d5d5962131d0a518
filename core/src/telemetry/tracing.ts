import type { Attributes, Context, Span, SpanKind, TextMapPropagator, Tracer } from '@opentelemetry/api';
import type { IncomingHttpHeaders } from 'node:http';
import { otelApi } from './otel-api.js';
import type { RequestScope } from './request-scope.js';

/** Span attribute names of cnmcp's own (never argument values or credentials). */
export const ATTR = {
  tool: 'cnmcp.tool.name',
  identity: 'cnmcp.identity.id',
  authMethod: 'cnmcp.auth.method',
  outcome: 'cnmcp.outcome',
  errorCode: 'cnmcp.error.code',
  rateLimitDecision: 'cnmcp.rate_limit.decision',
  rateLimitRule: 'cnmcp.rate_limit.rule',
  transport: 'cnmcp.transport',
  backend: 'cnmcp.backend',
  stageDuration: 'cnmcp.stage.duration_ms',
} as const;

/**
 * The kernel's tracing, present only when tracing is configured: instrumented code checks for it once and does
 * no span work at all otherwise.
 */
export class Tracing {
  readonly tracer: Tracer;
  readonly scope: RequestScope;
  /** `telemetry.tracing.stages: spans`: a child span per pipeline stage rather than an event. */
  readonly stageSpans: boolean;
  readonly #propagator: TextMapPropagator;
  readonly #suppress: (context: Context) => Context;
  readonly #api = otelApi();

  // `suppress` is @opentelemetry/core's suppressTracing, passed in so that this file loads no SDK code.
  constructor(tracer: Tracer, propagator: TextMapPropagator, scope: RequestScope, suppress: (context: Context) => Context, stageSpans = false) {
    this.tracer = tracer;
    this.stageSpans = stageSpans;
    this.#propagator = propagator;
    this.scope = scope;
    this.#suppress = suppress;
  }

  /** The SERVER span of an HTTP request, continuing the client's W3C traceparent when it sent one. */
  startRequest(name: string, headers: IncomingHttpHeaders, attributes: Attributes): Context {
    const parent = this.#propagator.extract(this.scope.active(), headers, HEADER_GETTER);
    const span = this.tracer.startSpan(name, { kind: this.#api.SpanKind.SERVER, attributes }, parent);
    return this.#api.trace.setSpan(parent, span);
  }

  /** A child of the active span (or of `parent`); INTERNAL unless `kind` says otherwise. */
  start(name: string, attributes?: Attributes, parent: Context = this.scope.active(), kind?: SpanKind): Span {
    return this.tracer.startSpan(name, kind === undefined ? (attributes ? { attributes } : {}) : { kind, ...(attributes ? { attributes } : {}) }, parent);
  }

  /** The W3C `traceparent` (and `tracestate`) of a span, for the headers of the backend request it stands for. */
  headersOf(span: Span): Record<string, string> {
    const headers: Record<string, string> = {};
    this.#propagator.inject(this.#api.trace.setSpan(this.#api.ROOT_CONTEXT, span), headers, HEADER_SETTER);
    return headers;
  }

  /** Runs `fn` with tracing suppressed: the stages of a probe or a scrape start no trace of their own. */
  untraced<T>(fn: () => T): T {
    return this.scope.run(this.#suppress(this.scope.active()), fn);
  }
}

/** Ends a stage span with its outcome; a stop or failure marks it as an error with the stable code only. */
export function endSpan(span: Span, outcome: string, errorCode?: string): void {
  span.setAttribute(ATTR.outcome, outcome);
  if (errorCode) {
    span.setAttribute(ATTR.errorCode, errorCode);
    span.setStatus({ code: otelApi().SpanStatusCode.ERROR, message: errorCode });
  }
  span.end();
}

const HEADER_SETTER = { set: (carrier: Record<string, string>, key: string, value: string) => void (carrier[key] = value) };

const HEADER_GETTER = {
  keys: (carrier: IncomingHttpHeaders) => Object.keys(carrier),
  get: (carrier: IncomingHttpHeaders, key: string) => carrier[key.toLowerCase()],
};
