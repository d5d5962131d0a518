import { apiKeyProblems, CnmcpError, type SecretReader } from '@cnmcp/core/plugin';
import type { ApiKeyEntry, ResolvedApiKey } from './config-schema.js';

export interface ReadKeys {
  /** One per entry: the configured key, or the newest live version of its secret. Checked like configured keys. */
  readonly current: readonly ResolvedApiKey[];
  /** Older live versions of stored secrets, in their rotation grace period. */
  readonly older: readonly ResolvedApiKey[];
}

const earliest = (a: string | undefined, b: Date | undefined) => (b === undefined ? a : a === undefined || Date.parse(a) > b.getTime() ? b.toISOString() : a);

/**
 * The key values the entries stand for now. An entry naming a secret gets one value per live version, each valid
 * until the earlier of the entry's `expiresAt` and the version's expiry (the end of its grace period).
 */
export async function readKeys(entries: readonly ApiKeyEntry[], secrets: SecretReader): Promise<ReadKeys> {
  const current: ResolvedApiKey[] = [];
  const older: ResolvedApiKey[] = [];
  for (const { id, key, secret, roles, expiresAt } of entries) {
    if (secret === undefined) {
      current.push({ id, key: key ?? '', roles, ...(expiresAt !== undefined ? { expiresAt } : {}) });
      continue;
    }
    const versions = await secrets.getVersions(secret);
    if (versions.length === 0)
      throw new CnmcpError('AUTH_SECRET_UNAVAILABLE', `API key ${JSON.stringify(id)}: secret "${secret}" has no valid version in the secrets store`);
    versions.forEach((version, i) => {
      const until = earliest(expiresAt, version.expiresAt);
      (i === 0 ? current : older).push({ id, key: version.value.reveal(), roles, ...(until !== undefined ? { expiresAt: until } : {}) });
    });
  }
  return { current, older };
}

/** Older versions that still meet the rule (they did when stored; a hand-edited store may say otherwise). */
export const acceptableOlder = (older: readonly ResolvedApiKey[]) =>
  older.filter((k) => apiKeyProblems(k.key).length === 0 && /^[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?$/.test(k.key));
