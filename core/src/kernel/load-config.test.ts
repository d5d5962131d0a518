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
    const loaded = await loadConfig({ config: { auth: [{ use: 'fake' }] }, baseDir: tmpdir() }, { plugins: [strategy, store], env: {} });
    expect(loaded.config.rateLimit).toEqual({ use: 'memory' });
    expect(loaded.plugins.map((p) => p.path)).toEqual(['/rateLimit', '/auth/0']);
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
