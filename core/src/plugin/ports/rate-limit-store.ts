export interface RateLimitRule {
  readonly name: string;
  /** Requests allowed per `durationSeconds`. */
  readonly points: number;
  readonly durationSeconds: number;
  /** Once exhausted, the key stays blocked this long (lockouts); otherwise until the window ends. */
  readonly blockDurationSeconds?: number;
}

export type RateLimitDecision =
  | { readonly allowed: true; readonly remaining: number; readonly resetMs: number }
  | { readonly allowed: false; readonly retryAfterMs: number; readonly resetMs: number };

/** Port of plugin kind `rate-limit-store`. Keys are opaque strings the kernel builds; rules carry their own name. */
export interface RateLimitStore {
  /**
   * Takes one point; `allowed: false` once the rule's points are used up (or the key is blocked). An in-process
   * store may answer with the decision itself rather than a promise (the kernel counts every call three times);
   * a failure is always a rejected promise or a throw, never a decision.
   */
  consume(key: string, rule: RateLimitRule): RateLimitDecision | Promise<RateLimitDecision>;
  /** The current decision for `key`, taking nothing (used to refuse locked-out clients before any work). */
  peek(key: string, rule: RateLimitRule): RateLimitDecision | Promise<RateLimitDecision>;
  /** Forgets `key` (a successful login clears its failure count). */
  reset(key: string, rule: RateLimitRule): Promise<void>;
  close?(): Promise<void>;
}
