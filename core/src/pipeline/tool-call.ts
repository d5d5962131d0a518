import { CnmcpError } from '../plugin/errors.js';
import { CAPABILITY_OF, ClientCapabilityError } from '../plugin/client-capability-error.js';
import type { ToolContext, ToolDefinition, ToolResult } from '../plugin/ports/tool-pack.js';
import type { Logger } from '../plugin/logger.js';
import { backendSpan } from '../telemetry/backend-span.js';
import type { KernelMetrics } from '../telemetry/kernel-metrics.js';
import type { Tracing } from '../telemetry/tracing.js';
import type { RequestContext } from './request-context.js';
import { truncateResult } from './truncate-result.js';

export interface ToolCallDeps {
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

/**
 * The `call` of tools/call, once every stage let the message through: the handler against its deadline, inside
 * the call stage's span (so the handler's log lines and backend spans hang under it), its result truncated and
 * stripped of known secrets. A handler failure or timeout becomes an `isError` result the model can read.
 */
export function createToolInvoker(deps: ToolCallDeps): (tool: ToolDefinition, ctx: RequestContext) => Promise<ToolResult> {
  return async (tool, ctx) => {
    deps.inflight.enter();
    try {
      const run = () => runHandler(tool, ctx.args ?? {}, ctx, deps);
      const result = ctx.stageTrace && deps.tracing ? await deps.tracing.scope.run(ctx.stageTrace, run) : await run();
      return truncateResult(maskSecrets(result, deps.knownSecrets), deps.maxResultBytes);
    } finally {
      deps.inflight.leave();
    }
  };
}

/**
 * Runs `read` with a tool's context (cancellation, deadline, backend spans), as a resource read, prompt get or
 * completion. With `talksBack` (prompt gets) the context may ask the client, as a tool's does.
 */
export type ReadRunner = <T>(
  name: string,
  ctx: RequestContext,
  read: (readCtx: ToolContext) => Promise<T>,
  options?: { readonly talksBack?: boolean },
) => Promise<T>;

/**
 * Resource reads, prompt gets and completions run as tool calls do: inside the call stage's span, against the
 * same timeout, cancelled by the client and by shutdown, their answer stripped of known secrets. Only a prompt get
 * talks back to the client. A timeout or cancellation rejects with READ_FAILED.
 */
export function createReadRunner(deps: ToolCallDeps): ReadRunner {
  return async (name, call, read, options) => {
    deps.inflight.enter();
    try {
      const run = () => runRead(name, call, deps, read, options?.talksBack === true);
      const answer = call.stageTrace && deps.tracing ? await deps.tracing.scope.run(call.stageTrace, run) : await run();
      return maskSecrets(answer, deps.knownSecrets);
    } finally {
      deps.inflight.leave();
    }
  };
}

async function runRead<T>(name: string, call: RequestContext, deps: ToolCallDeps, read: (ctx: ToolContext) => Promise<T>, talksBack: boolean): Promise<T> {
  const controller = new AbortController();
  let fail!: (error: Error) => void;
  const aborted = new Promise<never>((_, reject) => (fail = reject));
  const stopOn = (why: string) => () => {
    if (controller.signal.aborted) return;
    // Settled first: a read that rejects as soon as its signal aborts must not win the race with its own error.
    fail(new CnmcpError('READ_FAILED', `${name} ${why}`));
    controller.abort(new DOMException(why, 'AbortError'));
  };
  const onClient = stopOn('was cancelled by the client');
  const onShutdown = stopOn('was stopped: the server is shutting down');
  const timer = setTimeout(stopOn(`timed out after ${deps.timeoutMs} ms`), deps.timeoutMs);
  if (call.signal.aborted) onClient();
  else call.signal.addEventListener('abort', onClient, { once: true });
  if (deps.shutdown.aborted) onShutdown();
  else deps.shutdown.addEventListener('abort', onShutdown, { once: true });
  const client = talksBack ? call.client : undefined;
  const ctx: ToolContext = {
    ...toolContext(name, call, deps, controller.signal),
    ...(client ? { progress: client.progress, log: client.log, clientSupports: client.supports, request: client.request } : NO_CLIENT_CONTEXT),
  };
  try {
    return await Promise.race([read(ctx), aborted]);
  } finally {
    clearTimeout(timer);
    call.signal.removeEventListener('abort', onClient);
    deps.shutdown.removeEventListener('abort', onShutdown);
  }
}

/** The parts of a tool context every run shares: who calls, until when, and where its logs and spans go. */
function toolContext(name: string, call: RequestContext, deps: ToolCallDeps, signal: AbortSignal) {
  return {
    identity: call.identity,
    logger: deps.loggers?.get(name) ?? deps.logger.child(name),
    signal,
    deadline: Date.now() + deps.timeoutMs,
    requestId: call.requestId,
    span: backendSpan(name, deps.tracing, call.stageTrace, deps.metrics),
  };
}

/** Credentials the server holds never leave it inside a tool result, a resource or a prompt. */
function maskSecrets<T>(result: T, secrets: ReadonlySet<string>): T {
  if (secrets.size === 0) return result;
  const text = JSON.stringify(result);
  if (text === undefined) return result;
  let masked = text;
  for (const secret of secrets)
    if (secret.length >= 8 && masked.includes(JSON.stringify(secret).slice(1, -1))) masked = masked.split(JSON.stringify(secret).slice(1, -1)).join('***');
  return masked === text ? result : (JSON.parse(masked) as T);
}

/**
 * Runs the handler against its deadline. Cancellation, timeout and shutdown all abort the handler's signal; the
 * first of them names the result. One controller and one timer per call: AbortSignal.timeout and AbortSignal.any
 * cost several signals each on Node 20, on every call.
 */
async function runHandler(tool: ToolDefinition, args: Record<string, unknown>, call: RequestContext, deps: ToolCallDeps): Promise<ToolResult> {
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
  const client = call.client ?? NO_CLIENT;
  const ctx: ToolContext = {
    ...toolContext(tool.name, call, deps, controller.signal),
    deadline,
    progress: client.progress,
    log: client.log,
    clientSupports: client.supports,
    request: client.request,
  };
  try {
    return await Promise.race([handlerResult(tool, args, ctx), aborted]);
  } finally {
    clearTimeout(timer);
    call.signal.removeEventListener('abort', onClient);
    deps.shutdown.removeEventListener('abort', onShutdown);
  }
}

/** A call with no client to talk back to (never the case for MCP messages; kept total for the type). */
const NO_CLIENT: NonNullable<RequestContext['client']> = {
  progress: async () => undefined,
  log: async () => undefined,
  supports: () => false,
  request: (method) => Promise.reject(new ClientCapabilityError(CAPABILITY_OF[method], method)),
};

/** A read's context answers for the client: it reports nothing and asks nothing. */
const NO_CLIENT_CONTEXT = {
  progress: NO_CLIENT.progress,
  log: NO_CLIENT.log,
  clientSupports: NO_CLIENT.supports,
  request: NO_CLIENT.request,
};

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

export const firstText = (result: ToolResult) => {
  const block = result.content.find((b) => b.type === 'text');
  return block && block.type === 'text' ? block.text.slice(0, 200) : 'tool reported an error';
};
