import { describe, expect, it } from 'vitest';
import type { Logger } from '../plugin/logger.js';
import type { AuditInput } from '../plugin/ports/audit-sink.js';
import type { RateLimitDecision, RateLimitRule, RateLimitStore } from '../plugin/ports/rate-limit-store.js';
import type { PutSecretOptions, SecretRecord, SecretStore } from '../plugin/ports/secret-store.js';
import { Secret } from '../plugin/secret.js';
import { createRotationLease } from './rotation-lease.js';
import { RotationService } from './rotation-service.js';

const HOUR = 3_600_000;
const tick = () => new Promise((resolve) => setImmediate(resolve));

/** One process's counters, like the memory store: consume is atomic because it never awaits between read and write. */
function memoryLimits(): RateLimitStore & { failing: boolean } {
  const windows = new Map<string, { used: number; until: number }>();
  const store = {
    failing: false,
    async consume(key: string, rule: RateLimitRule): Promise<RateLimitDecision> {
      if (store.failing) throw new Error('store down');
      const now = Date.now();
      const w = windows.get(key);
      const window = w && w.until > now ? w : { used: 0, until: now + rule.durationSeconds * 1000 };
      windows.set(key, window);
      if (window.used >= rule.points) return { allowed: false, retryAfterMs: window.until - now, resetMs: window.until - now };
      window.used++;
      return { allowed: true, remaining: rule.points - window.used, resetMs: window.until - now };
    },
    peek: async () => ({ allowed: true, remaining: 1, resetMs: 0 }) as const,
    async reset(key: string) {
      windows.delete(key);
    },
  };
  return store;
}

/** A shared secret store whose reads and writes yield to the event loop, so two services really interleave. */
function sharedSecrets(createdAt: Date): SecretStore {
  const versions: SecretRecord[] = [{ name: 'api', type: 'generic', version: 1, value: new Secret('v1-value'), createdAt }];
  const current = () => versions[versions.length - 1]!;
  return {
    async get() {
      await tick();
      return current();
    },
    getVersions: async () => [...versions].reverse(),
    async put(name: string, value: Secret, options: PutSecretOptions) {
      await tick();
      const record: SecretRecord = { name, value, type: options.type, version: current().version + 1, createdAt: new Date() };
      versions.push(record);
      return record;
    },
    async list() {
      await tick();
      const { value: _value, ...rest } = current();
      return [rest];
    },
    delete: async () => {},
  };
}

const silent: Logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => silent };

function logCollector() {
  const errors: string[] = [];
  const logger: Logger = { ...silent, error: (message) => void errors.push(message), child: () => logger };
  return { errors, logger };
}

function replica(store: SecretStore, limits: RateLimitStore | undefined, audit: AuditInput[], logger = silent) {
  return new RotationService({
    store,
    rules: [{ name: 'api', every: '1h', grace: '1h', keepVersions: 3 }],
    audit: { emit: (event: AuditInput) => void audit.push(event) },
    logger,
    knownSecrets: new Set(),
    checkIntervalMs: 60_000,
    ...(limits ? { lease: createRotationLease(limits, logger) } : {}),
  });
}

describe('rotation lease: replicas sharing a store rotate each version once', () => {
  const due = new Date(Date.now() - 2 * HOUR);

  it('two services racing over one shared store: exactly one rotates', async () => {
    const secrets = sharedSecrets(due);
    const limits = memoryLimits();
    const audit: AuditInput[] = [];
    const [a, b] = [replica(secrets, limits, audit), replica(secrets, limits, audit)];
    await Promise.all([a.check(), b.check(), a.check(), b.check()]);
    expect(audit.filter((e) => e.type === 'secret.rotated').map((e) => [e.outcome, e.details?.previousVersion, e.details?.version])).toEqual([
      ['success', 1, 2],
    ]);
    expect((await secrets.get('api')).version).toBe(2);
  });

  it('without a lease both rotate (why the lease exists)', async () => {
    const secrets = sharedSecrets(due);
    const audit: AuditInput[] = [];
    await Promise.all([replica(secrets, undefined, audit).check(), replica(secrets, undefined, audit).check()]);
    expect(audit.filter((e) => e.type === 'secret.rotated')).toHaveLength(2);
  });

  it('a store error fails safe: nobody rotates, logged once; rotation resumes when the store answers', async () => {
    const secrets = sharedSecrets(due);
    const limits = memoryLimits();
    const audit: AuditInput[] = [];
    const { errors, logger } = logCollector();
    const service = replica(secrets, limits, audit, logger);
    limits.failing = true;
    await service.check();
    await service.check();
    expect(audit).toEqual([]);
    expect((await secrets.get('api')).version).toBe(1);
    expect(errors).toEqual(['secret rotation skipped: the rate-limit store holding the rotation lease failed']);
    limits.failing = false;
    await service.check();
    expect(audit.map((e) => e.type)).toEqual(['secret.rotated']);
  });

  it('a failed rotation gives the lease back, so the next pass tries again', async () => {
    const secrets = sharedSecrets(due);
    const put = secrets.put.bind(secrets);
    let failNext = true;
    secrets.put = async (...args) => {
      if (failNext) {
        failNext = false;
        throw new Error('disk full');
      }
      return put(...args);
    };
    const limits = memoryLimits();
    const audit: AuditInput[] = [];
    const service = replica(secrets, limits, audit);
    await service.check();
    await service.check();
    expect(audit.map((e) => e.outcome)).toEqual(['failure', 'success']);
    expect((await secrets.get('api')).version).toBe(2);
  });
});
