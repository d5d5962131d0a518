import { definePlugin } from '@cnmcp/core/plugin';
import { configSchema, resolveBearerSettings, type BearerSettings } from './config-schema.js';

/**
 * Verified JWT bearer tokens, and with `resource` an OAuth 2.1 resource server (RFC 9728 metadata, RFC 8707 audience).
 *
 * @example
 * auth:
 *   - use: bearer
 *     issuer: https://idp.example.com/realms/ops
 *     resource: https://mcp.example.com/mcp
 *     rolesClaim: realm_access.roles
 */
export default definePlugin({
  kind: 'auth',
  name: 'bearer',
  description:
    'Verified JWT bearer tokens (`Authorization: Bearer ...`): HS with a shared secret, or RS/PS/ES/EdDSA from a JWKS or OpenID Connect discovery; with `resource`, an OAuth 2.1 resource server.',
  configSchema,
  async check({ config }) {
    resolveBearerSettings(config);
  },
  async setup(ctx) {
    // jose loads only when bearer auth is chosen: an API-key server starts without it.
    const [{ createBearerStrategy }, { createVerificationKey }] = await Promise.all([import('./bearer-strategy.js'), import('./key-source.js')]);
    const settings = resolveBearerSettings(ctx.config);
    for (const where of plainHttpKeyUrls(settings)) {
      ctx.logger.warn('bearer keys are fetched over plain http from a non-loopback host: anyone on the path can forge tokens; use https', { url: where });
    }
    return createBearerStrategy(settings, createVerificationKey(settings.keys, ctx.signal, ctx.secrets), ctx.logger);
  },
});

function plainHttpKeyUrls(settings: BearerSettings): string[] {
  const keys = settings.keys;
  const url = keys.kind === 'jwks' ? keys.jwksUri : keys.kind === 'discovery' ? new URL(keys.issuer) : undefined;
  return url && url.protocol === 'http:' && !isLoopbackHost(url.hostname) ? [url.origin] : [];
}

const isLoopbackHost = (host: string) => host === 'localhost' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
