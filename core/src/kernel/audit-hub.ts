import { randomBytes } from 'node:crypto';
import type { AuditEmitter, AuditEvent, AuditInput, AuditSink } from '../plugin/ports/audit-sink.js';
import type { Logger } from '../plugin/logger.js';
import { redact } from '../telemetry/redact.js';

export interface NamedSink {
  readonly id: string;
  readonly port: AuditSink;
}

/** Time-sortable event id: milliseconds then randomness, both fixed width. */
const eventId = () => `${Date.now().toString(36).padStart(9, '0')}${randomBytes(8).toString('hex')}`;

/**
 * Fans audit events out to every sink. Events are queued and written in batches on the next turn of the event
 * loop, so the request path never waits on disk or network. Events emitted while plugins are still being set up
 * wait in the queue until the sinks are attached. With no sink configured, emit does nothing.
 */
export class AuditHub implements AuditEmitter {
  readonly #enabled: boolean;
  readonly #logger: Logger;
  readonly #knownSecrets: ReadonlySet<string>;
  #sinks: readonly NamedSink[] = [];
  #queue: AuditEvent[] = [];
  #scheduled = false;
  #writing: Promise<void> = Promise.resolve();
  dropped = 0;

  constructor(enabled: boolean, logger: Logger, knownSecrets: ReadonlySet<string>) {
    this.#enabled = enabled;
    this.#logger = logger;
    this.#knownSecrets = knownSecrets;
  }

  /** Connects the sinks once they are set up, and writes what was emitted before. */
  attach(sinks: readonly NamedSink[]): void {
    this.#sinks = sinks;
    if (this.#queue.length > 0) void this.flush();
  }

  emit(input: AuditInput): void {
    if (!this.#enabled) return;
    const event = redact({ ...input, id: eventId(), time: input.time ?? new Date().toISOString() }, this.#knownSecrets) as AuditEvent;
    this.#queue.push(event);
    if (!this.#scheduled && this.#sinks.length > 0) {
      this.#scheduled = true;
      setImmediate(() => void this.flush());
    }
  }

  /** Writes everything queued so far; resolves when every sink has it (or has failed and been counted). */
  flush(): Promise<void> {
    this.#scheduled = false;
    if (this.#sinks.length === 0) return this.#writing;
    const batch = this.#queue;
    this.#queue = [];
    if (batch.length === 0) return this.#writing;
    this.#writing = this.#writing.then(() => this.#write(batch));
    return this.#writing;
  }

  async #write(batch: readonly AuditEvent[]): Promise<void> {
    await Promise.all(
      this.#sinks.map(async ({ id, port }) => {
        try {
          await port.write(batch);
        } catch (error) {
          this.dropped += batch.length;
          this.#logger.error('audit sink failed; events dropped', { sink: id, events: batch.length, error: (error as Error).message });
        }
      }),
    );
  }

  async close(): Promise<void> {
    await this.flush();
    for (const { id, port } of this.#sinks) {
      try {
        await port.flush?.();
        await port.close();
      } catch (error) {
        this.#logger.error('audit sink failed to close', { sink: id, error: (error as Error).message });
      }
    }
  }
}
