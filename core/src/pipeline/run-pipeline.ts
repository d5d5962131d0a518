import type { Attributes, Context, Span } from '@opentelemetry/api';
import { CnmcpError } from '../plugin/errors.js';
import type { AuditEmitter, AuditInput } from '../plugin/ports/audit-sink.js';
import type { ToolResult } from '../plugin/ports/tool-pack.js';
import type { KernelMetrics } from '../telemetry/kernel-metrics.js';
import { mcpSpanAttributes } from '../telemetry/mcp-span-attributes.js';
import { otelApi } from '../telemetry/otel-api.js';
import { ATTR, endSpan, type Tracing } from '../telemetry/tracing.js';
import type { RequestContext } from './request-context.js';
import type { Stage, StageRun } from './stages.js';
import { firstText } from './tool-call.js';
import { auditTypeOf, outcomeOf, stop, type StageEvent, type StageVerdict, type Stop } from './verdict.js';

export interface CompiledStage {
  readonly stage: Stage;
  readonly run: StageRun;
}

export interface LoopDeps {
  readonly audit: AuditEmitter & { readonly failClosed: boolean; record(event: AuditInput): Promise<void> };
  readonly recordArguments: boolean;
  /** Present only when tracing is on. */
  readonly tracing?: Tracing;
  /** Present only when metrics are on. */
  readonly metrics?: KernelMetrics;
}

/** The outcome of the message stages: the call's result, or the refusal the entry turns into its answer. */
export type MessageOutcome = { readonly continue: true; readonly result: unknown } | Stop;

export interface Pipeline {
  /**
   * The request stages of an HTTP request: undefined when it may go on (ctx now has identity and body), else the
   * refusal. `until` stops after the named stage (a CORS preflight goes no further than the Origin check).
   */
  request(ctx: RequestContext, until?: string): Promise<Stop | undefined>;
  /** The message stages, the call and its audit record, for one JSON-RPC message or one admin/metrics request. */
  message(ctx: RequestContext): Promise<MessageOutcome>;
}

/** Whether spans under `context` are recorded: not under a request its sampler left out (no span work then). */
const recording = (context: Context): boolean => otelApi().trace.getSpan(context)?.isRecording() ?? true;

/** Where a request came from, for audit: the socket's address and user agent, and the transport. */
function auditSource(ctx: RequestContext): AuditInput['source'] {
  const source: { -readonly [K in keyof NonNullable<AuditInput['source']>]?: NonNullable<AuditInput['source']>[K] } = { transport: ctx.transport };
  if (ctx.source.ip !== undefined) source.ip = ctx.source.ip;
  if (ctx.source.userAgent !== undefined) source.userAgent = ctx.source.userAgent;
  return source;
}

/** Where a traced stage reports: its own span, or an event (started now) on the span it runs under. */
type StageTrail = Span | { readonly on: Span; readonly started: number };

/** Ends a stage's span, or adds its event: the stage's name, outcome, error code and duration in milliseconds. */
function finishStage(trail: StageTrail, name: string, attributes: Attributes, outcome: string, errorCode?: string): void {
  if (!('on' in trail)) {
    trail.setAttributes(attributes);
    return endSpan(trail, outcome, errorCode);
  }
  attributes[ATTR.outcome] = outcome;
  if (errorCode) attributes[ATTR.errorCode] = errorCode;
  attributes[ATTR.stageDuration] = Math.round((performance.now() - trail.started) * 1000) / 1000;
  trail.on.addEvent(name, attributes, trail.started);
}

/** Who to name in audit: nobody until authentication decided (or found no auth configured), then the identity. */
const actorOf = (ctx: RequestContext, phase: Stage['phase']) =>
  phase === 'request' && !ctx.credential ? undefined : { id: ctx.identity.id, authMethod: ctx.identity.authMethod, roles: ctx.identity.roles };

/**
 * The one loop. It runs the compiled list in order and owns, for every stage, what each stage used to repeat:
 * its trace event or span (named after the stage), its metric, the refusal (a Stop, answered by the entry from
 * the stop-code table) and the audit events. A thrown error is a refusal too (fail closed), never a silent pass.
 */
export function createPipeline(stages: readonly CompiledStage[], deps: LoopDeps): Pipeline {
  const { audit, tracing, metrics } = deps;
  const requestStages = stages.filter((s) => s.stage.phase === 'request');
  const messageStages = stages.filter((s) => s.stage.phase === 'message');

  const baseOf = (ctx: RequestContext, phase: Stage['phase'] = 'message'): Omit<AuditInput, 'type' | 'outcome'> => {
    // Built field by field (not with spreads): two of these go into every audited call.
    const base: { -readonly [K in keyof AuditInput]?: AuditInput[K] } = {};
    const actor = actorOf(ctx, phase);
    if (actor) base.actor = actor;
    base.source = auditSource(ctx);
    if (ctx.message) base.requestId = ctx.requestId;
    if (ctx.target?.kind === 'tool') base.tool = ctx.target.tool.name;
    else if (ctx.message?.method === 'tools/call') base.tool = String(ctx.message.params.name ?? '');
    const context = ctx.trace ?? tracing?.scope.active();
    const traceId = context && otelApi().trace.getSpanContext(context)?.traceId;
    if (traceId) base.traceId = traceId;
    return base as Omit<AuditInput, 'type' | 'outcome'>;
  };
  const record = (ctx: RequestContext, phase: Stage['phase'], events: readonly StageEvent[] | undefined) => {
    if (events) for (const event of events) audit.emit(Object.assign(baseOf(ctx, phase), event));
  };
  /** Where writing an audit record reports: an event on the span it is written under, or its own span (`stages: spans`). */
  const auditTrail = (parent: Context): StageTrail => {
    const on = tracing!.stageSpans ? undefined : otelApi().trace.getSpan(parent);
    return on ? { on, started: performance.now() } : tracing!.start('audit', undefined, parent);
  };

  /**
   * Runs some stages; returns the refusal of the first that stops. Traced, each stage is an event on the parent
   * span (`telemetry.tracing.stages: events`) or a child span of its own (`spans`), and so is writing the audit
   * record; `call` is always a span, since the handler's log lines and backend spans hang under it.
   */
  async function runStages(list: readonly CompiledStage[], ctx: RequestContext): Promise<Stop | undefined> {
    const parent = tracing && (ctx.trace ?? tracing.scope.active());
    const traced = parent !== undefined && recording(parent);
    const parentSpan = traced && !tracing!.stageSpans ? otelApi().trace.getSpan(parent!) : undefined;
    for (const { stage, run } of list) {
      const span: Span | undefined = traced && (parentSpan === undefined || stage.name === 'call') ? tracing!.start(stage.name, undefined, parent) : undefined;
      const trail: StageTrail | undefined = span ?? (parentSpan && { on: parentSpan, started: performance.now() });
      if (span) ctx.stageTrace = otelApi().trace.setSpan(parent!, span);
      else if (parent) ctx.stageTrace = parent;
      let verdict: StageVerdict;
      try {
        // A synchronous stage (most are) is not awaited: no microtask hop per stage.
        const pending = run(ctx);
        verdict = pending instanceof Promise ? await pending : pending;
      } catch (error) {
        if (trail) finishStage(trail, stage.name, {}, 'error', error instanceof CnmcpError ? error.code : 'INTERNAL');
        throw error;
      }
      observe(stage, verdict, ctx, trail);
      if (verdict.continue) {
        if (verdict.headers) Object.assign(ctx.responseHeaders, verdict.headers);
        record(ctx, stage.phase, verdict.events);
        continue;
      }
      const auditAt = traced ? auditTrail(parent!) : undefined;
      record(ctx, stage.phase, verdict.events);
      const refusal = Object.assign(baseOf(ctx, stage.phase), {
        type: auditTypeOf(verdict.code),
        outcome: outcomeOf(verdict.code),
        error: { code: verdict.code, message: verdict.message },
      }) as { -readonly [K in keyof AuditInput]: AuditInput[K] };
      if (verdict.details) refusal.details = verdict.details;
      audit.emit(refusal);
      if (auditAt) finishStage(auditAt, 'audit', {}, 'recorded');
      return verdict;
    }
    return undefined;
  }

  function observe(stage: Stage, verdict: StageVerdict, ctx: RequestContext, trail: StageTrail | undefined): void {
    const counts = stage.counts;
    if (counts === 'auth') {
      if (verdict.continue) metrics?.auth(ctx.identity.authMethod, 'success');
      else if (verdict.code === 'UNAUTHENTICATED') metrics?.auth(authMethodOf(verdict), 'failure');
    }
    if (!verdict.continue && verdict.code === 'RATE_LIMITED' && counts !== undefined)
      metrics?.rateLimited(counts === 'auth' || verdict.details?.lockout ? 'lockout' : counts);
    if (!trail) return;
    const attributes: Attributes = {};
    if (counts === 'ip' || counts === 'identity' || counts === 'tool') attributes[ATTR.rateLimitDecision] = verdict.continue ? 'allowed' : 'limited';
    if (verdict.continue) {
      if (counts === 'auth' && ctx.credential) {
        attributes[ATTR.identity] = ctx.identity.id;
        attributes[ATTR.authMethod] = ctx.identity.authMethod;
        otelApi()
          .trace.getSpan(ctx.trace ?? tracing!.scope.active())
          ?.setAttributes({ [ATTR.identity]: ctx.identity.id, [ATTR.authMethod]: ctx.identity.authMethod });
      }
      if (verdict.attributes) Object.assign(attributes, verdict.attributes);
      return finishStage(trail, stage.name, attributes, 'allowed');
    }
    if (typeof verdict.details?.rule === 'string') attributes[ATTR.rateLimitRule] = verdict.details.rule;
    if (typeof verdict.details?.strategy === 'string') attributes[ATTR.authMethod] = authMethodOf(verdict);
    finishStage(trail, stage.name, attributes, outcomeOf(verdict.code), verdict.code);
    otelApi()
      .trace.getSpan(ctx.trace ?? tracing!.scope.active())
      ?.setAttributes({ [ATTR.outcome]: outcomeOf(verdict.code), [ATTR.errorCode]: verdict.code });
  }

  return {
    request: (ctx, until) => {
      if (until === undefined) return runStages(requestStages, ctx);
      const last = requestStages.findIndex((s) => s.stage.name === until);
      return runStages(last < 0 ? requestStages : requestStages.slice(0, last + 1), ctx);
    },

    async message(ctx) {
      const started = performance.now();
      const method = ctx.message?.method;
      const toolName = method === 'tools/call' ? String(ctx.message?.params.name ?? '') : undefined;
      let messageSpan: Span | undefined;
      const parent = tracing && method ? (ctx.trace ?? tracing.scope.active()) : undefined;
      // The span's name and attributes are built only for a request that is sampled.
      if (parent && method && recording(parent)) {
        const attributes = mcpSpanAttributes(ctx.message!, ctx.session, ctx.transport);
        if (toolName !== undefined) attributes[ATTR.tool] = toolName;
        attributes[ATTR.identity] = ctx.identity.id;
        attributes[ATTR.authMethod] = ctx.identity.authMethod;
        attributes[ATTR.transport] = ctx.transport;
        const span = tracing!.start(toolName !== undefined ? `tools/call ${toolName}` : method, attributes, undefined, otelApi().SpanKind.SERVER);
        messageSpan = span;
        ctx.trace = otelApi().trace.setSpan(parent, span);
      }
      const finish = (outcome: string, code?: string) => {
        if (messageSpan?.isRecording()) endSpan(messageSpan, outcome, code);
        if (toolName !== undefined) metrics?.toolCall(ctx.target?.kind === 'tool' ? toolName : '(unknown)', outcome, (performance.now() - started) / 1000);
      };
      let refused: Stop | undefined;
      let thrown: unknown;
      try {
        refused = await runStages(messageStages, ctx);
      } catch (error) {
        thrown = error;
      }
      if (refused) {
        finish(outcomeOf(refused.code), refused.code);
        return refused;
      }
      // What the call produced (or how it failed), for the audit record that follows it.
      const result = ctx.result as ToolResult | undefined;
      const failure =
        thrown !== undefined
          ? { code: thrown instanceof CnmcpError ? thrown.code : 'INTERNAL', message: (thrown as Error)?.message ?? String(thrown) }
          : ctx.auditAs === 'tool.call' && result?.isError
            ? { code: 'TOOL_ERROR', message: firstText(result) }
            : undefined;
      if (ctx.auditAs) {
        const event = Object.assign(baseOf(ctx), {
          type: ctx.auditAs,
          outcome: failure ? 'failure' : 'success',
          durationMs: Math.round((performance.now() - started) * 100) / 100,
        }) as { -readonly [K in keyof AuditInput]: AuditInput[K] };
        if (ctx.auditAs === 'tool.call' && deps.recordArguments) event.arguments = ctx.message?.params.arguments ?? {};
        if (ctx.auditDetails) event.details = ctx.auditDetails;
        else if (ctx.target?.kind === 'resource') event.details = { uri: ctx.target.uri };
        else if (ctx.target?.kind === 'prompt') event.details = { prompt: ctx.target.name };
        if (failure) event.error = failure;
        // The place of the "cannot record -> refuse" gate: with a fail-closed sink no answer leaves unrecorded.
        const auditParent = tracing && (ctx.trace ?? tracing.scope.active());
        const auditAt = auditParent && recording(auditParent) ? auditTrail(auditParent) : undefined;
        if (audit.failClosed) {
          try {
            await audit.record(event);
          } catch {
            if (auditAt) finishStage(auditAt, 'audit', {}, 'error', 'AUDIT_UNAVAILABLE');
            finish('failure', 'AUDIT_UNAVAILABLE');
            return stop('AUDIT_UNAVAILABLE', 'the audit log is unavailable; the call result was withheld');
          }
        } else audit.emit(event);
        if (auditAt) finishStage(auditAt, 'audit', {}, 'recorded');
      } else if (thrown !== undefined) {
        audit.emit(Object.assign(baseOf(ctx), { type: 'request.failed', outcome: 'failure', error: failure! }) as AuditInput);
      }
      finish(failure ? 'failure' : 'success', failure?.code);
      if (thrown !== undefined) throw thrown;
      return { continue: true, result: ctx.result };
    },
  };
}

/** The method label of a failed authentication: the rejecting strategy's name (as identities name it), or none. */
export const authMethodOf = (verdict: Stop): string =>
  typeof verdict.details?.strategy === 'string' ? (verdict.details.strategy.split('/')[1] ?? 'none') : 'none';
