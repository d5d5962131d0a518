import { CnmcpError } from '../plugin/errors.js';
import { CAPABILITY_OF, ClientCapabilityError } from '../plugin/client-capability-error.js';
import type { ToolContext, ToolDefinition, ToolResult } from '../plugin/ports/tool-pack.js';
import type { Logger } from '../plugin/logger.js';
import { backendSpan } from '../telemetry/backend-span.js';
import type { KernelMetrics } from '../telemetry/kernel-metrics.js';
import type { Tracing } from '../telemetry/tracing.js';
import { OwnCancellation, type Cancellation } from './cancellation.js';
import type { RequestContext } from './request-context.js';
import { truncateResult } from './truncate-result.js';

export interface ToolCallDeps {
  /** Secret values the server knows (resolved credentials): replaced by *** in results before they leave. */
  readonly knownSecrets: ReadonlySet<string>;
  readonly logger: Logger;
  readonly timeoutMs: number;
  readonly maxResultBytes: number;
  /** Cancelled when the drain period after shutdown ends. */
  readonly shutdown: Cancellation;
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
      const result = ctx.stageTrace && deps.tracing ? await deps.tracing.scope.during(ctx.stageTrace, run) : await run();
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
      const answer = call.stageTrace && deps.tracing ? await deps.tracing.scope.during(call.stageTrace, run) : await run();
      return maskSecrets(answer, deps.knownSecrets);
    } finally {
      deps.inflight.leave();
    }
  };
}

async function runRead<T>(name: string, call: RequestContext, deps: ToolCallDeps, read: (ctx: ToolContext) => Promise<T>, talksBack: boolean): Promise<T> {
  const cancellation = new OwnCancellation();
  const client = talksBack ? call.client : undefined;
  const ctx: ToolContext = toolContext(name, call, deps, cancellation, client ? clientContext(client) : NO_CLIENT_CONTEXT);
  return runUntilStopped(
    call,
    deps,
    cancellation,
    () => read(ctx),
    (why) => {
      throw new CnmcpError('READ_FAILED', `${name} ${STOPPED[why](deps.timeoutMs)}`);
    },
  );
}

/** How a stopped tool call or read is described, after its name. */
const STOPPED: Readonly<Record<StopCause, (timeoutMs: number) => string>> = {
  timeout: (ms) => `timed out after ${ms} ms`,
  client: () => 'was cancelled by the client',
  shutdown: () => 'was stopped: the server is shutting down',
};

/**
 * Runs `work` until it settles or is stopped: by its client, by the deadline or by shutdown, whichever comes first
 * cancels `cancellation` (the work's signal) with the cause as its reason, as AbortSignal.timeout/any would, and
 * settles with `stopped(cause)`. One timer and two plain listeners per run: AbortSignal.timeout and
 * AbortSignal.any cost several signals each on Node 20, on every call.
 */
function runUntilStopped<T>(
  call: RequestContext,
  deps: ToolCallDeps,
  cancellation: OwnCancellation,
  work: () => Promise<T>,
  stopped: (cause: StopCause) => T,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let done = false;
    let offClient = NOTHING;
    let offShutdown = NOTHING;
    const stopOn = (cause: StopCause, reason: () => unknown) => () => {
      if (done) return;
      done = true;
      cleanUp();
      cancellation.cancel(reason());
      // Settled after the cancel: work that rejects as soon as its signal aborts must not win with its own error.
      try {
        resolve(stopped(cause));
      } catch (error) {
        reject(error);
      }
    };
    const timer = setTimeout(
      stopOn('timeout', () => new DOMException('The operation was aborted due to timeout', 'TimeoutError')),
      deps.timeoutMs,
    );
    function cleanUp() {
      clearTimeout(timer);
      offClient();
      offShutdown();
    }
    offClient = call.cancellation.onCancel(stopOn('client', () => call.cancellation.reason));
    offShutdown = deps.shutdown.onCancel(stopOn('shutdown', () => deps.shutdown.reason));
    // Cancelled before it began (the client left, or shutdown): the work is not started at all.
    if (done) return;
    const fail = (error: unknown) => {
      if (done) return;
      done = true;
      cleanUp();
      reject(error);
    };
    let pending: Promise<T>;
    try {
      pending = work();
    } catch (error) {
      return fail(error);
    }
    pending.then((value) => {
      if (done) return;
      done = true;
      cleanUp();
      resolve(value);
    }, fail);
  });
}

/**
 * The parts of a tool context every run shares: who calls, until when, where its logs and spans go, and how it
 * talks back. Its `signal` is made only if the handler reads it, by a class getter: a getter in an object literal
 * would cost every call a hidden class of its own (see pipeline/http-exchange.ts).
 */
function toolContext(name: string, call: RequestContext, deps: ToolCallDeps, cancellation: Cancellation, client: ClientContext): ToolContext {
  return new CallContext(name, call, deps, cancellation, client);
}

class CallContext implements ToolContext {
  readonly identity: ToolContext['identity'];
  readonly logger: ToolContext['logger'];
  readonly deadline: number;
  readonly requestId: string;
  readonly span: ToolContext['span'];
  readonly progress: ToolContext['progress'];
  readonly log: ToolContext['log'];
  readonly clientSupports: ToolContext['clientSupports'];
  readonly request: ToolContext['request'];
  readonly #cancellation: Cancellation;

  constructor(name: string, call: RequestContext, deps: ToolCallDeps, cancellation: Cancellation, client: ClientContext) {
    this.identity = call.identity;
    this.logger = deps.loggers?.get(name) ?? deps.logger.child(name);
    this.deadline = Date.now() + deps.timeoutMs;
    this.requestId = call.requestId;
    this.span = backendSpan(name, deps.tracing, call.stageTrace, deps.metrics);
    this.progress = client.progress;
    this.log = client.log;
    this.clientSupports = client.clientSupports;
    this.request = client.request;
    this.#cancellation = cancellation;
  }

  get signal(): AbortSignal {
    return this.#cancellation.signal;
  }
}

type ClientContext = Pick<ToolContext, 'progress' | 'log' | 'clientSupports' | 'request'>;

const clientContext = (client: NonNullable<RequestContext['client']>): ClientContext => ({
  progress: client.progress,
  log: client.log,
  clientSupports: client.supports,
  request: client.request,
});

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

/** Runs the handler against its deadline; cancellation, timeout and shutdown each answer an `isError` result. */
function runHandler(tool: ToolDefinition, args: Record<string, unknown>, call: RequestContext, deps: ToolCallDeps): Promise<ToolResult> {
  const cancellation = new OwnCancellation();
  const ctx = toolContext(tool.name, call, deps, cancellation, call.client ? clientContext(call.client) : NO_CLIENT_CONTEXT);
  return runUntilStopped(
    call,
    deps,
    cancellation,
    () => handlerResult(tool, args, ctx),
    (why) => abortResult(tool.name, why, deps.timeoutMs),
  );
}

/** A call with no client to talk back to (never the case for MCP messages; kept total for the type). */
const NO_CLIENT: NonNullable<RequestContext['client']> = {
  progress: async () => undefined,
  log: async () => undefined,
  supports: () => false,
  request: (method) => Promise.reject(new ClientCapabilityError(CAPABILITY_OF[method], method)),
};

/** A read's context answers for the client: it reports nothing and asks nothing. */
const NO_CLIENT_CONTEXT = clientContext(NO_CLIENT);

const NOTHING = (): void => undefined;

type StopCause = 'timeout' | 'client' | 'shutdown';

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

const abortResult = (name: string, cause: StopCause, timeoutMs: number): ToolResult => errorResult(`tool ${name} ${STOPPED[cause](timeoutMs)}`);

const errorResult = (text: string): ToolResult => ({ content: [{ type: 'text', text }], isError: true });

export const firstText = (result: ToolResult) => {
  const block = result.content.find((b) => b.type === 'text');
  return block && block.type === 'text' ? block.text.slice(0, 200) : 'tool reported an error';
};
