import type { Meter } from '@opentelemetry/api';
import { CounterTally } from './counter-tally.js';

/** What the kernel's observable gauges read at scrape time. */
export interface MetricSources {
  readonly audit: { readonly written: number; readonly dropped: number; readonly depth: number };
  readonly inflight: { readonly count: number };
}

const TOOL_OUTCOMES = ['success', 'failure', 'denied'] as const;
const LIMITS = ['ip', 'identity', 'tool', 'lockout'] as const;

// Seconds: from a fast local tool (1 ms) to the longest sensible deadline.
const DURATION_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

/**
 * The kernel's instruments. Names become Prometheus names as they are (counters gain `_total`); every label
 * has a small closed set of values (tool names come from the catalog, never from the client).
 */
export class KernelMetrics {
  readonly #requests;
  readonly #auth;
  readonly #toolCalls;
  readonly #toolDuration;
  readonly #rateLimited;
  readonly #backendDuration;

  constructor(meter: Meter, sources: MetricSources) {
    this.#requests = new CounterTally(meter, 'cnmcp_http_requests', 'HTTP requests answered, by endpoint, transport and status code.');
    this.#auth = new CounterTally(meter, 'cnmcp_auth_attempts', 'Authentication attempts by method and outcome (success, failure).');
    this.#toolCalls = new CounterTally(meter, 'cnmcp_tool_calls', 'Tool calls by tool and outcome (success, failure, denied).');
    this.#toolDuration = meter.createHistogram('cnmcp_tool_call_duration_seconds', {
      description: 'Tool call duration from the start of authorization to the audit record.',
      unit: 's',
      advice: { explicitBucketBoundaries: DURATION_BUCKETS },
    });
    this.#rateLimited = new CounterTally(meter, 'cnmcp_rate_limited', 'Requests refused by a rate limit or a lockout, by limit (ip, identity, tool, lockout).');
    this.#backendDuration = meter.createHistogram('cnmcp_backend_call_duration_seconds', {
      description: 'Duration of backend calls tool packs make (ctx.span), by tool, backend operation and outcome.',
      unit: 's',
      advice: { explicitBucketBoundaries: DURATION_BUCKETS },
    });
    meter
      .createObservableCounter('cnmcp_audit_events_written', { description: 'Audit events stored, counted once per sink.' })
      .addCallback((r) => r.observe(sources.audit.written));
    meter
      .createObservableCounter('cnmcp_audit_events_dropped', { description: 'Audit events lost: queue full or a sink failed, counted once per sink.' })
      .addCallback((r) => r.observe(sources.audit.dropped));
    meter
      .createObservableGauge('cnmcp_audit_queue_depth', { description: 'Audit events waiting to be written.' })
      .addCallback((r) => r.observe(sources.audit.depth));
    meter
      .createObservableGauge('cnmcp_tool_calls_in_flight', { description: 'Tool handlers running now.' })
      .addCallback((r) => r.observe(sources.inflight.count));
  }

  /**
   * Creates every series of a known label set at 0, so that `increase()` and `rate()` see the first event instead of
   * a series appearing out of nothing (which they read as no change).
   */
  startAtZero(known: { readonly tools: Iterable<string>; readonly authMethods: Iterable<string> }): void {
    for (const tool of known.tools) for (const outcome of TOOL_OUTCOMES) this.#toolCall(tool, outcome, 0);
    for (const method of known.authMethods) for (const outcome of ['success', 'failure'] as const) this.#authAttempts(method, outcome, 0);
    this.#authAttempts('none', 'failure', 0);
    for (const limit of LIMITS) this.#refusals(limit, 0);
  }

  request(endpoint: string, transport: string, status: number): void {
    this.#requests.add(`${endpoint}\0${transport}\0${status}`, 1, () => ({ endpoint, transport, status: String(status) }));
  }

  auth(method: string, outcome: 'success' | 'failure'): void {
    this.#authAttempts(method, outcome, 1);
  }

  toolCall(tool: string, outcome: string, seconds: number): void {
    this.#toolCall(tool, outcome, 1);
    this.#toolDuration.record(seconds, { tool, outcome });
  }

  // Each counter is added to in one place: by 1 per event, by 0 when startAtZero creates its series.
  #toolCall(tool: string, outcome: string, n: number): void {
    this.#toolCalls.add(`${tool}\0${outcome}`, n, () => ({ tool, outcome }));
  }

  #authAttempts(method: string, outcome: 'success' | 'failure', n: number): void {
    this.#auth.add(`${method}\0${outcome}`, n, () => ({ method, outcome }));
  }

  #refusals(limit: (typeof LIMITS)[number], n: number): void {
    this.#rateLimited.add(limit, n, () => ({ limit }));
  }

  rateLimited(limit: (typeof LIMITS)[number]): void {
    this.#refusals(limit, 1);
  }

  backendCall(tool: string, backend: string, outcome: 'ok' | 'error', seconds: number): void {
    this.#backendDuration.record(seconds, { tool, backend, outcome });
  }
}
