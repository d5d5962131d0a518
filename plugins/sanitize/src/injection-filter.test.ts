import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createInjectionFilter } from './index.js';
import { findInjection, stripInjection } from './injection-filter.js';

const vectors = JSON.parse(readFileSync(new URL('../../../../shared/vectors/sanitize.json', import.meta.url), 'utf8')) as {
  strip: { in: string; out: string }[];
  length: { limit: number };
  urls: { valid: string[]; invalid: string[] };
};

const filter = (mode: 'strip' | 'reject', overrides = {}) => createInjectionFilter({ mode, maxLength: 1000, maxQueryLength: 4000, maxUrlLength: 2048, overrides });

describe('injection filter (shared/vectors/sanitize.json)', () => {
  it.each(vectors.strip)('strips $in -> $out', ({ in: input, out }) => {
    expect(stripInjection(input, vectors.length.limit)).toBe(out);
    expect(filter('strip').sanitize(input, 'filter', '/f', 't')).toEqual({ value: out });
  });

  it.each(vectors.strip)('reject mode refuses $in exactly when strip would change it, never echoing it', ({ in: input, out }) => {
    const outcome = filter('reject').sanitize(input, 'filter', '/f', 't');
    if (input === out) expect(outcome).toEqual({ value: input });
    else {
      expect(outcome).toMatchObject({ reject: expect.stringMatching(/^contains /) });
      if (input.length > 3) expect((outcome as { reject: string }).reject).not.toContain(input);
    }
  });

  it('cuts to the limit in code points, never splitting a character; reject mode refuses longer input', () => {
    const long = '😀'.repeat(vectors.length.limit + 5);
    const cut = stripInjection(long, vectors.length.limit);
    expect([...cut]).toHaveLength(vectors.length.limit);
    expect(cut).toBe('😀'.repeat(vectors.length.limit));
    expect(findInjection('a'.repeat(1001), 1000)).toBe('longer than 1000 characters');
  });

  it.each(vectors.urls.valid)('url policy accepts %s unchanged in both modes', (url) => {
    expect(filter('strip').sanitize(url, 'url', '/u', 't')).toEqual({ value: url });
    expect(filter('reject').sanitize(url, 'url', '/u', 't')).toEqual({ value: url });
  });

  it.each(vectors.urls.invalid)('url policy rejects %j', (url) => {
    expect(filter('strip').sanitize(url, 'url', '/u', 't')).toHaveProperty('reject');
  });

  it('url policy also refuses credentials and literal internal hosts', () => {
    for (const url of ['http://user:pw@example.com/', 'http://localhost:9090/', 'http://127.0.0.1/', 'http://169.254.169.254/latest', 'http://[::1]/', 'http://10.1.2.3/']) {
      expect(filter('strip').sanitize(url, 'url', '/u', 't')).toHaveProperty('reject');
    }
  });

  it('identifier, query and raw policies', () => {
    expect(filter('strip').sanitize('kube-system', 'identifier', '/ns', 't')).toEqual({ value: 'kube-system' });
    expect(filter('strip').sanitize('Bad_Name', 'identifier', '/ns', 't')).toHaveProperty('reject');
    const promql = 'sum(rate(http_requests_total{job="api"}[5m])) by (code)';
    expect(filter('strip').sanitize(promql, 'query', '/q', 't')).toEqual({ value: promql });
    expect(filter('strip').sanitize('x'.repeat(4001), 'query', '/q', 't')).toHaveProperty('reject');
    expect(filter('strip').sanitize('{"a":"b;c"}', 'raw', '/body', 't')).toEqual({ value: '{"a":"b;c"}' });
  });

  it('per-tool and per-field overrides, exact names before patterns', () => {
    const sanitizer = filter('strip', { 'k8s_*': { mode: 'reject', fields: { '/note': 'raw' } }, k8s_get_pod: { mode: 'strip' } });
    expect(sanitizer.sanitize('a;b', 'filter', '/x', 'k8s_list_pods')).toHaveProperty('reject');
    expect(sanitizer.sanitize('a;b', 'filter', '/note', 'k8s_list_pods')).toEqual({ value: 'a;b' });
    expect(sanitizer.sanitize('a;b', 'filter', '/x', 'k8s_get_pod')).toEqual({ value: 'ab' });
    expect(sanitizer.sanitize('a;b', 'filter', '/x', 'other_tool')).toEqual({ value: 'ab' });
  });
});
