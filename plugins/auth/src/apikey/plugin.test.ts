import { describe, expect, it } from 'vitest';
import { authRequest, createTestPluginContext } from '../testing/apikey-basic-context.js';
import type { ApiKeyConfig } from './config-schema.js';
import apikey from './plugin.js';

const OPS = 'Abc123!@#Xyz789!@#';
const CI = 'Zyx987)(*Cba321)(*';
const OLD = 'Old123!@#Key456!@#';

const keys: ApiKeyConfig['keys'] = [
  { id: 'ops', key: OPS, roles: ['admin'] },
  { id: 'ci', key: CI, roles: ['viewer', 'deployer'], expiresAt: '2999-01-01T00:00:00Z' },
  { id: 'old', key: OLD, roles: ['viewer'], expiresAt: '2020-01-01T00:00:00Z' },
];

async function strategyWith(extra: Partial<ApiKeyConfig> = {}) {
  const ctx = createTestPluginContext<ApiKeyConfig>({ keys, ...extra });
  return { strategy: await apikey.setup(ctx), logs: ctx.logs };
}

const opsIdentity = { kind: 'ok', identity: { id: 'ops', authMethod: 'apikey', roles: ['admin'] } };

describe('apikey plugin', () => {
  it('is an auth plugin named apikey with the ApiKey scheme', async () => {
    expect(apikey).toMatchObject({ kind: 'auth', name: 'apikey' });
    expect((await strategyWith()).strategy.scheme).toBe('ApiKey');
  });

  it('answers none when no key is presented', async () => {
    const { strategy } = await strategyWith();
    expect(await strategy.authenticate(authRequest())).toEqual({ kind: 'none' });
    expect(await strategy.authenticate(authRequest({ authorization: 'Bearer abc.def.ghi' }))).toEqual({ kind: 'none' });
    expect(await strategy.authenticate(authRequest({ authorization: 'ApiKeys x' }))).toEqual({ kind: 'none' });
  });

  it('reads the X-API-Key header', async () => {
    const { strategy } = await strategyWith();
    expect(await strategy.authenticate(authRequest({ 'x-api-key': OPS }))).toEqual(opsIdentity);
    expect(await strategy.authenticate(authRequest({ 'x-api-key': CI }))).toEqual({
      kind: 'ok',
      identity: { id: 'ci', authMethod: 'apikey', roles: ['viewer', 'deployer'] },
    });
  });

  it('reads a configured header named in any case', async () => {
    const { strategy } = await strategyWith({ header: 'X-Ops-Token' });
    expect(await strategy.authenticate(authRequest({ 'x-ops-token': OPS }))).toEqual(opsIdentity);
    expect(await strategy.authenticate(authRequest({ 'x-api-key': OPS }))).toEqual({ kind: 'none' });
  });

  it.each(['ApiKey', 'apikey', 'APIKEY'])('reads Authorization: %s <key>', async (scheme) => {
    const { strategy } = await strategyWith();
    expect(await strategy.authenticate(authRequest({ authorization: `${scheme} ${OPS}` }))).toEqual(opsIdentity);
  });

  it('ignores ?api_key= unless allowQueryParam is on', async () => {
    const url = `http://127.0.0.1/mcp?api_key=${encodeURIComponent(OPS)}`;
    const off = await strategyWith();
    expect(await off.strategy.authenticate(authRequest({}, url))).toEqual({ kind: 'none' });
    expect(off.logs.filter((l) => l.level === 'warn')).toEqual([expect.objectContaining({ message: expect.stringContaining('expired') })]);
    const on = await strategyWith({ allowQueryParam: true });
    expect(await on.strategy.authenticate(authRequest({}, url))).toEqual(opsIdentity);
    expect(on.logs).toContainEqual(expect.objectContaining({ level: 'warn', message: expect.stringContaining('query string') }));
  });

  it('refuses more than one key in one request', async () => {
    const { strategy } = await strategyWith({ allowQueryParam: true });
    const both = [
      authRequest({ 'x-api-key': OPS, authorization: `ApiKey ${OPS}` }),
      authRequest({ 'x-api-key': [OPS, CI] }),
      authRequest({ 'x-api-key': OPS }, `http://127.0.0.1/mcp?api_key=${encodeURIComponent(CI)}`),
    ];
    for (const request of both) expect(await strategy.authenticate(request)).toEqual({ kind: 'fail', reason: 'more than one API key presented' });
  });

  it('fails an unknown key without naming a subject', async () => {
    const { strategy } = await strategyWith();
    expect(await strategy.authenticate(authRequest({ 'x-api-key': 'Nope123!@#Nope123!@#' }))).toEqual({ kind: 'fail', reason: 'unknown key' });
    expect(await strategy.authenticate(authRequest({ 'x-api-key': '' }))).toEqual({ kind: 'fail', reason: 'empty key' });
    expect(await strategy.authenticate(authRequest({ authorization: 'ApiKey' }))).toEqual({ kind: 'fail', reason: 'empty key' });
  });

  it('fails an expired key naming its id, and warns about it at setup', async () => {
    const { strategy, logs } = await strategyWith();
    expect(await strategy.authenticate(authRequest({ 'x-api-key': OLD }))).toEqual({ kind: 'fail', reason: 'expired key', subject: 'old' });
    expect(logs).toContainEqual({
      level: 'warn',
      message: 'API key has expired and will be refused',
      fields: { keyId: 'old', expiresAt: '2020-01-01T00:00:00Z' },
    });
  });

  it.each([
    ['leading space', ` ${OPS}`],
    ['trailing space', `${OPS} `],
    ['trailing tab', `${OPS}\t`],
    ['double quotes', `"${OPS}"`],
    ['single quotes', `'${OPS}'`],
    ['a prefix', `x${OPS}`],
    ['one character short', OPS.slice(0, -1)],
    ['other case', OPS.toLowerCase()],
  ])('does not trim a presented key into a match (%s)', async (_name, presented) => {
    const { strategy } = await strategyWith();
    expect(await strategy.authenticate(authRequest({ 'x-api-key': presented }))).toEqual({ kind: 'fail', reason: 'unknown key' });
    expect(await strategy.authenticate(authRequest({ authorization: `ApiKey ${presented}` }))).toEqual({ kind: 'fail', reason: 'unknown key' });
  });

  it('takes exactly one space after the Authorization scheme', async () => {
    const { strategy } = await strategyWith();
    expect(await strategy.authenticate(authRequest({ authorization: `ApiKey  ${OPS}` }))).toEqual({ kind: 'fail', reason: 'unknown key' });
  });

  it('never puts a presented key in an outcome', async () => {
    const { strategy } = await strategyWith({ allowQueryParam: true });
    const presented = ['Leak123!@#Leak123!@#', `${OPS} `, OLD];
    for (const key of presented) {
      const outcome = JSON.stringify(await strategy.authenticate(authRequest({ 'x-api-key': key })));
      expect(outcome).not.toContain(key.trim());
    }
  });

  it('does not keep the configured keys in the strategy', async () => {
    const { strategy } = await strategyWith();
    expect(JSON.stringify(strategy)).not.toContain(OPS);
  });
});
