import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AuditRedactor } from './audit-redactor.js';

describe('AuditRedactor', () => {
  const key = Buffer.from('k'.repeat(32));
  const hmac = (v: string) => `hmac-sha256:${createHmac('sha256', key).update(v).digest('hex')}`;
  const redactor = new AuditRedactor(key, ['^kubeconfig$'], new Set(['Known-Secret-Value-1!']));

  it('replaces sensitive and known secret values by a searchable HMAC and keeps the rest', () => {
    expect(
      redactor.redact({
        namespace: 'prod',
        password: 'hunter2',
        nested: { apiKey: 'abc', Kubeconfig: 'yaml' },
        note: 'uses Known-Secret-Value-1! here',
        list: ['Known-Secret-Value-1!'],
        pin: 1234,
      }),
    ).toEqual({
      namespace: 'prod',
      password: hmac('hunter2'),
      nested: { apiKey: hmac('abc'), Kubeconfig: hmac('yaml') },
      note: `uses ${hmac('Known-Secret-Value-1!')} here`,
      list: [hmac('Known-Secret-Value-1!')],
      pin: 1234,
    });
  });
});
