import { createContextKey, trace, type Attributes, type Context, type Span } from '@opentelemetry/api';
import { ATTR } from './tracing.js';

const STAGE_EVENTS = createContextKey('cnmcp.stage-events');

/**
 * The stage events of one open span (`telemetry.tracing.stages: events`), kept as plain values while the request
 * runs and added to the span just before it ends, with the times they happened. Added as each stage finished, an
 * event (its object, a copy of its attributes, its timestamp arrays) lived as long as the request and was copied
 * by every young-generation collection the request spanned: it was most of what a traced call gave the scavenger.
 */
export class StageEvents {
  /** Per event: name, start (performance.now), duration in ms, outcome, error code, other attributes. */
  readonly #pending: (string | number | Attributes | undefined)[] = [];
  readonly span: Span;
  /** Whether events wait for `flush`: a span that keeps no list (not a request or message span) gets them at once. */
  readonly #deferred: boolean;

  constructor(span: Span, deferred = true) {
    this.span = span;
    this.#deferred = deferred;
  }

  add(name: string, started: number, outcome: string, errorCode: string | undefined, attributes: Attributes | undefined): void {
    const duration = Math.round((performance.now() - started) * 1000) / 1000;
    if (this.#deferred) this.#pending.push(name, started, duration, outcome, errorCode, attributes);
    else this.span.addEvent(name, eventAttributes(attributes, outcome, errorCode, duration), started);
  }

  /** Adds the waiting events to the span: right before it ends. Any added after are dropped, as on an ended span. */
  flush(): void {
    const pending = this.#pending;
    for (let i = 0; i < pending.length; i += 6) {
      const attributes = eventAttributes(
        pending[i + 5] as Attributes | undefined,
        pending[i + 3] as string,
        pending[i + 4] as string | undefined,
        pending[i + 2] as number,
      );
      this.span.addEvent(pending[i] as string, attributes, pending[i + 1] as number);
    }
    pending.length = 0;
  }
}

function eventAttributes(attributes: Attributes | undefined, outcome: string, errorCode: string | undefined, duration: number): Attributes {
  const out = attributes ?? {};
  out[ATTR.outcome] = outcome;
  if (errorCode) out[ATTR.errorCode] = errorCode;
  out[ATTR.stageDuration] = duration;
  return out;
}

/** `context`, which holds `events.span`, carrying that span's event list. */
export const withStageEvents = (context: Context, events: StageEvents): Context => context.setValue(STAGE_EVENTS, events);

/** Where stage events under `context` go: its span's list, else straight onto its span; nowhere without a span. */
export function stageEventsOf(context: Context): StageEvents | undefined {
  const span = trace.getSpan(context);
  const events = context.getValue(STAGE_EVENTS) as StageEvents | undefined;
  // A child span set on a context that carried its parent's list does not inherit that list.
  if (events?.span === span) return events;
  return span && new StageEvents(span, false);
}
