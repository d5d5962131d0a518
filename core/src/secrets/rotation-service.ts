import type { AuditEmitter } from '../plugin/ports/audit-sink.js';
import type { Logger } from '../plugin/logger.js';
import type { SecretStore } from '../plugin/ports/secret-store.js';
import { rotateSecret, type Rotated } from './rotate-secret.js';
import { NO_LEASE, type RotationLease } from './rotation-lease.js';
import { ruleFor, type RotationRuleConfig } from './rotation-rules.js';

export interface RotationServiceOptions {
  readonly store: SecretStore;
  readonly rules: readonly RotationRuleConfig[];
  readonly audit: AuditEmitter;
  readonly logger: Logger;
  /** New values join this set, so logs and audit mask them like every other known secret. */
  readonly knownSecrets: Set<string>;
  readonly checkIntervalMs: number;
  /** Who rotates a version when several replicas share the store (default: this process always may). */
  readonly lease?: RotationLease;
  readonly now?: () => number;
}

/**
 * Rotates every secret whose rule says it is due (its current version is older than `every`), on a timer owned by
 * the kernel. Each rotation is audited as `secret.rotated` with the name and versions, never the value. With
 * several replicas sharing one store, only one should run it (`rotation.enabled: true` on that one): two
 * rotating at once would each make a version and cut the grace of the other's.
 */
export class RotationService {
  readonly #options: RotationServiceOptions;
  #timer?: NodeJS.Timeout;
  #running?: Promise<void>;

  constructor(options: RotationServiceOptions) {
    this.#options = options;
  }

  start(): void {
    this.#timer = setInterval(() => void this.check(), this.#options.checkIntervalMs);
    this.#timer.unref();
    void this.check();
  }

  /** One pass over the store; concurrent calls share the pass in progress. */
  check(): Promise<void> {
    this.#running ??= this.#check().finally(() => (this.#running = undefined));
    return this.#running;
  }

  async #check(): Promise<void> {
    const { store, rules, logger } = this.#options;
    const now = (this.#options.now ?? Date.now)();
    let secrets;
    try {
      secrets = await store.list();
    } catch (error) {
      logger.error('secret rotation could not list the store', { error: (error as Error).message });
      return;
    }
    for (const secret of secrets) {
      const rule = ruleFor(rules, secret.name, secret.type);
      if (!rule || now - secret.createdAt.getTime() < rule.everyMs) continue;
      const lease = this.#options.lease ?? NO_LEASE;
      if (!(await lease.take(secret.name, secret.version))) continue;
      try {
        const rotated = await rotateSecret(store, secret.name, rule, new Date(now));
        this.record(rotated, 'schedule');
      } catch (error) {
        await lease.release(secret.name, secret.version);
        logger.error('secret rotation failed', { entry: secret.name, error: (error as Error).message });
        this.#options.audit.emit({
          type: 'secret.rotated',
          outcome: 'failure',
          details: { name: secret.name, trigger: 'schedule' },
          error: { code: 'SECRET_ROTATION_FAILED', message: (error as Error).message },
        });
      }
    }
  }

  /** Audits and logs a rotation (also used for one the CLI asked for) and masks the new value from now on. */
  record(rotated: Rotated, trigger: 'schedule' | 'cli'): void {
    const { record, previousVersion, graceUntil } = rotated;
    this.#options.knownSecrets.add(record.value.reveal());
    const details = { name: record.name, type: record.type, version: record.version, previousVersion, graceUntil: graceUntil.toISOString(), trigger };
    this.#options.audit.emit({ type: 'secret.rotated', outcome: 'success', details });
    // `name` would clash with the logger's own field, and `secret` is a masked key: the log says `entry`.
    this.#options.logger.info('secret rotated', {
      entry: record.name,
      type: record.type,
      version: record.version,
      previousVersion,
      graceUntil: details.graceUntil,
      trigger,
    });
  }

  stop(): Promise<void> {
    clearInterval(this.#timer);
    return this.#running ?? Promise.resolve();
  }
}
