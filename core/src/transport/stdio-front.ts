import { PassThrough, Writable } from 'node:stream';
import type { Identity } from '../plugin/identity.js';
import type { Logger } from '../plugin/logger.js';
import type { McpSurface } from '../pipeline/mcp-surface.js';
import { OwnCancellation } from '../pipeline/cancellation.js';
import { fastClient } from '../fast-path/fast-client.js';
import { messageOf, type FastPath, type Settled } from '../fast-path/fast-path.js';
import { fastStdioRequestOf, isModernEnvelope } from '../fast-path/fast-request.js';
import type { SdkLoader } from './lazy-endpoints.js';
import { StdioBatches } from './stdio-batches.js';

export interface StdioFrontOptions {
  readonly surface: McpSurface;
  readonly identity: Identity;
  readonly logger: Logger;
  readonly maxBatchSize: number;
  readonly sdk: SdkLoader;
  /** cnmcp's own answers to 2026-07-28 tools/call and tools/list (server.fastPath); absent: the SDK answers all. */
  readonly fastPath?: FastPath;
  readonly input?: NodeJS.ReadableStream;
  readonly output?: NodeJS.WritableStream;
}

type Message = Record<string, unknown>;

/** A served stdio connection. */
export interface StdioFront {
  /**
   * Resolves once every request handed to the SDK has its answer (or after `maxMs`): a client that writes its
   * requests and closes stdin at once still gets the answers, though the SDK was still loading when stdin ended.
   */
  idle(maxMs: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * What the SDK's stdio server has been told so far. It pins a connection to one era with its first message
 * (2026-07-28 or a 2025 handshake) and answers later messages by that era, so the fast path answers only on a
 * connection that is, or will be, pinned to 2026-07-28: `fresh` (the SDK has seen nothing), `fast` (the fast path
 * answered, the SDK has seen nothing: before it sees anything else it is pinned as the first answered request
 * would have pinned it), `modern` (the SDK is pinned to 2026-07-28), `sdk` (the SDK decides everything).
 */
type Era = 'fresh' | 'fast' | 'modern' | 'sdk';

const RESPONSE_ID = /"id"\s*:/;
const isRecord = (value: unknown): value is Message => value !== null && typeof value === 'object' && !Array.isArray(value);

/**
 * A stdio client, served with the MCP SDK loaded only when a message needs it. A 2026-07-28 tools/call or
 * tools/list (the gate of fast-request.ts) is answered by the fast path, through the same pipeline, with the same
 * answer as the SDK's; its cancellation (notifications/cancelled) reaches it as it would reach the SDK's handler.
 * Everything else (handshakes, other methods, notifications, a result or error the SDK must encode) goes to the
 * SDK's stdio server in arrival order. Batches are split and their answers joined around both (stdio-batches.ts).
 */
export function serveStdioFront(options: StdioFrontOptions): StdioFront {
  const { surface, identity, logger, sdk, fastPath } = options;
  const input = options.input ?? process.stdin;
  const batches = new StdioBatches(options.maxBatchSize, options.output ?? process.stdout);
  const out = batches.output();
  /** Requests the fast path ran whose answer the SDK encodes, by JSON id, until that answer goes out. */
  const handedOver = new Map<string, Settled>();
  /** Fast-path calls under way, by JSON id: a notifications/cancelled for one of them cancels it. */
  const running = new Map<string, OwnCancellation>();
  /** Requests handed to the SDK and not answered yet, by JSON id; `idle` waits for them. */
  const unanswered = new Set<string>();
  const wakeIdle: (() => void)[] = [];
  const answered = (key: string) => {
    if (!unanswered.delete(key) || unanswered.size > 0) return;
    for (const wake of wakeIdle.splice(0)) wake();
  };
  // Not ended when stdin ends: the SDK's transport would close at once and drop what it had not answered yet.
  const toSdk = new PassThrough();
  let era: Era = 'fresh';
  let pin: string | undefined;
  let server: Promise<{ close(): Promise<void> }> | undefined;

  const startSdk = () =>
    (server ??= sdk.load().then((adapter) =>
      adapter.serveStdioClient(surface, identity, logger, {
        input: toSdk,
        output: sdkOutput(out, (key) => {
          handedOver.delete(key);
          answered(key);
        }),
        settledFor: (id) => handedOver.get(JSON.stringify(id)),
      }),
    ));

  const forward = (line: string, message: unknown) => {
    if (era === 'fast' && pin !== undefined) toSdk.write(pin);
    if (era === 'fresh') era = pinsModern(message) ? 'modern' : 'sdk';
    else if (era === 'fast') era = 'modern';
    if (isRecord(message) && typeof message.method === 'string' && message.id !== undefined) unanswered.add(JSON.stringify(message.id));
    // A cancelled request gets no answer: nothing to wait for.
    if (isRecord(message) && message.method === 'notifications/cancelled' && isRecord(message.params)) answered(JSON.stringify(message.params.requestId));
    toSdk.write(`${line}\n`);
    startSdk().catch((error: unknown) => logger.error('the MCP SDK failed to load', { error: (error as Error).message }));
  };

  const runFast = async (line: string, message: Message) => {
    const request = fastStdioRequestOf(message)!;
    const key = JSON.stringify(request.id);
    if (era === 'fresh') {
      era = 'fast';
      // What pins the SDK's connection to 2026-07-28 as this request would have: a notification it ignores
      // (cancelling a request it never saw), carrying this request's envelope.
      const envelope = (request.params as Message)._meta;
      pin = `${JSON.stringify({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: request.id, _meta: envelope } })}\n`;
    }
    const cancellation = new OwnCancellation();
    running.set(key, cancellation);
    const settled = await fastPath!.settle({
      message: messageOf(request),
      identity,
      transport: 'stdio',
      source: {},
      cancellation,
      client: fastClient(
        'modern',
        () => undefined,
        () => true,
      ),
    });
    running.delete(key);
    // A cancelled request gets no answer, as the SDK sends none for one.
    if (cancellation.cancelled) return;
    const text = fastPath!.encode(request, settled);
    if (text !== undefined) return void out.write(`${text}\n`);
    handedOver.set(key, settled);
    forward(line, message);
  };

  const onLine = (line: string) => {
    let message: unknown;
    try {
      message = JSON.parse(line);
    } catch {
      return forward(line, undefined);
    }
    if (isRecord(message) && message.method === 'notifications/cancelled' && isRecord(message.params)) {
      const cancelled = running.get(JSON.stringify(message.params.requestId));
      if (cancelled) return cancelled.cancel(message.params.reason);
    }
    const request = fastPath && era !== 'sdk' ? fastStdioRequestOf(message) : undefined;
    if (request && fastPath!.takes(request)) {
      runFast(line, message as Message).catch((error: unknown) => logger.error('stdio fast path failed', { error: (error as Error).message }));
      return;
    }
    forward(line, message);
  };

  const lines = batches.input();
  input.pipe(lines);
  lines.on('data', (chunk: Buffer | string) => {
    // StdioBatches emits whole lines only.
    for (const line of chunk.toString().split('\n')) if (line.trim().length > 0) onLine(line);
  });

  return {
    idle(maxMs) {
      if (unanswered.size === 0) return Promise.resolve();
      return new Promise((resolve) => {
        const timer = setTimeout(resolve, maxMs);
        wakeIdle.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    },
    async close() {
      input.unpipe(lines);
      if (server) await (await server).close();
    },
  };
}

/** Whether a message forwarded first makes the SDK pin its connection to 2026-07-28 (a request with a valid envelope). */
function pinsModern(message: unknown): boolean {
  if (!isRecord(message) || typeof message.method !== 'string' || message.method === 'server/discover' || !('id' in message)) return false;
  const params = message.params;
  return isRecord(params) && isRecord(params._meta) && isModernEnvelope(params._meta);
}

/** The SDK's side of stdout, telling `onAnswer` the JSON id of every answer that goes out. */
function sdkOutput(out: Writable, onAnswer: (key: string) => void): Writable {
  return new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      const text = chunk.toString();
      if (RESPONSE_ID.test(text))
        for (const line of text.split('\n')) {
          if (line.length === 0) continue;
          try {
            const message: unknown = JSON.parse(line);
            if (isRecord(message) && message.method === undefined && message.id !== undefined) onAnswer(JSON.stringify(message.id));
          } catch {
            // not one JSON line: nothing to forget
          }
        }
      if (out.write(text)) done();
      else out.once('drain', () => done());
    },
  });
}
