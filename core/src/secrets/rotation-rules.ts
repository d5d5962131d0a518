import type { SecretType } from '../plugin/ports/secret-store.js';
import { parseDuration } from './parse-duration.js';
import { DEFAULT_ROTATION_POLICY, type RotationPolicy } from './rotate-secret.js';

/** One entry of `rotation.rules` as written in the config. */
export interface RotationRuleConfig {
  readonly name?: string;
  readonly type?: SecretType;
  readonly every: string;
  readonly grace?: string;
  readonly keepVersions?: number;
}

export interface RotationRule extends RotationPolicy {
  readonly everyMs: number;
}

/** The rule for a secret: one naming it wins over one for its type; `undefined` when neither exists. */
export function ruleFor(rules: readonly RotationRuleConfig[], name: string, type: SecretType): RotationRule | undefined {
  const rule = rules.find((r) => r.name === name) ?? rules.find((r) => r.name === undefined && r.type === type);
  if (!rule) return undefined;
  return {
    everyMs: parseDuration(rule.every),
    graceMs: rule.grace !== undefined ? parseDuration(rule.grace) : DEFAULT_ROTATION_POLICY.graceMs,
    keepVersions: rule.keepVersions ?? DEFAULT_ROTATION_POLICY.keepVersions,
  };
}
