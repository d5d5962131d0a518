import { describe, expect, it } from 'vitest';
import { MASK, maskManifest, maskValues } from './secret-masking.js';

describe('masking credentials in Helm values and manifests', () => {
  it('masks scalars under credential-like keys at any depth, keeps booleans and Secret names', () => {
    const { value, masked } = maskValues({
      auth: { enabled: true, password: 'p', existingSecret: 'db-auth' },
      global: { imagePullSecrets: [{ name: 'regcred' }], apiKey: 'k', tokenTTL: 3600 },
      credentials: { user: 'u', key: 'k2' },
      env: [
        { name: 'DB_PASSWORD', value: 'x' },
        { name: 'LOG_LEVEL', value: 'debug' },
      ],
      secretName: 'tls',
    });
    expect(value).toEqual({
      auth: { enabled: true, password: MASK, existingSecret: 'db-auth' },
      global: { imagePullSecrets: [{ name: 'regcred' }], apiKey: MASK, tokenTTL: MASK },
      credentials: { user: MASK, key: MASK },
      env: [
        { name: 'DB_PASSWORD', value: MASK },
        { name: 'LOG_LEVEL', value: 'debug' },
      ],
      secretName: 'tls',
    });
    expect(masked).toContain('auth.password');
    expect(masked).toContain('credentials.user');
    expect(masked).toContain('env[0].value');
  });

  it('masks Secret data in a manifest, keeps other documents as written, withholds what does not parse', () => {
    const manifest = [
      '',
      '# Source: a/templates/secret.yaml',
      'apiVersion: v1',
      'kind: Secret',
      'metadata: {name: db}',
      'stringData: {password: hunter2}',
      '---',
      '# Source: a/templates/cm.yaml',
      'apiVersion: v1',
      'kind: ConfigMap',
      'metadata: {name: cm}',
      'data: {color: blue}',
      '---',
      'kind: [unclosed',
      '',
    ].join('\n');
    const result = maskManifest(manifest);
    expect(result.manifest).not.toContain('hunter2');
    expect(result.manifest).toContain('# Source: a/templates/secret.yaml');
    expect(result.manifest).toContain('data: {color: blue}');
    expect(result.manifest).toContain('[withheld: not valid YAML');
    expect(result.masked).toEqual(['Secret/db stringData.password', '(a document that is not valid YAML)']);
  });
});
