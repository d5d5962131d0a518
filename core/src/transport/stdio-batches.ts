import { Transform, Writable } from 'node:stream';

/** Revisions that have JSON-RPC batches (2025-06-18 removed them). */
const BATCH_REVISIONS = new Set(['2024-11-05', '2025-03-26']);

type Message = Record<string, unknown>;

const errorLine = (message: string) => `${JSON.stringify({ jsonrpc: '2.0', id: null, error: { code: -32600, message } })}\n`;
const isRecord = (value: unknown): value is Message => value !== null && typeof value === 'object' && !Array.isArray(value);

/**
 * JSON-RPC batches on stdio, which the SDK's stdio transport does not read (a batch line was dropped without an
 * answer). Between stdin and the transport, a batch line becomes one line per message, so each runs the message
 * stages like any other; between the transport and stdout, the answers to a batch's requests are held and written
 * as one array, as JSON-RPC answers a batch. A batch is refused (-32600, one error line) when it is empty, larger
 * than `server.maxBatchSize` (the limit HTTP applies) or sent on a revision without batches (2025-06-18 and later).
 */
export class StdioBatches {
  readonly #maxBatchSize: number;
  readonly #out: NodeJS.WritableStream;
  /** Request id -> the batch waiting for its answer. */
  readonly #waiting = new Map<string, { readonly ids: Set<string>; readonly answers: unknown[] }>();
  #revision: string | undefined;
  #initializeId: string | undefined;

  constructor(maxBatchSize: number, out: NodeJS.WritableStream) {
    this.#maxBatchSize = maxBatchSize;
    this.#out = out;
  }

  /** What the transport reads instead of stdin: batch lines split into single messages. */
  input(): Transform {
    let pending = '';
    return new Transform({
      transform: (chunk: Buffer, _encoding, done) => {
        pending += chunk.toString('utf8');
        const lines = pending.split('\n');
        pending = lines.pop() ?? '';
        done(null, lines.map((line) => this.#inbound(line)).join(''));
      },
      flush: (done) => done(null, pending.length > 0 ? this.#inbound(pending) : ''),
    });
  }

  /** What the transport writes to instead of stdout: a batch's answers leave together, everything else at once. */
  output(): Writable {
    return new Writable({
      write: (chunk: Buffer, _encoding, done) => {
        const text = chunk.toString('utf8');
        const held = text.split('\n').filter((line) => line.length > 0 && this.#hold(line));
        if (held.length === 0) return this.#out.write(text) ? done() : this.#out.once('drain', () => done());
        const rest = text.split('\n').filter((line) => line.length > 0 && !held.includes(line));
        if (rest.length > 0) this.#out.write(`${rest.join('\n')}\n`);
        done();
      },
    });
  }

  #inbound(line: string): string {
    const trimmed = line.trim();
    if (!trimmed.startsWith('[')) {
      this.#noteInitialize(trimmed);
      return `${line}\n`;
    }
    let batch: unknown;
    try {
      batch = JSON.parse(trimmed);
    } catch {
      return `${line}\n`; // not JSON: the transport answers it as it answers any unparsable line
    }
    if (!Array.isArray(batch)) return `${line}\n`;
    const refusal =
      batch.length === 0
        ? 'an empty batch'
        : batch.length > this.#maxBatchSize
          ? `a batch may carry at most ${this.#maxBatchSize} messages (server.maxBatchSize)`
          : this.#revision !== undefined && !BATCH_REVISIONS.has(this.#revision)
            ? `protocol revision ${this.#revision} does not accept batches`
            : undefined;
    if (refusal) {
      this.#out.write(errorLine(refusal));
      return '';
    }
    const ids = new Set(batch.filter((m) => isRecord(m) && typeof m.method === 'string' && m.id !== undefined).map((m) => JSON.stringify((m as Message).id)));
    const entry = { ids, answers: [] as unknown[] };
    for (const id of ids) this.#waiting.set(id, entry);
    return batch.map((message) => `${JSON.stringify(message)}\n`).join('');
  }

  /** Remembers the id of an initialize request, to learn the revision from its answer. */
  #noteInitialize(line: string): void {
    if (this.#revision !== undefined || !line.includes('"initialize"')) return;
    try {
      const message: unknown = JSON.parse(line);
      if (isRecord(message) && message.method === 'initialize') this.#initializeId = JSON.stringify(message.id);
    } catch {
      // not JSON: nothing to learn
    }
  }

  /** Whether the transport's line is an answer a batch waits for (then it is kept until the batch is complete). */
  #hold(line: string): boolean {
    let message: unknown;
    try {
      message = JSON.parse(line);
    } catch {
      return false;
    }
    if (!isRecord(message) || message.method !== undefined || message.id === undefined) return false;
    const id = JSON.stringify(message.id);
    if (id === this.#initializeId && isRecord(message.result) && typeof message.result.protocolVersion === 'string')
      this.#revision = message.result.protocolVersion;
    const entry = this.#waiting.get(id);
    if (!entry) return false;
    this.#waiting.delete(id);
    entry.answers.push(message);
    if (entry.answers.length === entry.ids.size) this.#out.write(`${JSON.stringify(entry.answers)}\n`);
    return true;
  }
}
