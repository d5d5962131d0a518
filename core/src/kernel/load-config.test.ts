import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { definePlugin } from '../plugin/define-plugin.js';
import { CnmcpAggregateError } from '../plugin/errors.js';
import { loadConfig } from './load-config.js';

const pack = definePlugin({
  kind: 'tool-pack',
  name: 'sample',
  configSchema: {
    type: 'object',
    properties: { greeting: { type: 'string', default: 'hi' }, limit: { type: 'integer', minimum: 1 } },
    additionalProperties: false,
  },
  async setup() {
    return { tools: [] };
  },
});

const load = (config: Record<string, unknown>, env: NodeJS.ProcessEnv = {}) => loadConfig({ config, baseDir: tmpdir() }, { plugins: [pack], env });

async function problemsOf(config: Record<string, unknown>, env: NodeJS.ProcessEnv = {}) {
  const error = await load(config, env).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CnmcpAggregateError);
  return (error as CnmcpAggregateError).problems.map((p) => ({ path: p.path, code: p.code, message: p.message }));
}

const openAuthorizer = definePlugin({
  kind: 'authorizer',
  name: 'open',
  configSchema: { type: 'object' },
  setup: async () => ({ authorize: () => ({ allow: true as const }), visibleTools: (_identity, tools) => tools }),
});

/** Stand-ins named like the built-in strategies: the cross-checks go by `use`, nothing here is set up. */
const strategyNamed = (name: string) =>
  definePlugin({
    kind: 'auth',
    name,
    configSchema: { type: 'object' },
    setup: async () => ({ scheme: name, authenticate: async () => ({ kind: 'none' as const }) }),
  });
const memoryStore = definePlugin({
  kind: 'rate-limit-store',
  name: 'memory',
  configSchema: { type: 'object' },
  setup: () => Promise.reject(new Error('unused')),
});
const tls = definePlugin({ kind: 'tls', name: 'file', configSchema: { type: 'object' }, setup: () => Promise.reject(new Error('unused')) });
const withStrategies = (config: Record<string, unknown>) =>
  loadConfig(
    { config, baseDir: tmpdir() },
    { plugins: [pack, openAuthorizer, memoryStore, tls, ...['basic', 'apikey', 'bearer'].map(strategyNamed)], env: {} },
  ).then(
    () => [],
    (e: unknown) => (e as CnmcpAggregateError).problems.map((p) => ({ path: p.path, code: p.code, message: p.message })),
  );

describe('loadConfig', () => {
  it('fills defaults for the core sections and for plugin options', async () => {
    const loaded = await load({ toolPacks: [{ use: 'sample' }] });
    expect(loaded.config.server.listen).toBe('127.0.0.1:8080');
    expect(loaded.config.server.toolTimeoutMs).toBe(30_000);
    expect(loaded.config.server.maxBodyBytes).toBe(1_048_576);
    expect(loaded.config.toolPacks?.[0]).toEqual({ use: 'sample', greeting: 'hi' });
    expect(loaded.plugins.map((p) => `${p.plugin.kind}/${p.plugin.name}@${p.path}`)).toEqual(['tool-pack/sample@/toolPacks/0']);
  });

  it('reports every problem at once, each with its JSON path', async () => {
    const problems = await problemsOf(
      {
        server: { listen: 8080, colour: 'blue' },
        toolPacks: [{ use: 'sample', greting: 'typo', limit: 'ten' }],
        surprise: true,
      },
      {},
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: '/server/listen', code: 'CONFIG_WRONG_TYPE' }),
        expect.objectContaining({ path: '/server/colour', code: 'CONFIG_UNKNOWN_KEY' }),
        expect.objectContaining({ path: '/toolPacks/0/greting', code: 'CONFIG_UNKNOWN_KEY' }),
        expect.objectContaining({ path: '/toolPacks/0/limit', code: 'CONFIG_WRONG_TYPE' }),
        expect.objectContaining({ path: '/surprise', code: 'CONFIG_UNKNOWN_KEY' }),
      ]),
    );
    expect(problems.find((p) => p.path === '/toolPacks/0/greting')?.message).toContain('allowed keys here: use, greeting, limit');
  });

  it('names an unset ${env:} variable and its key, never using the literal text', async () => {
    const problems = await problemsOf({ server: { name: '${env:CNMCP_TEST_UNSET}' } });
    expect(problems).toEqual([expect.objectContaining({ path: '/server/name', code: 'CONFIG_ENV_UNSET' })]);
    expect(problems[0]?.message).toContain('CNMCP_TEST_UNSET');
  });

  it('resolves ${env:} and ${file:} and remembers where references were', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cnmcp-config-'));
    writeFileSync(join(dir, 'name.txt'), 'from-a-file-value\n');
    const loaded = await loadConfig(
      { config: { server: { name: '${file:./name.txt}' }, toolPacks: [{ use: 'sample', greeting: 'hello ${env:WHO}' }] }, baseDir: dir },
      { plugins: [pack], env: { WHO: 'operator' } },
    );
    expect(loaded.config.server.name).toBe('from-a-file-value');
    expect(loaded.config.toolPacks?.[0]?.greeting).toBe('hello operator');
    expect([...loaded.referencePaths].sort()).toEqual(['/server/name', '/toolPacks/0/greeting']);
    expect(loaded.resolvedValues.has('from-a-file-value')).toBe(true);
  });

  it('uses ${env:NAME:-fallback} when the variable is unset', async () => {
    const loaded = await load({ server: { name: '${env:NOPE:-fallback}' } });
    expect(loaded.config.server.name).toBe('fallback');
  });

  it('refuses an unknown plugin with the path of its use key', async () => {
    const problems = await problemsOf({ toolPacks: [{ use: 'no-such-pack-anywhere' }] });
    expect(problems).toEqual([expect.objectContaining({ path: '/toolPacks/0/use', code: 'PLUGIN_NOT_FOUND' })]);
  });

  it('refuses to bind a public address with no auth unless allowUnauthenticated is set', async () => {
    const problems = await problemsOf({ server: { listen: '0.0.0.0:8080' } });
    expect(problems).toEqual([expect.objectContaining({ path: '/server/listen', code: 'UNAUTHENTICATED_PUBLIC_BIND' })]);
    const loaded = await load({ server: { listen: '0.0.0.0:8080', allowUnauthenticated: true } });
    expect(loaded.config.server.allowUnauthenticated).toBe(true);
  });

  it('refuses auth with no authorization section, naming both ways to choose', async () => {
    const problems = await withStrategies({ auth: [{ use: 'bearer' }] });
    expect(problems).toEqual([expect.objectContaining({ path: '/authorization', code: 'AUTHORIZATION_NOT_CHOSEN' })]);
    expect(problems[0]!.message).toContain('authorization: { use: rbac');
    expect(problems[0]!.message).toContain('authorization: { use: allow-all }');
    expect(await withStrategies({ auth: [{ use: 'bearer' }], authorization: { use: 'open' } })).toEqual([]);
    expect(await withStrategies({})).toEqual([]); // no auth: anonymous on loopback, as before
  });

  it('refuses passwords and API keys over plain HTTP on a public bind unless TLS is on or ends upstream', async () => {
    const config = {
      server: { listen: '0.0.0.0:8080' },
      auth: [{ use: 'bearer' }, { use: 'basic' }, { use: 'apikey' }],
      authorization: { use: 'open' },
    };
    const problems = await withStrategies(config);
    expect(problems.map((p) => [p.path, p.code])).toEqual([
      ['/auth/1/use', 'CREDENTIALS_OVER_PLAIN_HTTP'],
      ['/auth/2/use', 'CREDENTIALS_OVER_PLAIN_HTTP'],
    ]);
    expect(problems[0]!.message).toContain('server.tlsTerminatedUpstream: true');
    expect(await withStrategies({ ...config, server: { ...config.server, tlsTerminatedUpstream: true } })).toEqual([]);
    expect(await withStrategies({ ...config, tls: { use: 'file' } })).toEqual([]);
    expect(await withStrategies({ ...config, server: { listen: '127.0.0.1:8080' } })).toEqual([]);
  });

  it('lists every insecure start problem at once', async () => {
    const problems = await withStrategies({ server: { listen: '[::]:8080' }, auth: [{ use: 'basic' }] });
    expect(problems.map((p) => p.path).sort()).toEqual(['/auth/0/use', '/authorization']);
  });

  it('adds the memory rate-limit store for brute-force lockout when auth is configured without a store', async () => {
    const strategy = definePlugin({
      kind: 'auth',
      name: 'fake',
      configSchema: { type: 'object' },
      setup: async () => ({ scheme: 'Fake', authenticate: async () => ({ kind: 'none' as const }) }),
    });
    const store = definePlugin({
      kind: 'rate-limit-store',
      name: 'memory',
      configSchema: { type: 'object' },
      setup: () => Promise.reject(new Error('not set up in this test')),
    });
    const loaded = await loadConfig(
      { config: { auth: [{ use: 'fake' }], authorization: { use: 'open' } }, baseDir: tmpdir() },
      { plugins: [strategy, store, openAuthorizer], env: {} },
    );
    expect(loaded.config.rateLimit).toEqual({ use: 'memory' });
    expect(loaded.plugins.map((p) => p.path)).toEqual(['/rateLimit', '/auth/0', '/authorization']);
  });

  it('requires a store for rate-limit rules and for ${secret:} references', async () => {
    const problems = await problemsOf({ limits: { perIp: { points: 5, durationSeconds: 1 } }, server: { name: '${secret:server-name}' } });
    expect(problems.map((p) => p.path).sort()).toEqual(['/limits', '/server/name']);
  });

  it('refuses ${secret:} for auditing.hmacKey with the reason, not as a key too short', async () => {
    const problems = await problemsOf({ secrets: { use: 'memory' }, auditing: { hmacKey: '${secret:audit-hmac}' } });
    expect(problems).toEqual([
      expect.objectContaining({
        path: '/auditing/hmacKey',
        code: 'CONFIG_SECRET_UNAVAILABLE',
        message: expect.stringContaining('use ${env:NAME} or ${file:PATH}'),
      }),
    ]);
  });
});
