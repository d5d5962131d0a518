import { CnmcpAggregateError, CnmcpError, definePlugin, type SecretReader } from '@cnmcp/core/plugin';
import { createApiKeyStrategy } from './apikey-strategy.js';
import { apiKeyConfigProblems } from './check-keys.js';
import { configSchema, DEFAULT_HEADER, type ApiKeyConfig } from './config-schema.js';
import { acceptableOlder, readKeys } from './stored-keys.js';

/**
 * API key authentication: `X-API-Key: <key>` or `Authorization: ApiKey <key>`.
 *
 * @example
 * auth:
 *   - use: apikey
 *     keys:
 *       - { id: ops, key: "${env:OPS_KEY}", roles: [admin], expiresAt: "2026-12-31T23:59:59Z" }
 *       - { id: ci, secret: ci-key, roles: [viewer] }   # from the secrets store, rotated live
 */
export default definePlugin({
  kind: 'auth',
  name: 'apikey',
  description: 'API keys from a header or `Authorization: ApiKey`, held as digests and compared in constant time.',
  configSchema,
  async check({ config, secrets }) {
    await checkedKeys(config, secrets);
  },
  async setup({ config, logger, secrets, onStop }) {
    const { current, older, header } = await checkedKeys(config, secrets);
    const allowQueryParam = config.allowQueryParam === true;
    if (allowQueryParam) {
      logger.warn('API keys are accepted in the query string (allowQueryParam: true): URLs end up in proxy, browser and access logs; prefer the header', {
        header,
      });
    }
    const now = Date.now();
    for (const { id, expiresAt } of current) {
      if (expiresAt !== undefined && Date.parse(expiresAt) <= now) logger.warn('API key has expired and will be refused', { keyId: id, expiresAt });
    }
    const strategy = createApiKeyStrategy([...current, ...acceptableOlder(older)], { header, allowQueryParam });
    const stored = new Set(config.keys.flatMap((k) => (k.secret !== undefined ? [k.secret] : [])));
    if (stored.size > 0 && secrets.watch) {
      // A rotation (here, by the CLI or by another replica) swaps the key set; until the new set is read, the old one holds.
      const stop = secrets.watch((name) => {
        if (!stored.has(name)) return;
        readKeys(config.keys, secrets).then(
          (next) => {
            const problems = apiKeyConfigProblems(next.current);
            if (problems.length > 0) {
              logger.error('a rotated API key was refused; the previous keys stay in use', { entry: name, problems: problems.map((p) => p.message) });
              return;
            }
            strategy.replaceKeys([...next.current, ...acceptableOlder(next.older)]);
            logger.info('API keys reloaded from the secrets store', { entry: name });
          },
          (error: unknown) => logger.error('API keys could not be reloaded; the previous keys stay in use', { entry: name, error: (error as Error).message }),
        );
      });
      onStop(async () => stop());
    }
    return strategy;
  },
});

/** The keys and header once every rule holds: one throw listing each broken rule. */
async function checkedKeys(config: ApiKeyConfig, secrets: SecretReader) {
  const { current, older } = await readKeys(config.keys, secrets);
  const problems = apiKeyConfigProblems(current);
  const header = (config.header ?? DEFAULT_HEADER).toLowerCase();
  if (header === 'authorization') {
    problems.push(
      new CnmcpError('CONFIG_INVALID_VALUE', 'header: `Authorization: ApiKey <key>` is always read; name a different header (default x-api-key)', {
        path: '/header',
      }),
    );
  }
  if (problems.length === 1) throw problems[0]!;
  if (problems.length > 1) throw new CnmcpAggregateError('AUTH_INVALID_KEYS', `${problems.length} problems with the API key options:`, problems);
  return { current, older, header };
}
