/** How a request or a call learns that it was cancelled (its client left, its deadline passed, shutdown). */
export interface Cancellation {
  readonly cancelled: boolean;
  /** Why (an AbortSignal's reason), once cancelled. */
  readonly reason: unknown;
  /** An AbortSignal that aborts with it, for code that takes one (fetch, a tool handler). */
  readonly signal: AbortSignal;
  /** Runs `listener` once on cancellation (at once when already cancelled); returns what unsubscribes it. */
  onCancel(listener: () => void): () => void;
}

const NOTHING = () => undefined;

/**
 * A cancellation the kernel owns. Its AbortSignal is made only when someone reads `signal`: on Node 20 an
 * AbortController (an EventTarget) with its listeners costs more than the rest of a fast-path call's bookkeeping,
 * and most requests end without anyone looking at their signal. The kernel's own listeners are plain callbacks.
 */
export class OwnCancellation implements Cancellation {
  #cancelled = false;
  #reason: unknown;
  #controller?: AbortController;
  #listeners?: Set<() => void>;

  get cancelled(): boolean {
    return this.#cancelled;
  }

  get reason(): unknown {
    return this.#reason;
  }

  get signal(): AbortSignal {
    if (this.#controller) return this.#controller.signal;
    this.#controller = new AbortController();
    if (this.#cancelled) this.#controller.abort(this.#reason);
    return this.#controller.signal;
  }

  /** Cancels once; later calls do nothing. Listeners run after the signal (if one was made) aborted. */
  cancel(reason: unknown = new DOMException('This operation was aborted', 'AbortError')): void {
    if (this.#cancelled) return;
    this.#cancelled = true;
    this.#reason = reason;
    this.#controller?.abort(reason);
    const listeners = this.#listeners;
    this.#listeners = undefined;
    if (listeners) for (const listener of listeners) listener();
  }

  onCancel(listener: () => void): () => void {
    if (this.#cancelled) {
      listener();
      return NOTHING;
    }
    (this.#listeners ??= new Set()).add(listener);
    return () => this.#listeners?.delete(listener);
  }
}

/** The cancellation of an existing signal (the MCP SDK's per-request one). */
export const followSignal = (signal: AbortSignal): Cancellation => new FollowedSignal(signal);

/** A class, not an object literal with getters (see pipeline/http-exchange.ts): one is made per SDK request. */
class FollowedSignal implements Cancellation {
  readonly signal: AbortSignal;

  constructor(signal: AbortSignal) {
    this.signal = signal;
  }

  get cancelled(): boolean {
    return this.signal.aborted;
  }

  get reason(): unknown {
    return this.signal.reason as unknown;
  }

  onCancel(listener: () => void): () => void {
    const signal = this.signal;
    if (signal.aborted) {
      listener();
      return NOTHING;
    }
    signal.addEventListener('abort', listener, { once: true });
    return () => signal.removeEventListener('abort', listener);
  }
}
