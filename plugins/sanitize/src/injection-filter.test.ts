import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createInjectionFilter } from './index.js';
import { cutCodePoints, findInjection, stripInjection } from './injection-filter.js';

const vectors = JSON.parse(readFileSync(new URL('../../../test/fixtures/vectors/sanitize.json', import.meta.url), 'utf8')) as {
  strip: { in: string; out: string }[];
  length: { limit: number };
};

const filter = (mode: 'strip' | 'reject') =>
  createInjectionFilter({ mode, maxLength: vectors.length.limit, maxQueryLength: 4000, maxUrlLength: 2048, overrides: {} });

describe('injection filter, strip mode (test/fixtures/vectors/sanitize.json)', () => {
  it.each(vectors.strip)('$in -> $out', ({ in: input, out }) => {
    expect(stripInjection(input, vectors.length.limit)).toBe(out);
    expect(filter('strip').sanitize(input, 'filter', '/f', 't')).toEqual({ value: out });
  });

  it('keeps the first 1000 code points, never splitting a surrogate pair', () => {
    const emoji = '😀'.repeat(vectors.length.limit + 5);
    expect(stripInjection(emoji, vectors.length.limit)).toBe('😀'.repeat(vectors.length.limit));
    const mixed = 'a'.repeat(vectors.length.limit - 1) + '😀b';
    expect(stripInjection(mixed, vectors.length.limit)).toBe('a'.repeat(vectors.length.limit - 1) + '😀');
    expect(stripInjection('x'.repeat(vectors.length.limit), vectors.length.limit)).toHaveLength(vectors.length.limit);
  });

  it('cuts after removing, so removed characters do not count', () => {
    expect(stripInjection(';'.repeat(10) + 'a'.repeat(vectors.length.limit), vectors.length.limit)).toBe('a'.repeat(vectors.length.limit));
  });

  it('does not trim whitespace', () => {
    expect(stripInjection('  a  ', vectors.length.limit)).toBe('  a  ');
  });

  it('matches patterns case-insensitively', () => {
    expect(stripInjection('JaVaScRiPt:x <SCRIPT>y ONERROR=z', 1000)).toBe('x y z');
  });

  it('repeats until nothing it removes is left, even a pattern joined by removing a character', () => {
    expect(stripInjection("java'script:alert", 1000)).toBe('alert');
    expect(stripInjection('-|-x/$*y', 1000)).toBe('xy');
    for (const sample of ['<scr<script>ipt>', "on'load=1", "--'-", "/'*x*'/", "<sc<script>ri'pt>"]) {
      const out = stripInjection(sample, 1000);
      expect(stripInjection(out, 1000)).toBe(out);
      expect(findInjection(out, 1000)).toBeUndefined();
    }
  });

  it('cutCodePoints leaves short strings alone', () => {
    expect(cutCodePoints('😀😀', 2)).toBe('😀😀');
    expect(cutCodePoints('😀😀', 1)).toBe('😀');
  });
});

describe('injection filter, reject mode (test/fixtures/vectors/sanitize.json)', () => {
  it.each(vectors.strip)('$in: rejected exactly when strip mode would change it, never echoing it', ({ in: input, out }) => {
    const outcome = filter('reject').sanitize(input, 'filter', '/f', 't');
    if (input === out) {
      expect(outcome).toEqual({ value: input });
      return;
    }
    expect(outcome).toEqual({ reject: expect.stringMatching(/^contains (the character )?"[^"]+"$|^contains "\\""$/) });
    expect((outcome as { reject: string }).reject).not.toContain(input);
  });

  it('names what it found: the first pattern, else the first character', () => {
    expect(findInjection('<script>alert(1)</script>', 1000)).toBe('contains "<script>"');
    expect(findInjection('JAVASCRIPT:x', 1000)).toBe('contains "javascript:"');
    expect(findInjection('a /* b', 1000)).toBe('contains "/*"');
    expect(findInjection('test|command', 1000)).toBe('contains the character "|"');
    expect(findInjection('say "hi"', 1000)).toBe('contains the character "\\""');
  });

  it('rejects input longer than the limit in code points, and accepts exactly the limit', () => {
    expect(filter('reject').sanitize('a'.repeat(vectors.length.limit + 1), 'filter', '/f', 't')).toEqual({
      reject: `longer than ${vectors.length.limit} characters`,
    });
    expect(filter('reject').sanitize('😀'.repeat(vectors.length.limit), 'filter', '/f', 't')).toEqual({ value: '😀'.repeat(vectors.length.limit) });
  });

  it('changes nothing it accepts', () => {
    for (const value of ['app=nginx,tier!=db', 'naïve ü–日本', '', '  spaced  '])
      expect(filter('reject').sanitize(value, 'filter', '/f', 't')).toEqual({ value });
  });
});
