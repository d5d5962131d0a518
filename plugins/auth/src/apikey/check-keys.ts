import { apiKeyProblems, CnmcpAggregateError, CnmcpError } from '@cnmcp/core/plugin';
import type { ResolvedApiKey } from './config-schema.js';

/**
 * Load-time rules for configured keys: the guide's complexity rule, unique ids, unique keys, a key HTTP can carry,
 * a parseable expiry. Every message names the key's id and the rule it breaks, never the key.
 */
export function apiKeyConfigProblems(keys: readonly ResolvedApiKey[]): CnmcpError[] {
  const problems: CnmcpError[] = [];
  const idAt = new Map<string, number>();
  const ownerOfKey = new Map<string, string>();
  keys.forEach(({ id, key, expiresAt }, index) => {
    const earlier = idAt.get(id);
    if (earlier !== undefined) {
      problems.push(
        new CnmcpError('AUTH_DUPLICATE_KEY_ID', `API key id ${JSON.stringify(id)} is used by keys[${earlier}] and keys[${index}]: ids must be unique`),
      );
    } else {
      idAt.set(id, index);
    }
    const weakness = apiKeyProblems(key);
    if (weakness.length > 0) {
      problems.push(new CnmcpError('AUTH_WEAK_KEY', `API key ${JSON.stringify(id)} breaks the API key complexity rule: it ${weakness.join('; it ')}`));
    }
    if (/^\s|\s$/.test(key)) {
      problems.push(
        new CnmcpError(
          'AUTH_INVALID_KEY',
          `API key ${JSON.stringify(id)} starts or ends with whitespace, which HTTP strips from header values, so it could never match`,
        ),
      );
    } else if (/[^\x20-\x7e]/.test(key)) {
      problems.push(
        new CnmcpError(
          'AUTH_INVALID_KEY',
          `API key ${JSON.stringify(id)} contains characters outside printable ASCII, which HTTP headers do not carry reliably`,
        ),
      );
    }
    const owner = ownerOfKey.get(key);
    if (owner !== undefined) {
      problems.push(new CnmcpError('AUTH_DUPLICATE_KEY', `API keys ${JSON.stringify(owner)} and ${JSON.stringify(id)} have the same key: give each its own`));
    } else {
      ownerOfKey.set(key, id);
    }
    if (expiresAt !== undefined && Number.isNaN(Date.parse(expiresAt))) {
      problems.push(new CnmcpError('AUTH_INVALID_EXPIRY', `API key ${JSON.stringify(id)}: expiresAt is not an RFC 3339 date-time (e.g. 2026-12-31T23:59:59Z)`));
    }
  });
  return problems;
}

/** Throws every problem at once (one CnmcpError, or an aggregate naming each key). */
export function assertApiKeyConfig(keys: readonly ResolvedApiKey[]): void {
  const problems = apiKeyConfigProblems(keys);
  if (problems.length === 1) throw problems[0]!;
  if (problems.length > 1) throw new CnmcpAggregateError('AUTH_INVALID_KEYS', `${problems.length} problems with the configured API keys:`, problems);
}
