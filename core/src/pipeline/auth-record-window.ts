/** Above this many remembered credentials, those whose window has passed are swept (bounds memory under churn). */
const SWEEP_AT = 10_000;

/**
 * `auditing.authSuccess: { record: per-credential }`: one `auth.success` per credential (and identity) per window,
 * instead of one per HTTP request. A session uses one credential, so a session records once per window too.
 * Failures never pass through here: each is recorded.
 */
export class AuthRecordWindow {
  readonly #windowMs: number;
  readonly #now: () => number;
  readonly #recorded = new Map<string, number>();

  constructor(windowSeconds: number, now: () => number = Date.now) {
    this.#windowMs = windowSeconds * 1000;
    this.#now = now;
  }

  /** True when this credential has no `auth.success` recorded within the window (and remembers it as recorded now). */
  shouldRecord(key: string): boolean {
    const now = this.#now();
    const last = this.#recorded.get(key);
    if (last !== undefined && now - last < this.#windowMs) return false;
    if (this.#recorded.size >= SWEEP_AT) for (const [k, at] of this.#recorded) if (now - at >= this.#windowMs) this.#recorded.delete(k);
    this.#recorded.set(key, now);
    return true;
  }
}
