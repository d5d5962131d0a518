import type { SecretRecord, SecretStore } from '../plugin/ports/secret-store.js';
import { newSecretValue, settingsFromMetadata } from './new-secret-value.js';

export interface RotationPolicy {
  /** How long replaced versions stay valid, so clients can roll over without downtime. */
  readonly graceMs: number;
  readonly keepVersions: number;
}

export const DEFAULT_ROTATION_POLICY: RotationPolicy = Object.freeze({ graceMs: 3_600_000, keepVersions: 2 });

export interface Rotated {
  readonly record: SecretRecord;
  readonly previousVersion: number;
  readonly graceUntil: Date;
}

/**
 * Replaces the current value of `name` by a new one of the same type, made the way the old one was (its
 * metadata), keeping the versions it replaces valid for the grace period.
 */
export async function rotateSecret(store: SecretStore, name: string, policy: RotationPolicy, now = new Date()): Promise<Rotated> {
  const current = await store.get(name);
  const next = await newSecretValue(store, current.type, settingsFromMetadata(current.metadata));
  const graceUntil = new Date(now.getTime() + policy.graceMs);
  const record = await store.put(name, next.value, {
    type: current.type,
    metadata: { ...current.metadata, ...next.metadata },
    ...(next.expiresAt ? { expiresAt: next.expiresAt } : {}),
    previousValidUntil: graceUntil,
    keepVersions: policy.keepVersions,
  });
  return { record, previousVersion: current.version, graceUntil };
}
