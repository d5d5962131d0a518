import type { AuthStrategy, Identity } from '@cnmcp/core/plugin';
import type { ResolvedApiKey } from './config-schema.js';
import { createKeyMatcher } from './key-matcher.js';
import { readApiKey } from './read-api-key.js';

export interface ApiKeyStrategyOptions {
  /** Lowercase header name. */
  readonly header: string;
  readonly allowQueryParam: boolean;
  readonly now?: () => number;
}

interface KeyHolder {
  readonly identity: Identity;
  readonly expiresAtMs: number | undefined;
}

/**
 * The `ApiKey` scheme over keys already checked by `assertApiKeyConfig`. Fail reasons go to the audit log only and
 * never contain the presented value.
 */
export function createApiKeyStrategy(
  keys: readonly ResolvedApiKey[],
  options: ApiKeyStrategyOptions,
): AuthStrategy & { replaceKeys(keys: readonly ResolvedApiKey[]): void } {
  const now = options.now ?? Date.now;
  const matcherOf = (entries: readonly ResolvedApiKey[]) =>
    createKeyMatcher<KeyHolder>(
      entries.map(({ id, key, roles, expiresAt }) => ({
        key,
        value: {
          identity: Object.freeze({ id, authMethod: 'apikey', roles: Object.freeze([...roles]) }),
          expiresAtMs: expiresAt === undefined ? undefined : Date.parse(expiresAt),
        },
      })),
    );
  let match = matcherOf(keys);
  return {
    /** Swaps the whole key set at once (after a rotation): a request sees the old set or the new, never a mix. */
    replaceKeys(next) {
      match = matcherOf(next);
    },
    scheme: 'ApiKey',
    async authenticate(request) {
      const presented = readApiKey(request, options);
      if (presented.kind === 'absent') return { kind: 'none' };
      if (presented.kind === 'ambiguous') return { kind: 'fail', reason: 'more than one API key presented' };
      if (presented.key === '') return { kind: 'fail', reason: 'empty key' };
      const holder = match(presented.key);
      if (holder === undefined) return { kind: 'fail', reason: 'unknown key' };
      if (holder.expiresAtMs !== undefined && now() >= holder.expiresAtMs) return { kind: 'fail', reason: 'expired key', subject: holder.identity.id };
      return { kind: 'ok', identity: holder.identity };
    },
  };
}
