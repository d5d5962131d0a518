import { CnmcpError } from '../plugin/errors.js';

const TRUE = /^(1|true|yes|on)$/i;

/**
 * Compatibility with the original server's environment variables (MCP_AUTH_*): when the config sets no `auth:`
 * and MCP_AUTH_ENABLED is true-ish, they select the equivalent strategy. Values stay `${env:}` references, so they
 * are masked in `config print` and missing ones are reported like any other unset variable.
 *
 * The original server had no authorization (any valid credential could call every tool), so with no
 * `authorization:` in the config this mode means `authorization: { use: allow-all }`, shown by `config print`.
 */
export function authFromEnv(config: Record<string, unknown>, env: NodeJS.ProcessEnv): EnvAuth {
  const chosen = authStrategyFromEnv(config, env);
  if (!chosen.auth || config.authorization !== undefined) return chosen;
  return { ...chosen, authorization: { use: 'allow-all' } };
}

export interface EnvAuth {
  readonly auth?: Record<string, unknown>[];
  readonly authorization?: Record<string, unknown>;
  readonly problem?: CnmcpError;
}

function authStrategyFromEnv(config: Record<string, unknown>, env: NodeJS.ProcessEnv): EnvAuth {
  if (config.auth !== undefined || !TRUE.test(env.MCP_AUTH_ENABLED ?? '')) return {};
  const mode = (env.MCP_AUTH_MODE ?? 'apikey').toLowerCase();
  const admin = ['admin'];
  if (mode === 'apikey') return { auth: [{ use: 'apikey', keys: [{ id: 'env-api-key', key: '${env:MCP_AUTH_API_KEY}', roles: admin }] }] };
  if (mode === 'basic')
    return { auth: [{ use: 'basic', users: [{ username: '${env:MCP_AUTH_USERNAME}', password: '${env:MCP_AUTH_PASSWORD}', roles: admin }] }] };
  if (mode === 'bearer') {
    if (env.MCP_AUTH_OIDC_ISSUER_URL) {
      return {
        auth: [
          { use: 'bearer', issuer: '${env:MCP_AUTH_OIDC_ISSUER_URL}', ...(env.MCP_AUTH_OIDC_AUDIENCE ? { audience: '${env:MCP_AUTH_OIDC_AUDIENCE}' } : {}) },
        ],
      };
    }
    if (env.MCP_AUTH_JWT_SECRET) {
      return {
        auth: [
          {
            use: 'bearer',
            secret: '${env:MCP_AUTH_JWT_SECRET}',
            algorithms: [env.MCP_AUTH_JWT_ALGORITHM ?? 'HS256'],
            ...(env.MCP_AUTH_OIDC_AUDIENCE ? { audience: '${env:MCP_AUTH_OIDC_AUDIENCE}' } : {}),
          },
        ],
      };
    }
    // A fixed bearer string would authenticate anyone who saw it once, forever: cnmcp verifies tokens instead.
    return {
      problem: new CnmcpError(
        'CONFIG_INVALID_VALUE',
        'MCP_AUTH_MODE=bearer needs MCP_AUTH_JWT_SECRET (HS256/384/512) or MCP_AUTH_OIDC_ISSUER_URL: cnmcp verifies JWTs and does not accept a fixed MCP_AUTH_BEARER_TOKEN; use MCP_AUTH_MODE=apikey for a static key',
        { path: '/auth' },
      ),
    };
  }
  return {
    problem: new CnmcpError('CONFIG_INVALID_VALUE', `MCP_AUTH_MODE must be apikey, bearer or basic, got ${JSON.stringify(env.MCP_AUTH_MODE)}`, {
      path: '/auth',
    }),
  };
}
