import { describe, expect, it } from 'vitest';
import { canonicalJson } from './canonical-json.js';

// The form the hash chain was first written with: every stored chain must keep verifying.
function reference(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : reference(v))).join(',')}]`;
  const entries = Object.entries(value)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${reference(v)}`).join(',')}}`;
}

describe('canonicalJson', () => {
  it('sorts keys at every level, drops undefined members and writes no whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, undefined, 'x'], c: null }, u: undefined })).toBe('{"a":{"c":null,"d":[1,null,"x"]},"b":1}');
  });

  it('produces exactly what the first implementation did, for awkward keys and values', () => {
    const samples: unknown[] = [
      {
        time: '2026-12-01T00:00:00Z',
        actor: { id: 'ops', roles: ['admin', 'viewer'] },
        seq: 3,
        prevHash: '',
        arguments: { 'a\u00e9': 1, A: 2, _: 3, '10': 4, '9': 5 },
      },
      { emoji: '\u{1F600}', surrogate: { '\uD83D\uDE00': 1, '\uFFFF': 2, z: 3 }, nested: [[[]], {}, [{ k: undefined }]] },
      { n: -0, big: 1e21, small: 1e-7, t: true, f: false, s: 'quote " and \\ and \n' },
      [undefined, null, 0, '', [undefined]],
      'plain',
      42,
      null,
    ];
    for (const sample of samples) expect(canonicalJson(sample)).toBe(reference(sample));
  });
});
