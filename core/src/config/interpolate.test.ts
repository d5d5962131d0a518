import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { interpolate, resolveSecretReferences } from './interpolate.js';

// Generated credentials are arbitrary text: a value must arrive exactly as stored, whatever characters it holds.
// `String.replace` reads `$&`, `` $` ``, `$'`, `$$` and `$1` in a replacement string as patterns; these runs
// draw heavily on those characters so that every pattern turns up many times.
const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=-_$$$$&&`''{}:1";
const PATTERNS = ['$&', '$`', "$'", '$$', '$1', '$<n>', '${secret:other}'];
const RUNS = 2_000;

/** A seeded generator (mulberry32), so that a failing value can be found again from the seed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function* generatedValues(seed: number): Generator<string> {
  const next = random(seed);
  for (let i = 0; i < RUNS; i++) {
    let value = '';
    const length = 1 + Math.floor(next() * 48);
    while (value.length < length) {
      value += next() < 0.15 ? PATTERNS[Math.floor(next() * PATTERNS.length)] : ALPHABET[Math.floor(next() * ALPHABET.length)];
    }
    yield value;
  }
}

describe('references insert values exactly as they are', () => {
  it(`\${secret:NAME} keeps ${RUNS} generated values intact, alone and inside a URL (seed 1515)`, async () => {
    const broken: string[] = [];
    for (const value of generatedValues(1515)) {
      const config = { a: { key: '${secret:k}' }, url: 'redis://u:${secret:k}@h:6379/${secret:other}' };
      const { values, problems } = await resolveSecretReferences(config, new Set(['/a/key', '/url']), async (name) => (name === 'k' ? value : 'O'));
      expect(problems).toEqual([]);
      if (values.get('/a/key') !== value || values.get('/url') !== `redis://u:${value}@h:6379/O`) broken.push(value);
      expect(config.a.key).toBe('${secret:k}'); // the config itself is only read
    }
    expect(broken).toEqual([]);
  });

  it(`\${env:NAME} and \${file:PATH} keep ${RUNS} generated values intact (seed 2026)`, () => {
    const dir = mkdtempSync(join(tmpdir(), 'cnmcp-interpolate-'));
    const broken: string[] = [];
    for (const value of generatedValues(2026)) {
      writeFileSync(join(dir, 'value.txt'), `${value}\n`);
      const { value: out, problems } = interpolate({ e: 'x${env:V}y', f: '${file:value.txt}', both: '${env:V}${file:value.txt}' }, dir, { V: value });
      expect(problems).toEqual([]);
      if (out.e !== `x${value}y` || out.f !== value || out.both !== `${value}${value}`) broken.push(value);
    }
    expect(broken).toEqual([]);
  });

  it('a secret value that looks like a reference is not resolved again', async () => {
    const config = { key: '${secret:a}-${secret:b}' };
    const read = async (name: string) => (name === 'a' ? '${secret:b}' : 'B$&');
    const { values, problems } = await resolveSecretReferences(config, new Set(['/key']), read);
    expect(problems).toEqual([]);
    expect(values.get('/key')).toBe('${secret:b}-B$&');
  });
});
