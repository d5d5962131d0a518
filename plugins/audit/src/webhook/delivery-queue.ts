import { setTimeout as sleep } from 'node:timers/promises';

/** What one attempt ended in: delivered, worth retrying (network, timeout, 408/429/5xx), or refused for good. */
export type AttemptResult = { readonly ok: true } | { readonly ok: false; readonly retry: boolean; readonly reason: string };

export interface DeliveryQueueOptions {
  readonly limit: number;
  readonly maxAttempts: number;
  readonly retryInitialDelayMs: number;
  readonly retryMaxDelayMs: number;
  /** Makes one attempt; must settle on its own (it carries its own timeout) or when `signal` aborts. */
  readonly attempt: (body: Record<string, unknown>, attempt: number, signal: AbortSignal) => Promise<AttemptResult>;
  readonly on: {
    delivered(attempts: number): void;
    failed(reason: string, attempts: number): void;
    dropped(why: 'queue full' | 'shutdown'): void;
    attemptFailed(reason: string): void;
  };
}

/**
 * Deliveries waiting for the receiver, in order, one at a time. `push` never waits: a full queue drops the new
 * delivery (the caller counts it), so a slow or dead receiver costs bounded memory and never the request path.
 * A failed attempt is retried after an exponential backoff, up to `maxAttempts`.
 */
export class DeliveryQueue {
  readonly #options: DeliveryQueueOptions;
  readonly #pending: Record<string, unknown>[] = [];
  readonly #stop = new AbortController();
  #running?: Promise<void>;

  constructor(options: DeliveryQueueOptions) {
    this.#options = options;
  }

  /** Deliveries not yet delivered, failed or dropped (the one being attempted included). */
  get depth(): number {
    return this.#pending.length;
  }

  push(body: Record<string, unknown>): void {
    if (this.#stop.signal.aborted) return this.#options.on.dropped('shutdown');
    if (this.#pending.length >= this.#options.limit) return this.#options.on.dropped('queue full');
    this.#pending.push(body);
    this.#running ??= this.#drain().finally(() => (this.#running = undefined));
  }

  /** Waits up to `graceMs` for the queue to empty, then abandons what is left (counted as dropped). */
  async close(graceMs: number): Promise<void> {
    if (this.#running) await Promise.race([this.#running, sleep(graceMs, undefined, { ref: false })]);
    this.#stop.abort();
    await this.#running;
    for (const _ of this.#pending.splice(0)) this.#options.on.dropped('shutdown');
  }

  async #drain(): Promise<void> {
    while (this.#pending.length > 0 && !this.#stop.signal.aborted) {
      await this.#deliver(this.#pending[0]!);
      if (!this.#stop.signal.aborted) this.#pending.shift();
    }
  }

  async #deliver(body: Record<string, unknown>): Promise<void> {
    const { maxAttempts, retryInitialDelayMs, retryMaxDelayMs, on } = this.#options;
    for (let attempt = 1; ; attempt++) {
      const result = await this.#options.attempt(body, attempt, this.#stop.signal);
      if (this.#stop.signal.aborted) return;
      if (result.ok) return on.delivered(attempt);
      on.attemptFailed(result.reason);
      if (!result.retry || attempt >= maxAttempts) return on.failed(result.reason, attempt);
      const delay = Math.min(retryInitialDelayMs * 2 ** (attempt - 1), retryMaxDelayMs);
      try {
        await sleep(delay, undefined, { signal: this.#stop.signal, ref: false });
      } catch {
        return; // shut down while waiting
      }
    }
  }
}
