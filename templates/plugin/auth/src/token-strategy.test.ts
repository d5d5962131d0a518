import { describe, expect, it } from 'vitest';
import { DEFAULT_HEADER } from './config-schema.js';
import { createTokenStrategy } from './token-strategy.js';

const strategy = createTokenStrategy({ header: DEFAULT_HEADER, tokens: [{ id: 'ci-bot', token: 'ci-bot-token-0123456789', roles: ['viewer'] }] });
const request = (headers: Record<string, string | string[]>) => ({ headers, url: new URL('http://127.0.0.1/mcp'), remoteAddress: '127.0.0.1' });

describe('token strategy', () => {
  it('authenticates a known token as its identity', async () => {
    expect(await strategy.authenticate(request({ [DEFAULT_HEADER]: 'ci-bot-token-0123456789' }))).toEqual({
      kind: 'ok',
      identity: { id: 'ci-bot', authMethod: 'my-plugin', roles: ['viewer'] },
    });
  });

  it('passes a request without its header on to the next strategy', async () => {
    expect(await strategy.authenticate(request({ authorization: 'Bearer x' }))).toEqual({ kind: 'none' });
  });

  it('fails an unknown token, or several, without echoing them', async () => {
    const wrong = await strategy.authenticate(request({ [DEFAULT_HEADER]: 'not-the-token-at-all' }));
    expect(wrong).toEqual({ kind: 'fail', reason: 'unknown token' });
    const twice = await strategy.authenticate(request({ [DEFAULT_HEADER]: ['ci-bot-token-0123456789', 'other'] }));
    expect(twice.kind).toBe('fail');
    expect(JSON.stringify(twice)).not.toContain('ci-bot-token');
  });
});
