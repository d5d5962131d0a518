import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { Secret } from '../plugin/secret.js';
import { redact } from './redact.js';

describe('redact', () => {
  it('masks sensitive keys, Secret values and known secret values inside strings', () => {
    const known = new Set(['Abc123!@#Xyz789!@#']);
    const out = redact(
      {
        headers: { authorization: 'Bearer abc', 'x-api-key': 'k', accept: 'json' },
        password: 'hunter2',
        nested: [{ token: 't', note: 'the key is Abc123!@#Xyz789!@# ok' }],
        secret: new Secret('s3cr3t-value'),
        count: 3,
      },
      known,
    );
    expect(out).toEqual({
      headers: { authorization: '***', 'x-api-key': '***', accept: 'json' },
      password: '***',
      nested: [{ token: '***', note: 'the key is *** ok' }],
      secret: '***',
      count: 3,
    });
  });

  it('masks the credential headers of every scheme, in any case, and configured extra keys', () => {
    const headers = {
      Authorization: 'Basic x',
      'Proxy-Authorization': 'Basic y',
      Cookie: 'c',
      'Set-Cookie': 's',
      'X-API-Key': 'k',
      'x-tenant-token': 't',
      'X-Ops-Session': 'p',
      accept: '*/*',
    };
    expect(redact({ headers }, new Set(), '', [/^x-ops-session$/i])).toEqual({
      headers: {
        Authorization: '***',
        'Proxy-Authorization': '***',
        Cookie: '***',
        'Set-Cookie': '***',
        'X-API-Key': '***',
        'x-tenant-token': '***',
        'X-Ops-Session': '***',
        accept: '*/*',
      },
    });
  });

  it('never prints a Secret by accident', () => {
    const secret = new Secret('do-not-print-me');
    expect(String(secret)).toBe('***');
    expect(JSON.stringify({ secret })).toBe('{"secret":"***"}');
    expect(inspect(secret)).toBe('***');
    expect(secret.reveal()).toBe('do-not-print-me');
  });
});
