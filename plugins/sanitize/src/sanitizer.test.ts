import { describe, expect, it } from 'vitest';
import type { SanitizeConfig } from './config-schema.js';
import { createInjectionFilter } from './index.js';

const filter = (mode: 'strip' | 'reject', overrides: SanitizeConfig['overrides'] = {}) =>
  createInjectionFilter({ mode, maxLength: 1000, maxQueryLength: 4000, maxUrlLength: 2048, overrides });

describe('injection-filter sanitizer: policies', () => {
  it.each(['strip', 'reject'] as const)('%s mode: identifier, url and query are checked alike and never rewritten', (mode) => {
    const s = filter(mode);
    expect(s.sanitize('kube-system', 'identifier', '/ns', 't')).toEqual({ value: 'kube-system' });
    expect(s.sanitize('Bad_Name', 'identifier', '/ns', 't')).toEqual({ reject: expect.stringMatching(/^is not a valid name/) });
    expect(s.sanitize('https://example.com/a?x=1&y=2', 'url', '/u', 't')).toEqual({ value: 'https://example.com/a?x=1&y=2' });
    expect(s.sanitize('javascript:alert(1)', 'url', '/u', 't')).toHaveProperty('reject');
    const promql = 'sum(rate(http_requests_total{job="api"}[5m])) by (code)';
    expect(s.sanitize(promql, 'query', '/q', 't')).toEqual({ value: promql });
    expect(s.sanitize('x'.repeat(4001), 'query', '/q', 't')).toEqual({ reject: 'longer than 4000 characters' });
  });

  it('raw fields pass unchanged in both modes', () => {
    for (const mode of ['strip', 'reject'] as const)
      expect(filter(mode).sanitize('{"a":"b;c"} <script>', 'raw', '/body', 't')).toEqual({ value: '{"a":"b;c"} <script>' });
  });

  it('filter is the default policy and follows the mode', () => {
    expect(filter('strip').sanitize('a;b', 'filter', '/x', 't')).toEqual({ value: 'ab' });
    expect(filter('reject').sanitize('a;b', 'filter', '/x', 't')).toEqual({ reject: 'contains ";"' });
  });

  it('refuses a policy it does not know', () => {
    expect(filter('strip').sanitize('x', 'URL' as never, '/x', 't')).toEqual({ reject: 'unknown sanitize policy "URL"' });
  });

  it('honours the configured limits', () => {
    const s = createInjectionFilter({ mode: 'strip', maxLength: 3, maxQueryLength: 5, maxUrlLength: 20, overrides: {} });
    expect(s.sanitize('abcdef', 'filter', '/x', 't')).toEqual({ value: 'abc' });
    expect(s.sanitize('abcdef', 'query', '/x', 't')).toHaveProperty('reject');
    expect(s.sanitize('https://example.com/long', 'url', '/x', 't')).toEqual({ reject: 'longer than 20 characters' });
  });
});

describe('injection-filter sanitizer: overrides', () => {
  const s = filter('strip', {
    'k8s_*': { mode: 'reject', fields: { '/note': 'raw', '/labels/*': 'strip', '/labels/0': 'reject' } },
    k8s_get_pod: { mode: 'strip' },
    'web_*': { fields: { '/url': 'raw' } },
  });

  it('a tool pattern sets the mode of its filter fields', () => {
    expect(s.sanitize('a;b', 'filter', '/x', 'k8s_list_pods')).toEqual({ reject: 'contains ";"' });
    expect(s.sanitize('a;b', 'filter', '/x', 'other_tool')).toEqual({ value: 'ab' });
  });

  it('an exact tool name wins over a pattern, and decides alone', () => {
    expect(s.sanitize('a;b', 'filter', '/x', 'k8s_get_pod')).toEqual({ value: 'ab' });
    expect(s.sanitize('a;b', 'filter', '/note', 'k8s_get_pod')).toEqual({ value: 'ab' });
  });

  it('a field entry wins over the tool mode; an exact pointer over a * segment', () => {
    expect(s.sanitize('a;b', 'filter', '/note', 'k8s_list_pods')).toEqual({ value: 'a;b' });
    expect(s.sanitize('a;b', 'filter', '/labels/3', 'k8s_list_pods')).toEqual({ value: 'ab' });
    expect(s.sanitize('a;b', 'filter', '/labels/0', 'k8s_list_pods')).toEqual({ reject: 'contains ";"' });
    expect(s.sanitize('a;b', 'filter', '/labels/3/x', 'k8s_list_pods')).toEqual({ reject: 'contains ";"' });
  });

  it('a pattern matches the whole tool name only', () => {
    expect(s.sanitize('a;b', 'filter', '/x', 'my_k8s_tool')).toEqual({ value: 'ab' });
    expect(filter('strip', { 'k8s.get': { mode: 'reject' } }).sanitize('a;b', 'filter', '/x', 'k8sXget')).toEqual({ value: 'ab' });
  });

  it('a tool override without a mode keeps the global mode', () => {
    expect(s.sanitize('a;b', 'filter', '/x', 'web_fetch')).toEqual({ value: 'ab' });
  });

  it('a field set to raw skips the sanitizer whatever the policy, so a fetching tool can do its own checks', () => {
    expect(s.sanitize('http://10.0.0.5:9090/', 'url', '/url', 'web_fetch')).toEqual({ value: 'http://10.0.0.5:9090/' });
    expect(s.sanitize('http://10.0.0.5:9090/', 'url', '/other', 'web_fetch')).toHaveProperty('reject');
  });
});
