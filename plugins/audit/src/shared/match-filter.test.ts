import { describe, expect, it } from 'vitest';
import type { AuditEvent } from '@cnmcp/core/plugin';
import { matcherOf } from './match-filter.js';
import { toolGlobRegExp, toolGlobToLike } from './tool-glob.js';

const event = (fields: Partial<AuditEvent>): AuditEvent => ({
  id: '01JAAAAAAA000010',
  time: '2026-11-24T12:00:00.000Z',
  type: 'tool.call',
  outcome: 'success',
  chain: 'c',
  seq: 1,
  prevHash: '',
  hash: 'h',
  ...fields,
});

describe('tool patterns', () => {
  it('treat * as any run of characters and everything else literally', () => {
    expect(toolGlobRegExp('kubernetes_*').test('kubernetes_get_pods')).toBe(true);
    expect(toolGlobRegExp('kubernetes_*').test('xkubernetes_get')).toBe(false);
    expect(toolGlobRegExp('*_get_*').test('vault_get_secret')).toBe(true);
    expect(toolGlobRegExp('a.b').test('axb')).toBe(false);
    expect(toolGlobRegExp('a?(b)[c]').test('a?(b)[c]')).toBe(true);
    expect(toolGlobRegExp('exact').test('exact_not')).toBe(false);
  });

  it('translate to an escaped SQL LIKE pattern', () => {
    expect(toolGlobToLike('kubernetes_*')).toBe('kubernetes\\_%');
    expect(toolGlobToLike('50%_off\\*')).toBe('50\\%\\_off\\\\%');
  });
});

describe('audit filter predicate', () => {
  it('matches only when every given field matches', () => {
    const e = event({ tool: 'kubernetes_get_pods', actor: { id: 'alice', authMethod: 'apikey', roles: [] } });
    expect(matcherOf({})(e)).toBe(true);
    expect(matcherOf({ type: 'tool.call', outcome: 'success', actor: 'alice', tool: 'kubernetes_*' })(e)).toBe(true);
    expect(matcherOf({ type: 'auth.failure' })(e)).toBe(false);
    expect(matcherOf({ outcome: 'denied' })(e)).toBe(false);
    expect(matcherOf({ actor: 'bob' })(e)).toBe(false);
    expect(matcherOf({ tool: 'vault_*' })(e)).toBe(false);
    expect(matcherOf({ tool: '*' })(event({}))).toBe(false);
  });

  it('compares times inclusively and ids strictly', () => {
    const e = event({});
    expect(matcherOf({ since: new Date(e.time), until: new Date(e.time) })(e)).toBe(true);
    expect(matcherOf({ since: new Date('2026-11-24T12:00:00.001Z') })(e)).toBe(false);
    expect(matcherOf({ until: new Date('2026-11-24T11:59:59.999Z') })(e)).toBe(false);
    expect(matcherOf({ after: e.id })(e)).toBe(false);
    expect(matcherOf({ after: '01JAAAAAAA000009' })(e)).toBe(true);
  });
});
