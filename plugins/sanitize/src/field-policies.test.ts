import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkIdentifier, checkQuery, checkUrl } from './field-policies.js';

const vectors = JSON.parse(readFileSync(new URL('../../../test/fixtures/vectors/sanitize.json', import.meta.url), 'utf8')) as {
  urls: { valid: string[]; invalid: string[] };
};

describe('url policy', () => {
  it.each(vectors.urls.valid)('accepts %s', (url) => {
    expect(checkUrl(url, 2048)).toBeUndefined();
  });

  it.each(vectors.urls.invalid)('rejects %j', (url) => {
    expect(checkUrl(url, 2048)).toEqual(expect.any(String));
  });

  it.each([
    ['javascript:alert(1)', 'scheme "javascript:" is not allowed (http and https only)'],
    ['http:example.com', 'is not an absolute URL'],
    ['http:/example.com', 'is not an absolute URL'],
    ['https://user:pw@example.com/', 'must not contain credentials'],
    ['https://token@example.com/', 'must not contain credentials'],
    [' http://example.com', 'contains whitespace, a control character or a backslash'],
    ['http://exa\nmple.com/', 'contains whitespace, a control character or a backslash'],
    ['http://evil.example\\@good.example/', 'contains whitespace, a control character or a backslash'],
  ])('%j: %s', (url, reason) => {
    expect(checkUrl(url, 2048)).toBe(reason);
  });

  it.each([
    'http://localhost:9090/',
    'http://LOCALHOST./',
    'http://api.localhost/',
    'http://%6c%6f%63%61%6c%68%6f%73%74/',
    'http://metadata.google.internal/computeMetadata/v1/',
    'http://127.0.0.1/',
    'http://127.1/',
    'http://2130706433/',
    'http://0x7f.0.0.1/',
    'http://0.0.0.0:8080/',
    'http://10.1.2.3/',
    'http://172.16.0.1/',
    'http://192.168.1.1/',
    'http://100.64.0.1/',
    'http://169.254.169.254/latest/meta-data/',
    'http://192.0.0.192/',
    'http://224.0.0.1/',
    'http://255.255.255.255/',
    'http://[::1]/',
    'http://[::]/',
    'http://[fe80::1]/',
    'http://[fd00:ec2::254]/',
    'http://[::ffff:127.0.0.1]/',
    'http://[::ffff:a9fe:a9fe]/',
    'http://[64:ff9b::7f00:1]/',
    'http://[2002:7f00:1::]/',
    'http://[ff02::1]/',
  ])('refuses the literal internal host in %s', (url) => {
    expect(checkUrl(url, 2048)).toMatch(/^(host|address) /);
  });

  it.each([
    'http://8.8.8.8/',
    'http://[2606:4700:4700::1111]/',
    'http://[::ffff:8.8.8.8]/',
    'https://10.example.com/',
    'https://日本.example/',
    'HTTPS://Example.COM/a',
  ])('accepts the public host in %s', (url) => {
    expect(checkUrl(url, 2048)).toBeUndefined();
  });

  it('is length-limited', () => {
    const url = `https://example.com/${'a'.repeat(2048)}`;
    expect(checkUrl(url, 2048)).toBe('longer than 2048 characters');
    expect(checkUrl(url, 4096)).toBeUndefined();
  });
});

describe('identifier policy', () => {
  it.each(['kube-system', 'web', 'a', 'my-app.v1', '0abc', 'a'.repeat(63), `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(61)}`])(
    'accepts %s',
    (name) => {
      expect(checkIdentifier(name)).toBeUndefined();
    },
  );

  it.each(['Bad_Name', 'UPPER', '-leading', 'trailing-', 'a..b', '.a', 'a.', '', 'has space', 'semi;colon', 'ns/name', 'naïve', 'a\n'])(
    'rejects %j',
    (name) => {
      expect(checkIdentifier(name)).toMatch(/^is not a valid name/);
    },
  );

  it('rejects names longer than 253 characters', () => {
    expect(checkIdentifier('a'.repeat(254))).toBe('longer than 253 characters');
  });
});

describe('query policy', () => {
  it('never changes a query, only bounds it in code points', () => {
    expect(checkQuery('sum(rate(http_requests_total{job="api"}[5m])) by (code) > 0; -- $.items[*]', 4000)).toBeUndefined();
    expect(checkQuery('😀'.repeat(4000), 4000)).toBeUndefined();
    expect(checkQuery('x'.repeat(4001), 4000)).toBe('longer than 4000 characters');
  });
});
