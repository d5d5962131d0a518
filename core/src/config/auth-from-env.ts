import { CnmcpError } from '../plugin/errors.js';
import { refused, TRUE, type EnvSections } from './env-variables.js';

const WELL_KNOWN = '/.well-known/openid-configuration';

/**
 * The original server's MCP_AUTH_* variables: with MCP_AUTH_ENABLED true-ish they select the equivalent strategy
 * (the config must then have no `auth:`). The original server had no authorization (any valid credential could
 * call every tool), so with no `authorization:` in the config this means `authorization: { use: allow-all }`.
 */
export function authFromEnv(config: Record<string, unknown>, env: NodeJS.ProcessEnv): EnvSections {
  if (!TRUE.test(env.MCP_AUTH_ENABLED ?? '')) return { sections: {}, problems: [] };
  if (config.auth !== undefined) {
    return {
      sections: {},
      problems: [new CnmcpError('CONFIG_ENV_CONFLICT', 'MCP_AUTH_ENABLED is set and the config has an `auth:` section: keep one of them', { path: '/auth' })],
    };
  }
  const chosen = strategy(env);
  if (!chosen.strategy) return { sections: {}, problems: chosen.problems };
  const sections: Record<string, unknown> = { auth: [chosen.strategy] };
  if (config.authorization === undefined) sections.authorization = { use: 'allow-all' };
  return { sections, problems: chosen.problems };
}

/** The strategy when one can be built, beside what was refused (at startup any problem stops the server). */
type Chosen = { strategy?: Record<string, unknown>; problems: CnmcpError[] };

function strategy(env: NodeJS.ProcessEnv): Chosen {
  const mode = (env.MCP_AUTH_MODE || 'apikey').toLowerCase();
  const admin = ['admin'];
  if (mode === 'apikey') return { strategy: { use: 'apikey', keys: [{ id: 'env-api-key', key: '${env:MCP_AUTH_API_KEY}', roles: admin }] }, problems: [] };
  if (mode === 'basic')
    return { strategy: { use: 'basic', users: [{ username: '${env:MCP_AUTH_USERNAME}', password: '${env:MCP_AUTH_PASSWORD}', roles: admin }] }, problems: [] };
  if (mode !== 'bearer') {
    return {
      problems: [
        new CnmcpError('CONFIG_INVALID_VALUE', `MCP_AUTH_MODE must be apikey, bearer or basic, got ${JSON.stringify(env.MCP_AUTH_MODE)}`, { path: '/auth' }),
      ],
    };
  }
  const problems: CnmcpError[] = [];
  // The audience a token must carry; the original fell back to the client id, as OIDC ID tokens do.
  const audience = env.MCP_AUTH_OIDC_AUDIENCE ? '${env:MCP_AUTH_OIDC_AUDIENCE}' : env.MCP_AUTH_OIDC_CLIENT_ID ? '${env:MCP_AUTH_OIDC_CLIENT_ID}' : undefined;
  if (env.MCP_AUTH_OIDC_HTTP_TIMEOUT) {
    problems.push(refused('MCP_AUTH_OIDC_HTTP_TIMEOUT', 'cnmcp bounds every discovery and JWKS fetch at 5 s; unset it', '/auth/0'));
  }
  const issuer = oidcIssuer(env, problems);
  if (issuer !== undefined) {
    const strategy: Record<string, unknown> = { use: 'bearer', issuer, ...(audience ? { audience } : {}) };
    if (env.MCP_AUTH_OIDC_JWKS_CACHE_TTL) {
      const seconds = Number(env.MCP_AUTH_OIDC_JWKS_CACHE_TTL);
      if (Number.isInteger(seconds) && seconds > 0) strategy.jwksCacheMaxAgeSeconds = seconds;
      else
        problems.push(
          new CnmcpError('CONFIG_INVALID_VALUE', 'MCP_AUTH_OIDC_JWKS_CACHE_TTL must be a whole number of seconds', { path: '/auth/0/jwksCacheMaxAgeSeconds' }),
        );
    }
    return { strategy, problems };
  }
  if (env.MCP_AUTH_JWT_SECRET) {
    return {
      strategy: { use: 'bearer', secret: '${env:MCP_AUTH_JWT_SECRET}', algorithms: [env.MCP_AUTH_JWT_ALGORITHM || 'HS256'], ...(audience ? { audience } : {}) },
      problems,
    };
  }
  // A fixed bearer string would authenticate anyone who saw it once, forever: cnmcp verifies tokens instead.
  problems.push(
    new CnmcpError(
      'CONFIG_INVALID_VALUE',
      'MCP_AUTH_MODE=bearer needs MCP_AUTH_JWT_SECRET (HS256/384/512) or MCP_AUTH_OIDC_ISSUER_URL: cnmcp verifies JWTs and does not accept a fixed MCP_AUTH_BEARER_TOKEN; use MCP_AUTH_MODE=apikey for a static key',
      { path: '/auth' },
    ),
  );
  return { problems };
}

/** One issuer from MCP_AUTH_OIDC_ISSUER_URL, MCP_AUTH_OIDC_ISSUER or MCP_AUTH_OIDC_DISCOVERY_URL, which must agree. */
function oidcIssuer(env: NodeJS.ProcessEnv, problems: CnmcpError[]): string | undefined {
  const discovery = env.MCP_AUTH_OIDC_DISCOVERY_URL;
  if (discovery && !discovery.replace(/\/+$/, '').endsWith(WELL_KNOWN)) {
    problems.push(
      refused(
        'MCP_AUTH_OIDC_DISCOVERY_URL',
        `cnmcp discovers from the issuer: set MCP_AUTH_OIDC_ISSUER_URL (or auth[].issuer), or auth[].jwksUri for a JWKS without discovery`,
        '/auth/0/issuer',
      ),
    );
    return undefined;
  }
  const candidates = [env.MCP_AUTH_OIDC_ISSUER_URL, env.MCP_AUTH_OIDC_ISSUER, discovery?.replace(/\/+$/, '').slice(0, -WELL_KNOWN.length)]
    .filter((v): v is string => Boolean(v))
    .map((v) => v.replace(/\/+$/, ''));
  if (new Set(candidates).size > 1) {
    problems.push(
      new CnmcpError(
        'CONFIG_INVALID_VALUE',
        'MCP_AUTH_OIDC_ISSUER_URL, MCP_AUTH_OIDC_ISSUER and MCP_AUTH_OIDC_DISCOVERY_URL name different issuers: cnmcp takes one (auth[].issuer)',
        {
          path: '/auth/0/issuer',
        },
      ),
    );
    return undefined;
  }
  return candidates[0];
}
