import { silentLogger } from '../testing/start-test-kernel.js';
import { describe, expect, it } from 'vitest';
import type { AuthRequest, AuthStrategy } from '../plugin/ports/auth-strategy.js';
import { compileAuthenticate } from './authenticate.js';

const request = (headers: Record<string, string>): AuthRequest => ({ headers, url: new URL('http://x/mcp'), remoteAddress: '127.0.0.1' });

// In-memory strategy doubles: each recognises one header.
const strategy = (scheme: string, header: string, valid: string): AuthStrategy => ({
  scheme,
  async authenticate(req) {
    const value = req.headers[header];
    if (value === undefined) return { kind: 'none' };
    return value === valid
      ? { kind: 'ok', identity: { id: `${scheme}-user`, authMethod: scheme.toLowerCase(), roles: [] } }
      : { kind: 'fail', reason: 'wrong credential' };
  },
});

describe('authenticate stage', () => {
  const stage = compileAuthenticate(
    [
      { id: 'auth/a', port: strategy('ApiKey', 'x-api-key', 'good') },
      { id: 'auth/b', port: strategy('Basic', 'authorization', 'Basic good') },
    ],
    silentLogger,
  )!;

  it('is left out when no strategy is configured', () => {
    expect(compileAuthenticate([], silentLogger)).toBeUndefined();
  });

  it('lets the first strategy that recognises its credential decide', async () => {
    expect(await stage(request({ authorization: 'Basic good' }))).toMatchObject({ continue: true, value: { id: 'Basic-user' } });
  });

  it('does not fall through to another strategy after a failure', async () => {
    const verdict = await stage(request({ 'x-api-key': 'bad', authorization: 'Basic good' }));
    expect(verdict).toMatchObject({
      continue: false,
      code: 'UNAUTHENTICATED',
      message: 'authentication failed (ApiKey)',
      details: { reason: 'wrong credential' },
    });
  });

  it('answers a missing credential naming every scheme', async () => {
    expect(await stage(request({}))).toMatchObject({ continue: false, headers: { 'WWW-Authenticate': ['ApiKey', 'Basic'] } });
  });

  it('denies when a strategy throws (fail closed)', async () => {
    const broken: AuthStrategy = { scheme: 'Broken', authenticate: () => Promise.reject(new Error('boom')) };
    expect(await compileAuthenticate([{ id: 'auth/broken', port: broken }], silentLogger)!(request({}))).toMatchObject({
      continue: false,
      code: 'UNAUTHENTICATED',
    });
  });
});
