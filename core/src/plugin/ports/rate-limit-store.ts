export interface RateLimitRule {
  readonly name: string;
  /** Requests allowed per `durationSeconds`. */
  readonly points: number;
  readonly durationSeconds: number;
}

export type RateLimitDecision =
  | { readonly allowed: true; readonly remaining: number; readonly resetMs: number }
  | { readonly allowed: false; readonly retryAfterMs: number; readonly resetMs: number };

/** Port of plugin kind `rate-limit-store`. */
export interface RateLimitStore {
  consume(key: string, rule: RateLimitRule): Promise<RateLimitDecision>;
  reward?(key: string, rule: RateLimitRule): Promise<void>;
  close?(): Promise<void>;
}
