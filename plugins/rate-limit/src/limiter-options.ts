import { CnmcpError, type RateLimitRule } from '@cnmcp/core/plugin';

/** The rate-limiter-flexible options one rule becomes; every backend (memory, redis) builds its limiter from these. */
export interface LimiterOptions {
  /** Distinct per rule, so rules sharing a backend (one Redis) never share counters. */
  readonly keyPrefix: string;
  readonly points: number;
  /** Seconds. */
  readonly duration: number;
  /** Seconds; 0 = no block beyond the window. */
  readonly blockDuration: number;
}

/**
 * One limiter per distinct rule: the same name with other numbers (a config reload, two plugins choosing one
 * name) must not share a window.
 */
export const ruleId = (rule: RateLimitRule): string => `${rule.name}|${rule.points}|${rule.durationSeconds}|${rule.blockDurationSeconds ?? 0}`;

/** Checks a rule before it reaches rate-limiter-flexible, which would otherwise accept e.g. 0 s ("never expires"). */
export function limiterOptions(rule: RateLimitRule): LimiterOptions {
  const problems: string[] = [];
  if (typeof rule.name !== 'string' || rule.name.length === 0) problems.push('name must be a non-empty string');
  if (!Number.isInteger(rule.points) || rule.points < 1) problems.push(`points must be an integer >= 1, got ${String(rule.points)}`);
  if (!Number.isFinite(rule.durationSeconds) || rule.durationSeconds <= 0) problems.push(`durationSeconds must be > 0, got ${String(rule.durationSeconds)}`);
  const block = rule.blockDurationSeconds ?? 0;
  if (!Number.isFinite(block) || block < 0) problems.push(`blockDurationSeconds must be >= 0, got ${String(block)}`);
  if (problems.length > 0) throw new CnmcpError('RATE_LIMIT_RULE_INVALID', `rate-limit rule "${String(rule.name)}": ${problems.join('; ')}`);
  return { keyPrefix: `cnmcp:rl:${ruleId(rule)}`, points: rule.points, duration: rule.durationSeconds, blockDuration: block };
}
