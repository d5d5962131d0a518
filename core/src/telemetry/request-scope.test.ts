import { ROOT_CONTEXT, trace, TraceFlags } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { RequestScope } from './request-scope.js';

const context = trace.setSpanContext(ROOT_CONTEXT, { traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7', traceFlags: TraceFlags.SAMPLED });
const later = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('RequestScope', () => {
  it('carries the context across awaits and into what the request starts', async () => {
    const scope = new RequestScope();
    const seen = await scope.during(context, async () => {
      await later(1);
      return new Promise((resolve) => setTimeout(() => resolve(scope.active()), 1));
    });
    expect(seen).toBe(context);
    expect(scope.active()).toBe(ROOT_CONTEXT);
  });

  it('lets nothing the request left behind hold its context once it is done: a timer firing later sees ROOT', async () => {
    const scope = new RequestScope();
    let fromLeftover: unknown;
    let logFields: unknown = 'unset';
    await scope.during(context, async () => {
      // As a keep-alive connection's timer, armed inside the request and fired after it.
      setTimeout(() => {
        fromLeftover = scope.active();
        logFields = scope.logFields();
      }, 20);
      expect(scope.logFields()).toEqual({ trace_id: '4bf92f3577b34da6a3ce929d0e0e4736', span_id: '00f067aa0ba902b7' });
    });
    await later(40);
    expect(fromLeftover).toBe(ROOT_CONTEXT);
    expect(logFields).toBeUndefined();
  });

  it('keeps the context for what still runs until the request is released', async () => {
    const scope = new RequestScope();
    const seen: unknown[] = [];
    const [, release] = scope.enter(context, () => {
      setTimeout(() => seen.push(scope.active()), 5);
      setTimeout(() => seen.push(scope.active()), 60);
    });
    await later(30);
    release();
    await later(60);
    expect(seen).toEqual([context, ROOT_CONTEXT]);
  });
});
