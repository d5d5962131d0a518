import { monotonicFactory } from 'ulid';
import type { AuditEmitter, AuditEvent, AuditInput, AuditSink } from '../plugin/ports/audit-sink.js';
import type { Logger } from '../plugin/logger.js';
import type { AuditRedactor } from '../audit/audit-redactor.js';
import { HashChain } from '../audit/hash-chain.js';
import type { ChainKey } from '../audit/chain-key.js';
import type { Checkpointer } from '../audit/checkpointer.js';
import { pooledRandomFraction } from '../audit/pooled-random.js';

export interface NamedSink {
  readonly id: string;
  readonly port: AuditSink;
}

export interface AuditHubOptions {
  readonly enabled: boolean;
  readonly logger: Logger;
  readonly redactor: AuditRedactor;
  /** Events waiting beyond this are dropped (counted and logged), so a stuck sink cannot exhaust memory. */
  readonly queueLimit: number;
  /** Seals the chain with HMAC-SHA256; without it the chain is plain SHA-256 (unkeyed: order, not authorship). */
  readonly chainKey?: ChainKey;
  /** Anchors the chain's head outside the log, so a deleted tail or chain shows. */
  readonly checkpointer?: Checkpointer;
  /** While a fail-closed sink is down, how often an `audit.unavailable` event tries it again (default 1000 ms). */
  readonly probeIntervalMs?: number;
}

/**
 * Fans audit events out to every sink. Events get a ULID, a time and their place in this process's hash chain
 * when emitted; they are written in batches (group commit): one write at a time, and everything emitted while it
 * runs goes into the next one, so a slow disk makes batches bigger, not the queue of writes longer. The request
 * path waits on disk or network only where a sink is fail-closed (`record`). Events emitted while plugins are
 * being set up wait until the sinks are attached.
 */
export class AuditHub implements AuditEmitter {
  readonly #options: AuditHubOptions;
  readonly #chain: HashChain;
  readonly #ulid = monotonicFactory(pooledRandomFraction());
  #sinks: readonly NamedSink[] = [];
  #queue: AuditEvent[] = [];
  /** Settles with the outcome of the batch the queued events will go out in. */
  #waiting?: { readonly promise: Promise<boolean>; readonly resolve: (stored: boolean) => void };
  /** The batch being written, if any. */
  #writing?: Promise<void>;
  dropped = 0;
  /** Events stored, counted once per sink that stored them. */
  written = 0;
  /** Set while the last write to a fail-closed sink failed: when, and the probe that retries it. */
  #unavailable?: { readonly since: string; readonly droppedBefore: number; readonly probe: NodeJS.Timeout };

  constructor(options: AuditHubOptions) {
    this.#options = options;
    this.#chain = new HashChain(options.chainKey);
  }

  /** Events waiting to be written. */
  get depth(): number {
    return this.#queue.length;
  }

  get failClosed(): boolean {
    return this.#sinks.some((s) => s.port.failClosed === true);
  }

  /**
   * Whether an event emitted now can be stored where it must be: false from the first failed write to a
   * fail-closed sink until a write succeeds again (a probe retries every second), or while the queue is full.
   * The request pipeline refuses what it would have to record while this is false (see `auditGate`).
   */
  canRecord(): boolean {
    if (!this.#options.enabled || !this.failClosed) return true;
    return this.#unavailable === undefined && this.#queue.length < this.#options.queueLimit;
  }

  /** The log's HMAC of a value (`hmac-sha256:<hex>`): how sensitive values are stored, so how a search finds them. */
  hmac(value: string): string {
    return this.#options.redactor.hmac(value);
  }

  /** A stable pseudonym for erasure: unlinkable without the deployment's audit HMAC key. */
  pseudonym(value: string): string {
    return `erased:${this.#options.redactor.hmac(value).slice('hmac-sha256:'.length, 'hmac-sha256:'.length + 24)}`;
  }

  /** Connects the sinks once they are set up, and writes what was emitted before. */
  attach(sinks: readonly NamedSink[]): void {
    this.#sinks = sinks;
    if (this.#queue.length > 0) void this.flush();
  }

  emit(input: AuditInput): void {
    void this.#enqueue(input).catch(() => {});
  }

  /** Emits and resolves once the event is stored; rejects when a fail-closed sink could not store it. */
  async record(input: AuditInput): Promise<void> {
    if (!(await this.#enqueue(input))) throw new Error('audit event could not be written to a fail-closed sink');
  }

  #enqueue(input: AuditInput): Promise<boolean> {
    if (!this.#options.enabled) return Promise.resolve(true);
    if (this.#queue.length >= this.#options.queueLimit) {
      this.dropped++;
      this.#options.logger.error('audit queue full; event dropped', { type: input.type, dropped: this.dropped });
      return Promise.resolve(!this.failClosed);
    }
    const { redactor } = this.#options;
    // Assigned, not spread: `{ ...input, id }` costs about a microsecond in V8, and every call has two events.
    const unlinked: Mutable<AuditInput> & { id: string; time: string } = Object.assign({}, input, {
      id: this.#ulid(),
      time: input.time ?? new Date().toISOString(),
    });
    if (input.arguments !== undefined) unlinked.arguments = redactor.redact(input.arguments);
    if (input.details !== undefined) unlinked.details = redactor.redact(input.details) as Record<string, unknown>;
    if (input.error !== undefined) unlinked.error = { code: input.error.code, message: redactor.redact(input.error.message) as string };
    const event = this.#chain.link(unlinked);
    this.#queue.push(event);
    if (this.#sinks.length === 0) return Promise.resolve(true);
    if (!this.#waiting) {
      this.#waiting = deferred();
      // Idle: gather what this turn of the event loop emits. Writing: the running write starts the next batch.
      if (!this.#writing) setImmediate(() => this.#pump());
    }
    return this.#waiting.promise;
  }

  /** Starts writing the queued events as one batch, unless a write is running (it calls again when done). */
  #pump(): void {
    if (this.#writing || this.#queue.length === 0 || this.#sinks.length === 0) return;
    const batch = this.#queue;
    const waiting = this.#waiting;
    this.#queue = [];
    this.#waiting = undefined;
    this.#writing = this.#write(batch).then((stored) => {
      waiting?.resolve(stored);
      this.#writing = undefined;
      this.#pump();
    });
  }

  /** Writes everything queued so far; resolves false when a fail-closed sink failed to store it. */
  flush(): Promise<boolean> {
    if (this.#sinks.length === 0) return Promise.resolve(true);
    if (this.#queue.length === 0) return this.#writing ? this.#writing.then(() => true) : Promise.resolve(true);
    // Events emitted before the sinks were attached have no waiter yet.
    this.#waiting ??= deferred();
    const stored = this.#waiting.promise;
    this.#pump();
    return stored;
  }

  async #write(batch: readonly AuditEvent[]): Promise<boolean> {
    let everySink = true;
    const results = await Promise.all(
      this.#sinks.map(async ({ id, port }) => {
        try {
          await port.write(batch);
          this.written += batch.length;
          return true;
        } catch (error) {
          this.dropped += batch.length;
          everySink = false;
          this.#options.logger.error('audit sink failed; events not stored', {
            sink: id,
            events: batch.length,
            failClosed: port.failClosed === true,
            error: (error as Error).message,
          });
          return port.failClosed !== true;
        }
      }),
    );
    // A checkpoint only ever claims events every sink holds.
    if (everySink) this.#options.checkpointer?.stored(batch.at(-1)!);
    const stored = results.every(Boolean);
    if (stored) this.#available();
    else this.#unavailableNow();
    return stored;
  }

  /** A fail-closed sink failed: stop answering (canRecord), and probe it with an event saying so until it stores one. */
  #unavailableNow(): void {
    if (this.#unavailable) return;
    const since = new Date().toISOString();
    const droppedBefore = this.dropped;
    const probe = setInterval(() => {
      if (this.#queue.length === 0 && !this.#writing)
        this.emit({ type: 'audit.unavailable', outcome: 'error', details: { since, dropped: this.dropped - droppedBefore } });
    }, this.#options.probeIntervalMs ?? 1000).unref();
    this.#unavailable = { since, droppedBefore, probe };
    this.#options.logger.error('audit log unavailable: refusing requests until a fail-closed sink stores events again', { since });
  }

  #available(): void {
    if (!this.#unavailable) return;
    clearInterval(this.#unavailable.probe);
    this.#options.logger.info('audit log available again', { since: this.#unavailable.since, dropped: this.dropped - this.#unavailable.droppedBefore });
    this.#unavailable = undefined;
  }

  async close(): Promise<void> {
    if (this.#unavailable) clearInterval(this.#unavailable.probe);
    await this.flush();
    await this.#options.checkpointer?.close();
    for (const { id, port } of this.#sinks) {
      try {
        await port.close();
      } catch (error) {
        this.#options.logger.error('audit sink failed to close', { sink: id, error: (error as Error).message });
      }
    }
  }
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

function deferred(): { promise: Promise<boolean>; resolve: (stored: boolean) => void } {
  let resolve!: (stored: boolean) => void;
  const promise = new Promise<boolean>((r) => (resolve = r));
  return { promise, resolve };
}
