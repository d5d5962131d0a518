import { createHash, timingSafeEqual } from 'node:crypto';
import type { AuthStrategy } from '@cnmcp/core/plugin';
import type { MyPluginConfig } from './config-schema.js';

const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();

/**
 * The example strategy: a static token in one request header. Tokens are compared as SHA-256 digests through
 * `timingSafeEqual`, against every entry with no early exit, so timing reveals neither the token nor which one matched.
 */
export function createTokenStrategy(config: MyPluginConfig): AuthStrategy {
  const header = config.header.toLowerCase();
  const known = config.tokens.map((t) => ({ id: t.id, roles: [...(t.roles ?? [])], digest: digest(t.token) }));
  return {
    scheme: 'MyPlugin',
    async authenticate(request) {
      const value = request.headers[header];
      // No credential of this scheme: let the next strategy (or the 401) decide.
      if (value === undefined || value === '') return { kind: 'none' };
      // Two copies of the header are ambiguous: refuse rather than guess which one counts.
      if (Array.isArray(value)) return { kind: 'fail', reason: `several ${header} headers` };
      const presented = digest(value);
      let match: (typeof known)[number] | undefined;
      for (const entry of known) if (timingSafeEqual(entry.digest, presented) && !match) match = entry;
      // `reason` goes to audit and logs, never to the client; it never contains the token.
      if (!match) return { kind: 'fail', reason: 'unknown token' };
      return { kind: 'ok', identity: { id: match.id, authMethod: 'my-plugin', roles: match.roles } };
    },
    challenge: () => `header="${header}"`,
  };
}
