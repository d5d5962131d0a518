import { trace, type Context, type Span } from '@opentelemetry/api';
import { CnmcpError } from '../plugin/errors.js';
import type { AuditEmitter, AuditInput } from '../plugin/ports/audit-sink.js';
import type { ToolContext, ToolDefinition, ToolResult } from '../plugin/ports/tool-pack.js';
import type { Logger } from '../plugin/logger.js';
import type { ToolCallInput } from '../transport/mcp-surface.js';
import { backendSpan } from '../telemetry/backend-span.js';
import type { KernelMetrics } from '../telemetry/kernel-metrics.js';
import { ATTR, endSpan, type Tracing } from '../telemetry/tracing.js';
import type { AuthorizeStage } from './authorize.js';
import type { LimitStage } from './limit.js';
import type { SanitizeStage } from './sanitize.js';
import { truncateResult } from './truncate-result.js';
import type { ValidateStage } from './validate.js';
import { auditTypeOf, type Stop } from './verdict.js';

export interface ToolCallStages {
  readonly authorize?: AuthorizeStage;
  /** Per-tool rate limits: every rule whose pattern matches the tool applies. */
  readonly limitTool?: (tool: string) => readonly LimitStage[];
  readonly validators: ReadonlyMap<string, ValidateStage>;
  readonly sanitize?: SanitizeStage;
}

export interface ToolCallDeps {
  readonly tools: ReadonlyMap<string, ToolDefinition>;
  readonly stages: ToolCallStages;
  readonly audit: AuditEmitter & { readonly failClosed: boolean; record(event: AuditInput): Promise<void> };
  readonly recordArguments: boolean;
  /** Secret values the server knows (resolved credentials): replaced by *** in results before they leave. */
  readonly knownSecrets: ReadonlySet<string>;
  readonly logger: Logger;
  readonly timeoutMs: number;
  readonly maxResultBytes: number;
  /** Aborted when the drain period after shutdown ends. */
  readonly shutdown: AbortSignal;
  readonly inflight: { enter(): void; leave(): void };
  /** Each tool's logger, named after the tool under its pack's logger (so `logging.levels` of the pack apply). */
  readonly loggers?: ReadonlyMap<string, Logger>;
  /** Present only when tracing is on. */
  readonly tracing?: Tracing;
  /** Present only when metrics are on. */
  readonly metrics?: KernelMetrics;
}

/** The spans of one traced call: the `tools/call` span and its context, parent of every stage span. */
interface CallTrace {
  readonly tracing: Tracing;
  readonly span: Span;
  readonly context: Context;
}

/** A stage span under the call span, or nothing when the call is not traced. */
const stageSpan = (t: CallTrace | undefined, name: string): Span | undefined => t?.tracing.start(name, undefined, t.context);

/**
 * tools/call after the MCP layer: authorize -> limit(tool) -> validate -> sanitize -> handler, then the audit
 * record in `finally`, whatever happened. Stops become JSON-RPC errors; a handler failure or timeout becomes an
 * `isError` result the model can read.
 */
export function createToolCaller(deps: ToolCallDeps): (call: ToolCallInput) => Promise<ToolResult> {
  const callTool = toolCaller(deps);
  const { tracing, tools } = deps;
  if (!tracing) return (call) => callTool(call, undefined);
  return async (call) => {
    // Under the HTTP request span when there is one (stdio calls start their own trace).
    const parent = tracing.scope.active();
    const known = tools.has(call.name);
    const span = tracing.start(
      known ? `tools/call ${call.name}` : 'tools/call',
      {
        ...(known ? { [ATTR.tool]: call.name } : {}),
        [ATTR.identity]: call.identity.id,
        [ATTR.authMethod]: call.identity.authMethod,
        [ATTR.transport]: call.transport,
      },
      parent,
    );
    try {
      return await callTool(call, { tracing, span, context: trace.setSpan(parent, span) });
    } finally {
      // Normally ended with its outcome already; this covers an unexpected throw.
      if (span.isRecording()) span.end();
    }
  };
}

function toolCaller(deps: ToolCallDeps): (call: ToolCallInput, t: CallTrace | undefined) => Promise<ToolResult> {
  const { tools, stages, audit, logger, metrics } = deps;
  return async (call, t) => {
    const started = performance.now();
    const actor = { id: call.identity.id, authMethod: call.identity.authMethod, roles: call.identity.roles };
    const base: Pick<AuditInput, 'actor' | 'source' | 'requestId' | 'tool' | 'traceId'> = {
      actor,
      source: { ...call.source, transport: call.transport },
      requestId: call.requestId,
      tool: call.name,
      ...(t ? { traceId: t.span.spanContext().traceId } : {}),
    };
    // Only built when something observes the call: the untraced, unmetered path allocates nothing for it.
    const finish =
      t || metrics
        ? (outcome: string, code?: string) => {
            if (t) endSpan(t.span, outcome, code);
            metrics?.toolCall(tools.has(call.name) ? call.name : '(unknown)', outcome, (performance.now() - started) / 1000);
          }
        : undefined;
    const reject = (s: Stop, stage?: Span): never => {
      const outcome = s.code === 'INVALID_ARGUMENTS' || s.code === 'INPUT_REJECTED' ? 'failure' : 'denied';
      if (stage) endSpan(stage, outcome, s.code);
      const auditSpan = stageSpan(t, 'audit');
      audit.emit({ ...base, type: auditTypeOf(s.code), outcome, error: { code: s.code, message: s.message }, ...(s.details ? { details: s.details } : {}) });
      auditSpan?.end();
      finish?.(outcome, s.code);
      throw new CnmcpError(s.code, s.message);
    };

    const tool = tools.get(call.name);
    if (!tool) {
      audit.emit({ ...base, type: 'tool.call', outcome: 'failure', error: { code: 'TOOL_NOT_FOUND', message: 'unknown tool' } });
      finish?.('failure', 'TOOL_NOT_FOUND');
      throw new CnmcpError('TOOL_NOT_FOUND', `unknown tool "${call.name}"`);
    }
    if (stages.authorize) {
      const span = stageSpan(t, 'authorize');
      const verdict = stages.authorize(call.identity, tool);
      if (!verdict.continue) reject(verdict, span);
      if (span) endSpan(span, 'allowed');
    }
    for (const limit of stages.limitTool?.(tool.name) ?? []) {
      const span = stageSpan(t, 'limit(tool)');
      // Keyed by identity under each rule: every tool a pattern matches draws from the same count.
      const verdict = await limit(call.identity.id);
      span?.setAttribute(ATTR.rateLimitDecision, verdict.continue ? 'allowed' : 'limited');
      if (!verdict.continue) {
        metrics?.rateLimited('tool');
        if (typeof verdict.details?.rule === 'string') span?.setAttribute(ATTR.rateLimitRule, verdict.details.rule);
        reject(verdict, span);
      }
      if (span) endSpan(span, 'allowed');
    }
    const validateSpan = stageSpan(t, 'validate');
    const validation = stages.validators.get(tool.name)!(call.args);
    if (!validation.continue) reject(validation, validateSpan);
    if (validateSpan) endSpan(validateSpan, 'valid');
    let args = call.args;
    if (stages.sanitize) {
      const span = stageSpan(t, 'sanitize');
      const verdict = stages.sanitize(tool.name, tool.inputSchema, args);
      if (!verdict.continue) reject(verdict, span);
      else {
        args = verdict.value.args;
        // Field names only: which arguments changed, never their values.
        span?.setAttribute('cnmcp.sanitize.changed', verdict.value.changed.length);
        if (verdict.value.changed.length > 0) {
          audit.emit({ ...base, type: 'input.sanitized', outcome: 'success', details: { fields: verdict.value.changed } });
          // Stripping can break the schema (minLength, pattern): the handler only ever sees valid arguments.
          const revalidated = stages.validators.get(tool.name)!(args);
          if (!revalidated.continue) reject({ ...revalidated, code: 'INPUT_REJECTED', message: `after sanitization, ${revalidated.message}` }, span);
        }
      }
      if (span) endSpan(span, 'passed');
    }

    let outcome: { result: ToolResult } | { error: unknown };
    const toolSpan = t?.tracing.start('tool', { [ATTR.tool]: tool.name }, t.context);
    const toolContext = toolSpan ? trace.setSpan(t!.context, toolSpan) : undefined;
    deps.inflight.enter();
    try {
      const run = () => runHandler(tool, args, call, deps, toolContext);
      // Inside the tool span: log lines and backend spans of the handler hang under it.
      const result = toolContext ? await t!.tracing.scope.run(toolContext, run) : await run();
      outcome = { result: truncateResult(maskSecrets(result, deps.knownSecrets), deps.maxResultBytes) };
    } catch (error) {
      outcome = { error };
    } finally {
      deps.inflight.leave();
    }
    const failure =
      'error' in outcome
        ? { code: outcome.error instanceof CnmcpError ? outcome.error.code : 'TOOL_FAILED', message: (outcome.error as Error).message }
        : outcome.result.isError
          ? { code: 'TOOL_ERROR', message: firstText(outcome.result) }
          : undefined;
    const durationMs = Math.round((performance.now() - started) * 100) / 100;
    const event: AuditInput = {
      ...base,
      type: 'tool.call',
      outcome: failure ? 'failure' : 'success',
      durationMs,
      ...(deps.recordArguments ? { arguments: call.args } : {}),
      ...(failure ? { error: failure } : {}),
    };
    if (toolSpan) endSpan(toolSpan, failure ? 'failure' : 'success', failure?.code);
    if (failure) logger.debug('tool call failed', { tool: tool.name, code: failure.code });
    const auditSpan = stageSpan(t, 'audit');
    if (audit.failClosed) {
      // Fail closed: no answer leaves the server unless its audit record is stored.
      await audit.record(event).catch(() => {
        if (auditSpan) endSpan(auditSpan, 'error', 'AUDIT_UNAVAILABLE');
        finish?.('failure', 'AUDIT_UNAVAILABLE');
        throw new CnmcpError('AUDIT_UNAVAILABLE', 'the audit log is unavailable; the call result was withheld');
      });
    } else audit.emit(event);
    if (auditSpan) endSpan(auditSpan, 'recorded');
    finish?.(failure ? 'failure' : 'success', failure?.code);
    if ('error' in outcome) throw outcome.error;
    return outcome.result;
  };
}

/** Credentials the server holds never leave it inside a tool result. */
function maskSecrets(result: ToolResult, secrets: ReadonlySet<string>): ToolResult {
  if (secrets.size === 0) return result;
  const text = JSON.stringify(result);
  let masked = text;
  for (const secret of secrets)
    if (secret.length >= 8 && masked.includes(JSON.stringify(secret).slice(1, -1))) masked = masked.split(JSON.stringify(secret).slice(1, -1)).join('***');
  return masked === text ? result : (JSON.parse(masked) as ToolResult);
}

/**
 * Runs the handler against its deadline. Cancellation, timeout and shutdown all abort the handler's signal; the
 * first of them names the result. One controller and one timer per call: AbortSignal.timeout and AbortSignal.any
 * cost several signals each on Node 20, on every call.
 */
async function runHandler(
  tool: ToolDefinition,
  args: Record<string, unknown>,
  call: ToolCallInput,
  deps: ToolCallDeps,
  toolContext: Context | undefined,
): Promise<ToolResult> {
  const deadline = Date.now() + deps.timeoutMs;
  const controller = new AbortController();
  let settle!: (result: ToolResult) => void;
  const aborted = new Promise<ToolResult>((resolve) => (settle = resolve));
  // The handler's signal carries the cause as its reason, as AbortSignal.timeout/any would have.
  const stopOn = (why: AbortCause, reason: () => unknown) => () => {
    if (controller.signal.aborted) return;
    controller.abort(reason());
    settle(abortResult(tool.name, why, deps.timeoutMs));
  };
  const onClient = stopOn('client', () => call.signal.reason);
  const onShutdown = stopOn('shutdown', () => deps.shutdown.reason);
  const timer = setTimeout(
    stopOn('timeout', () => new DOMException('The operation was aborted due to timeout', 'TimeoutError')),
    deps.timeoutMs,
  );
  if (call.signal.aborted) onClient();
  else call.signal.addEventListener('abort', onClient, { once: true });
  if (deps.shutdown.aborted) onShutdown();
  else deps.shutdown.addEventListener('abort', onShutdown, { once: true });
  const ctx: ToolContext = {
    identity: call.identity,
    logger: deps.loggers?.get(tool.name) ?? deps.logger.child(tool.name),
    signal: controller.signal,
    deadline,
    requestId: call.requestId,
    progress: call.progress,
    log: call.log,
    request: call.request,
    span: backendSpan(tool.name, deps.tracing, toolContext, deps.metrics),
  };
  try {
    return await Promise.race([handlerResult(tool, args, ctx), aborted]);
  } finally {
    clearTimeout(timer);
    call.signal.removeEventListener('abort', onClient);
    deps.shutdown.removeEventListener('abort', onShutdown);
  }
}

type AbortCause = 'timeout' | 'client' | 'shutdown';

async function handlerResult(tool: ToolDefinition, args: Record<string, unknown>, ctx: Parameters<ToolDefinition['handler']>[1]): Promise<ToolResult> {
  try {
    const result = await tool.handler(args, ctx);
    if (!result || !Array.isArray(result.content)) return errorResult(`tool ${tool.name} returned no content`);
    return result;
  } catch (error) {
    if (error instanceof CnmcpError) throw error;
    // The model sees what failed, not a stack trace.
    return errorResult(`tool ${tool.name} failed: ${(error as Error)?.message ?? String(error)}`);
  }
}

function abortResult(name: string, cause: AbortCause, timeoutMs: number): ToolResult {
  if (cause === 'timeout') return errorResult(`tool ${name} timed out after ${timeoutMs} ms`);
  if (cause === 'client') return errorResult(`tool ${name} was cancelled by the client`);
  return errorResult(`tool ${name} was stopped: the server is shutting down`);
}

const errorResult = (text: string): ToolResult => ({ content: [{ type: 'text', text }], isError: true });

const firstText = (result: ToolResult) => {
  const block = result.content.find((b) => b.type === 'text');
  return block && block.type === 'text' ? block.text.slice(0, 200) : 'tool reported an error';
};
