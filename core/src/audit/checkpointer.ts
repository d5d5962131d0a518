import type { AuditEvent } from '../plugin/ports/audit-sink.js';
import type { Logger } from '../plugin/logger.js';
import type { ChainKey } from './chain-key.js';
import { signCheckpoint, type Checkpoint } from './checkpoint.js';

export interface CheckpointerOptions {
  readonly key: ChainKey;
  /** Where checkpoints go (the state file, in the kernel). */
  readonly write: (checkpoint: Checkpoint) => Promise<void>;
  readonly intervalMs: number;
  readonly logger: Logger;
}

/**
 * Anchors the chain of one process: a checkpoint of the head as soon as the first batch is stored (so the chain's
 * existence is on record), then at most one per interval while it grows, and a last one at close.
 */
export class Checkpointer {
  readonly #options: CheckpointerOptions;
  #stored?: { readonly chain: string; readonly seq: number; readonly hash: string };
  #anchoredSeq = 0;
  #lastAt = 0;
  #timer?: NodeJS.Timeout;
  #writing: Promise<void> = Promise.resolve();

  constructor(options: CheckpointerOptions) {
    this.#options = options;
  }

  /** The newest event of a batch every sink stored. */
  stored(event: AuditEvent): void {
    this.#stored = { chain: event.chain, seq: event.seq, hash: event.hash };
    const due = this.#lastAt + this.#options.intervalMs - Date.now();
    if (due <= 0) void this.#checkpoint();
    else this.#timer ??= setTimeout(() => void this.#checkpoint(), due).unref();
  }

  #checkpoint(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const head = this.#stored;
    if (!head || head.seq <= this.#anchoredSeq) return this.#writing;
    this.#anchoredSeq = head.seq;
    this.#lastAt = Date.now();
    const checkpoint = signCheckpoint({ chain: head.chain, seq: head.seq, head: head.hash, time: new Date().toISOString() }, this.#options.key);
    this.#writing = this.#writing.then(() =>
      this.#options.write(checkpoint).catch((error: unknown) => {
        this.#options.logger.error('audit checkpoint could not be written', { seq: head.seq, error: (error as Error).message });
      }),
    );
    return this.#writing;
  }

  /** Writes the last checkpoint (the head at shutdown). */
  close(): Promise<void> {
    return this.#checkpoint();
  }
}
