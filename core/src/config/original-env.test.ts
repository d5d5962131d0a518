import { describe, expect, it } from 'vitest';
import { fromOriginalEnv } from './original-env.js';

const on = { MCP_AUTH_ENABLED: '1' };

describe('the original server MCP_* variables', () => {
  it('add nothing unless a family is enabled', () => {
    expect(fromOriginalEnv({}, {})).toEqual({ sections: {}, problems: [] });
    expect(fromOriginalEnv({}, { MCP_AUTH_ENABLED: 'no', MCP_RATELIMIT_ENABLED: 'false', MCP_AUDIT_ENABLED: '0' })).toEqual({ sections: {}, problems: [] });
  });

  it.each(['1', 'true', 'YES', 'On'])('map apikey mode (MCP_AUTH_ENABLED=%s) to an env reference, never the value', (enabled) => {
    expect(fromOriginalEnv({}, { MCP_AUTH_ENABLED: enabled, MCP_AUTH_API_KEY: 'Abc123!@#Xyz789!@#' }).sections).toEqual({
      auth: [{ use: 'apikey', keys: [{ id: 'env-api-key', key: '${env:MCP_AUTH_API_KEY}', roles: ['admin'] }] }],
      authorization: { use: 'allow-all' },
    });
  });

  it('mean allow-all (the original server had no authorization) only when the config chooses no authorizer', () => {
    expect(fromOriginalEnv({ authorization: { use: 'rbac', roles: {} } }, on).sections).toEqual({ auth: [expect.objectContaining({ use: 'apikey' })] });
  });

  it('refuse MCP_AUTH_ENABLED beside an auth: section rather than pick one silently', () => {
    expect(fromOriginalEnv({ auth: [] }, on).problems.map((p) => [p.code, p.path])).toEqual([['CONFIG_ENV_CONFLICT', '/auth']]);
  });

  it('map basic, bearer with a shared secret and OIDC (issuer, discovery URL, audience or client id, JWKS cache)', () => {
    const auth = (env: NodeJS.ProcessEnv) => (fromOriginalEnv({}, { ...on, ...env }).sections.auth as unknown[] | undefined)?.[0];
    expect(auth({ MCP_AUTH_MODE: 'basic' })).toMatchObject({
      use: 'basic',
      users: [{ username: '${env:MCP_AUTH_USERNAME}', password: '${env:MCP_AUTH_PASSWORD}' }],
    });
    expect(auth({ MCP_AUTH_MODE: 'bearer', MCP_AUTH_JWT_SECRET: 'x', MCP_AUTH_JWT_ALGORITHM: 'HS512' })).toEqual({
      use: 'bearer',
      secret: '${env:MCP_AUTH_JWT_SECRET}',
      algorithms: ['HS512'],
    });
    expect(
      auth({ MCP_AUTH_MODE: 'BEARER', MCP_AUTH_OIDC_ISSUER_URL: 'https://idp/', MCP_AUTH_OIDC_AUDIENCE: 'mcp', MCP_AUTH_OIDC_JWKS_CACHE_TTL: '600' }),
    ).toEqual({
      use: 'bearer',
      issuer: 'https://idp',
      audience: '${env:MCP_AUTH_OIDC_AUDIENCE}',
      jwksCacheMaxAgeSeconds: 600,
    });
    expect(
      auth({ MCP_AUTH_MODE: 'bearer', MCP_AUTH_OIDC_DISCOVERY_URL: 'https://idp/realms/ops/.well-known/openid-configuration', MCP_AUTH_OIDC_CLIENT_ID: 'cli' }),
    ).toEqual({
      use: 'bearer',
      issuer: 'https://idp/realms/ops',
      audience: '${env:MCP_AUTH_OIDC_CLIENT_ID}',
    });
    expect(auth({ MCP_AUTH_MODE: 'bearer', MCP_AUTH_OIDC_ISSUER: 'https://idp/realms/ops' })).toMatchObject({ issuer: 'https://idp/realms/ops' });
  });

  it('refuse a fixed bearer token, an unknown mode, disagreeing issuers and the OIDC HTTP timeout, naming what to use', () => {
    const problems = (env: NodeJS.ProcessEnv) => fromOriginalEnv({}, { ...on, ...env }).problems.map((p) => p.message);
    expect(problems({ MCP_AUTH_MODE: 'bearer', MCP_AUTH_BEARER_TOKEN: 't' })[0]).toContain('needs MCP_AUTH_JWT_SECRET');
    expect(problems({ MCP_AUTH_MODE: 'magic' })[0]).toContain('MCP_AUTH_MODE must be apikey, bearer or basic');
    expect(problems({ MCP_AUTH_MODE: 'bearer', MCP_AUTH_OIDC_ISSUER_URL: 'https://a', MCP_AUTH_OIDC_ISSUER: 'https://b' })[0]).toContain(
      'name different issuers',
    );
    expect(problems({ MCP_AUTH_MODE: 'bearer', MCP_AUTH_OIDC_ISSUER_URL: 'https://a', MCP_AUTH_OIDC_HTTP_TIMEOUT: '10' })[0]).toContain(
      'bounds every discovery and JWKS fetch',
    );
  });

  it('map the token bucket (either spelling) onto a per-address limit with a burst, in memory', () => {
    expect(fromOriginalEnv({}, { MCP_RATE_LIMIT_ENABLED: 'true', MCP_RATE_LIMIT_REQUESTS_PER_SECOND: '5', MCP_RATE_LIMIT_BURST: '15' }).sections).toEqual({
      limits: { perIp: { points: 5, durationSeconds: 1, burst: { points: 15, durationSeconds: 3 } } },
      rateLimit: { use: 'memory' },
    });
    expect(fromOriginalEnv({ rateLimit: { use: 'redis', url: 'redis://r' } }, { MCP_RATELIMIT_ENABLED: '1' }).sections).toEqual({
      limits: { perIp: { points: 10, durationSeconds: 1, burst: { points: 20, durationSeconds: 2 } } },
    });
    expect(fromOriginalEnv({ limits: {} }, { MCP_RATELIMIT_ENABLED: '1' }).problems[0]?.code).toBe('CONFIG_ENV_CONFLICT');
    expect(fromOriginalEnv({}, { MCP_RATELIMIT_ENABLED: '1', MCP_RATELIMIT_REQUESTS_PER_SECOND: 'fast' }).problems[0]?.path).toBe('/limits/perIp/points');
  });

  it('map audit storage onto the file and postgres sinks with their options, and masking fields onto sensitiveKeys', () => {
    expect(
      fromOriginalEnv(
        { auditing: { sensitiveKeys: ['pin'] } },
        {
          MCP_AUDIT_ENABLED: 'true',
          MCP_AUDIT_STORAGE: 'all',
          MCP_AUDIT_FORMAT: 'json',
          MCP_AUDIT_FILE_PATH: '/var/log/audit.log',
          MCP_AUDIT_FILE_MAX_SIZE: '10',
          MCP_AUDIT_FILE_MAX_AGE_DAYS: '30',
          MCP_AUDIT_FILE_COMPRESS: 'false',
          MCP_AUDIT_DB_TYPE: 'postgres',
          MCP_AUDIT_DB_CONNECTION_STRING: 'postgres://u:p@db/audit',
          MCP_AUDIT_DB_TABLE_NAME: 'mcp_audit',
          MCP_AUDIT_MASKING_ENABLED: 'true',
          MCP_AUDIT_MASKING_FIELDS: 'password, x.token',
        },
      ),
    ).toEqual({
      sections: {
        audit: [
          { use: 'file', path: '${env:MCP_AUDIT_FILE_PATH}', maxSizeBytes: 10 * 1024 * 1024, retentionDays: 30, gzip: false },
          { use: 'postgres', url: '${env:MCP_AUDIT_DB_CONNECTION_STRING}', table: 'mcp_audit' },
        ],
        auditing: { sensitiveKeys: ['pin', '^password$', '^x\\.token$'] },
      },
      problems: [],
    });
  });

  it('refuse every audit variable cnmcp has no counterpart for, each naming what to use instead', () => {
    const { problems, sections } = fromOriginalEnv(
      {},
      {
        MCP_AUDIT_ENABLED: '1',
        MCP_AUDIT_STORAGE: 'database',
        MCP_AUDIT_DB_TYPE: 'sqlite',
        MCP_AUDIT_DB_SQLITE_PATH: '/x.db',
        MCP_AUDIT_SAMPLING_RATE: '0.5',
        MCP_AUDIT_MASKING_ENABLED: 'false',
        MCP_AUDIT_FORMAT: 'text',
      },
    );
    expect(sections).toEqual({});
    expect(problems.map((p) => p.message)).toEqual([
      expect.stringMatching(/^MCP_AUDIT_DB_SQLITE_PATH .*no SQLite sink/),
      expect.stringMatching(/^MCP_AUDIT_SAMPLING_RATE .*never samples/),
      expect.stringMatching(/^MCP_AUDIT_FORMAT=text .*JSON lines/),
      expect.stringMatching(/^MCP_AUDIT_MASKING_ENABLED=false .*always redacts/),
      expect.stringMatching(/^MCP_AUDIT_DB_TYPE=sqlite .*PostgreSQL/),
    ]);
    expect(fromOriginalEnv({}, { MCP_AUDIT_ENABLED: '1' }).problems[0]?.message).toMatch(/MCP_AUDIT_STORAGE=memory .*keeps no audit trail in memory/);
  });
});
