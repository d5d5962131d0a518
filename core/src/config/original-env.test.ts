import { describe, expect, it } from 'vitest';
import { authFromEnv } from './auth-from-env.js';

describe('MCP_AUTH_* compatibility', () => {
  it('does nothing unless MCP_AUTH_ENABLED is true-ish and the config sets no auth', () => {
    expect(authFromEnv({}, {})).toEqual({});
    expect(authFromEnv({}, { MCP_AUTH_ENABLED: 'no' })).toEqual({});
    expect(authFromEnv({ auth: [] }, { MCP_AUTH_ENABLED: 'true' })).toEqual({});
  });

  it.each(['1', 'true', 'YES', 'On'])('maps apikey mode (MCP_AUTH_ENABLED=%s) to an env reference, never the value', (enabled) => {
    expect(authFromEnv({}, { MCP_AUTH_ENABLED: enabled, MCP_AUTH_API_KEY: 'Abc123!@#Xyz789!@#' })).toEqual({
      auth: [{ use: 'apikey', keys: [{ id: 'env-api-key', key: '${env:MCP_AUTH_API_KEY}', roles: ['admin'] }] }],
      authorization: { use: 'allow-all' },
    });
  });

  it('means allow-all (the original server had no authorization) only when the config chooses no authorizer', () => {
    const env = { MCP_AUTH_ENABLED: '1', MCP_AUTH_API_KEY: 'Abc123!@#Xyz789!@#' };
    expect(authFromEnv({}, env).authorization).toEqual({ use: 'allow-all' });
    expect(authFromEnv({ authorization: { use: 'rbac', roles: {} } }, env).authorization).toBeUndefined();
    expect(authFromEnv({}, { MCP_AUTH_ENABLED: '1', MCP_AUTH_MODE: 'magic' }).authorization).toBeUndefined();
  });

  it('maps basic and both bearer variants', () => {
    expect(authFromEnv({}, { MCP_AUTH_ENABLED: '1', MCP_AUTH_MODE: 'basic' }).auth?.[0]).toMatchObject({
      use: 'basic',
      users: [{ username: '${env:MCP_AUTH_USERNAME}' }],
    });
    expect(authFromEnv({}, { MCP_AUTH_ENABLED: '1', MCP_AUTH_MODE: 'bearer', MCP_AUTH_JWT_SECRET: 'x', MCP_AUTH_JWT_ALGORITHM: 'HS512' }).auth?.[0]).toEqual({
      use: 'bearer',
      secret: '${env:MCP_AUTH_JWT_SECRET}',
      algorithms: ['HS512'],
    });
    expect(
      authFromEnv({}, { MCP_AUTH_ENABLED: '1', MCP_AUTH_MODE: 'BEARER', MCP_AUTH_OIDC_ISSUER_URL: 'https://idp', MCP_AUTH_OIDC_AUDIENCE: 'mcp' }).auth?.[0],
    ).toEqual({
      use: 'bearer',
      issuer: '${env:MCP_AUTH_OIDC_ISSUER_URL}',
      audience: '${env:MCP_AUTH_OIDC_AUDIENCE}',
    });
  });

  it('refuses a fixed bearer token and an unknown mode with a clear problem', () => {
    expect(authFromEnv({}, { MCP_AUTH_ENABLED: '1', MCP_AUTH_MODE: 'bearer', MCP_AUTH_BEARER_TOKEN: 't' }).problem?.message).toContain(
      'needs MCP_AUTH_JWT_SECRET',
    );
    expect(authFromEnv({}, { MCP_AUTH_ENABLED: '1', MCP_AUTH_MODE: 'magic' }).problem?.path).toBe('/auth');
  });
});
