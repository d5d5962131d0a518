import type { Logger } from '../plugin/logger.js';
import type { RateLimitStore } from '../plugin/ports/rate-limit-store.js';

/** Decides which replica rotates one version of a secret. */
export interface RotationLease {
  /** True when this process may rotate `name` from `version`; false when another holds it or the store failed. */
  take(name: string, version: number): Promise<boolean>;
  /** Gives the lease back after a failed rotation, so the next pass (of any replica) tries again. */
  release(name: string, version: number): Promise<void>;
}

/** Every process may rotate: no shared store, so `rotation.enabled` alone decides (one replica, or pinning). */
export const NO_LEASE: RotationLease = { take: async () => true, release: async () => {} };

/**
 * A lease per (secret, current version) in the rate-limit store: a window of one point, so the first replica to
 * consume it rotates and the others are refused until it expires. With redis the consume is atomic across
 * replicas; with the memory store it is per process. The lease outlives the rotation by far: by the time it
 * expires every replica sees the new version (a new key), so the old one is never taken again. Store errors fail
 * safe: nobody rotates this pass, logged once until the store answers again.
 */
export function createRotationLease(store: RateLimitStore, logger: Logger, leaseSeconds = ROTATION_LEASE_SECONDS): RotationLease {
  const rule = { name: 'rotation-lease', points: 1, durationSeconds: leaseSeconds };
  const key = (name: string, version: number) => `rotation:${name}:${version}`;
  let failing = false;
  return {
    async take(name, version) {
      try {
        const decision = await store.consume(key(name, version), rule);
        failing = false;
        return decision.allowed;
      } catch (error) {
        if (!failing) logger.error('secret rotation skipped: the rate-limit store holding the rotation lease failed', { error: (error as Error).message });
        failing = true;
        return false;
      }
    },
    async release(name, version) {
      await store.reset(key(name, version), rule).catch(() => {});
    },
  };
}

/**
 * How long a lease lasts. Long enough for every replica's view of the secret store to catch up (the file store
 * polls every second), and the same on every replica whatever its config: the store keys a window by its length,
 * so replicas with different lease lengths would not exclude each other.
 */
export const ROTATION_LEASE_SECONDS = 300;
