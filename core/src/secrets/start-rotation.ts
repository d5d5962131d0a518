import type { CnmcpConfig } from '../config/types.js';
import type { Logger } from '../plugin/logger.js';
import type { AuditEmitter } from '../plugin/ports/audit-sink.js';
import type { RateLimitStore } from '../plugin/ports/rate-limit-store.js';
import type { SecretStore } from '../plugin/ports/secret-store.js';
import { createRotationLease } from './rotation-lease.js';
import { RotationService } from './rotation-service.js';

/**
 * Starts the rotation timer when the config has rules, a store and `rotation.enabled`; returns its stop. With a
 * rate-limit store, each rotation first takes a lease there, so replicas sharing it rotate each version once.
 */
export function startRotation(
  config: CnmcpConfig,
  store: SecretStore | undefined,
  deps: { audit: AuditEmitter; logger: Logger; knownSecrets: Set<string>; leaseStore?: RateLimitStore | undefined },
): (() => Promise<void>) | undefined {
  const { enabled, rules, checkIntervalSeconds } = config.rotation;
  if (!store || rules.length === 0) return undefined;
  if (!enabled) {
    deps.logger.info('secret rotation is off in this process (rotation.enabled: false); another replica or `cnmcp secrets rotate` rotates');
    return undefined;
  }
  const service = new RotationService({
    store,
    rules,
    audit: deps.audit,
    logger: deps.logger,
    knownSecrets: deps.knownSecrets,
    checkIntervalMs: checkIntervalSeconds * 1000,
    ...(deps.leaseStore ? { lease: createRotationLease(deps.leaseStore, deps.logger) } : {}),
  });
  service.start();
  return () => service.stop();
}
