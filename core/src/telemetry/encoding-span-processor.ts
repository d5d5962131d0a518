import { TraceFlags } from '@opentelemetry/api';
import type { Logger } from '../plugin/logger.js';
import type { ReadableSpan, SpanProcessor } from '@opentelemetry/sdk-trace-base';

/** Ended spans already encoded as one OTLP request body, and how many spans it holds. */
export interface EncodedSpans {
  readonly bytes: Uint8Array;
  readonly spans: number;
}

export interface EncodingSpanProcessorOptions {
  /** Encodes ended spans as one protobuf ExportTraceServiceRequest. */
  readonly encode: (spans: ReadableSpan[]) => Uint8Array;
  /** Sends encoded requests as one (protobuf messages concatenate into their merge); rejects when the export failed. */
  readonly send: (batch: readonly EncodedSpans[]) => Promise<void>;
  readonly shutdownSender: () => Promise<void>;
  /** Where dropped spans and failed exports are reported (the kernel's log): never silently. */
  readonly logger: Pick<Logger, 'info' | 'warn' | 'error'>;
  /** The BatchSpanProcessor's defaults: spans waiting at most, spans per export, longest wait before an export. */
  readonly maxQueueSize?: number;
  readonly maxExportBatchSize?: number;
  readonly scheduledDelayMillis?: number;
}

/**
 * The BatchSpanProcessor's queue, sizes and timing, except that a span is encoded (OTLP protobuf) at the end of
 * the event-loop turn it ended in, not when its batch is exported. A span object with its attributes and events
 * then lives for microseconds, not for the seconds a batch waits: waiting spans were the largest part of what
 * every traced call left to the old generation (about 3 KB a call), and so of the full collections. What waits is
 * the encoded bytes. Exports go out one at a time, as the BatchSpanProcessor sends them; a full queue drops spans.
 */
export class EncodingSpanProcessor implements SpanProcessor {
  readonly #options: Required<EncodingSpanProcessorOptions>;
  #ended: ReadableSpan[] = [];
  #encoded: EncodedSpans[] = [];
  #queued = 0;
  #dropped = 0;
  /** Exports failed in a row: the first failure and the recovery are logged, not every retry in between. */
  #failing = 0;
  #encodeScheduled = false;
  #timer?: NodeJS.Timeout;
  #sending?: Promise<void>;
  #shutdown?: Promise<void>;

  constructor(options: EncodingSpanProcessorOptions) {
    this.#options = { maxQueueSize: 2048, maxExportBatchSize: 512, scheduledDelayMillis: 5000, ...options };
  }

  onStart(): void {}

  onEnd(span: ReadableSpan): void {
    if (this.#shutdown || (span.spanContext().traceFlags & TraceFlags.SAMPLED) === 0) return;
    if (this.#queued + this.#ended.length >= this.#options.maxQueueSize) {
      if (this.#dropped++ === 0)
        this.#options.logger.warn('span queue full: dropping spans until an export makes room', { maxQueueSize: this.#options.maxQueueSize });
      return;
    }
    this.#ended.push(span);
    if (this.#encodeScheduled) return;
    this.#encodeScheduled = true;
    setImmediate(() => this.#encodeEnded());
  }

  async forceFlush(): Promise<void> {
    this.#encodeEnded();
    while (this.#sending || this.#encoded.length > 0) await (this.#sending ?? this.#sendNext());
  }

  shutdown(): Promise<void> {
    return (this.#shutdown ??= (async () => {
      await this.forceFlush();
      clearTimeout(this.#timer);
      await this.#options.shutdownSender();
    })());
  }

  #encodeEnded(): void {
    this.#encodeScheduled = false;
    if (this.#ended.length === 0) return;
    const spans = this.#ended;
    this.#ended = [];
    try {
      this.#encoded.push({ bytes: this.#options.encode(spans), spans: spans.length });
      this.#queued += spans.length;
    } catch (error) {
      this.#options.logger.error('spans could not be encoded; they are dropped', { spans: spans.length, error: (error as Error).message });
      return;
    }
    this.#schedule();
  }

  /** A full batch goes out now (unless one is on its way); a partial one after the scheduled delay. */
  #schedule(): void {
    if (this.#sending || this.#queued === 0) return;
    if (this.#queued >= this.#options.maxExportBatchSize) {
      void this.#sendNext();
      return;
    }
    this.#timer ??= setTimeout(() => {
      this.#timer = undefined;
      void this.#sendNext();
    }, this.#options.scheduledDelayMillis).unref();
  }

  /** Sends up to one batch of the oldest encoded spans; then schedules what is left. */
  #sendNext(): Promise<void> {
    if (this.#encoded.length === 0) return Promise.resolve();
    clearTimeout(this.#timer);
    this.#timer = undefined;
    let count = 0;
    let take = 0;
    while (take < this.#encoded.length && (take === 0 || count + this.#encoded[take]!.spans <= this.#options.maxExportBatchSize))
      count += this.#encoded[take++]!.spans;
    const batch = this.#encoded.splice(0, take);
    this.#queued -= count;
    if (this.#dropped > 0) {
      this.#options.logger.warn('spans were dropped: the span queue was full', { dropped: this.#dropped });
      this.#dropped = 0;
    }
    const sending = this.#options
      .send(batch)
      .then(
        () => {
          if (this.#failing > 0) this.#options.logger.info('span export recovered', { failedExports: this.#failing });
          this.#failing = 0;
        },
        (error: unknown) => {
          if (this.#failing++ === 0)
            this.#options.logger.warn('span export failed; its spans are lost', { spans: count, error: (error as Error)?.message ?? String(error) });
        },
      )
      .finally(() => {
        this.#sending = undefined;
        this.#schedule();
      });
    this.#sending = sending;
    return sending;
  }
}
