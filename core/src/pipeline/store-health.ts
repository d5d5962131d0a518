import type { Meter } from '@opentelemetry/api';
import type { Logger } from '../plugin/logger.js';

export type OnStoreError = 'deny' | 'allow';

/**
 * What every limit and the lockout do when the rate-limit store fails (Redis down): apply `onStoreError`, count
 * the failure, and log once when an outage starts and once when it ends, not once per request.
 */
export interface StoreHealth {
  readonly onStoreError: OnStoreError;
  /** Records a failed store call; true when the request must be refused (`deny`). */
  failed(error: unknown, rule: string): boolean;
  /** Records a store call that worked; ends an outage. */
  ok(): void;
}

export function createStoreHealth(onStoreError: OnStoreError, logger: Logger, meter: Meter): StoreHealth {
  const errors = meter.createCounter('cnmcp_rate_limit_store_errors', {
    description: 'Rate-limit store calls that failed (the store was unreachable or erred).',
  });
  let outage: { since: number; failures: number } | undefined;
  return {
    onStoreError,
    failed(error, rule) {
      errors.add(1, { rule, on_store_error: onStoreError });
      if (outage) outage.failures++;
      else {
        outage = { since: Date.now(), failures: 1 };
        const effect =
          onStoreError === 'deny'
            ? 'requests are refused with 429 until it recovers (onStoreError: deny)'
            : 'requests pass unlimited until it recovers (onStoreError: allow)';
        logger.error(`rate-limit store unavailable; ${effect}`, { rule, error: (error as Error)?.message ?? String(error) });
      }
      return onStoreError === 'deny';
    },
    ok() {
      if (!outage) return;
      logger.info('rate-limit store recovered', { downForMs: Date.now() - outage.since, failedCalls: outage.failures });
      outage = undefined;
    },
  };
}
