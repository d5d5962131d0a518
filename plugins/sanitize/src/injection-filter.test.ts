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

  it('cuts first, so only the first maxLength code points are examined, then strips what is left', () => {
    expect(stripInjection(';'.repeat(10) + 'a'.repeat(vectors.length.limit), vectors.length.limit)).toBe('a'.repeat(vectors.length.limit - 10));
    // A pattern cut in half by the limit is no longer a pattern; its characters still go.
    expect(stripInjection('x'.repeat(996) + '<script>', 1000)).toBe('x'.repeat(996) + 'scr');
  });

  it('strips the nested attack at any depth in one pass, with the right answer', () => {
    for (const depth of [1, 2, 10, 123, 250, 32_768]) {
      const nested = `${'<scr'.repeat(depth)}<script>${'ipt>'.repeat(depth)}x`;
      // Within the limit the whole nest collapses; from depth 250 the cut leaves `<scr` x 250, whose `<` go.
      expect(stripInjection(nested, 1000)).toBe(depth <= 123 ? 'x' : 'scr'.repeat(250));
      expect(stripInjection(nested, nested.length)).toBe('x');
    }
    const deep = `${'java'.repeat(1)}${"'".repeat(5)}script:`.repeat(3);
    expect(stripInjection(deep, 1000)).toBe('');
  });

  it('leaves nothing it removes, for any mix of pattern pieces and characters, and is idempotent', () => {
    const pieces = ['<', 'scr', 'ipt', '>', 'java', 'script:', 'on', 'load=', 'error=', '-', '/', '*', ';', "'", '|', 'a', 'ſ', 'S', ' '];
    let seed = 7;
    const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    for (let n = 0; n < 3000; n++) {
      const sample = Array.from({ length: 1 + Math.floor(random() * 30) }, () => pieces[Math.floor(random() * pieces.length)]).join('');
      const out = stripInjection(sample, 1000);
      expect(findInjection(out, 1000), `${JSON.stringify(sample)} -> ${JSON.stringify(out)}`).toBeUndefined();
      expect(stripInjection(out, 1000)).toBe(out);
    }
  });

  it('folds case as reject mode does: U+017F LONG S is the only non-ASCII character matching a pattern character', () => {
    expect(stripInjection('javaſcript:x', 1000)).toBe('x');
    const patternChars = [...new Set('<script>javascript:onload=onerror=--/**/;')];
    const folding: string[] = [];
    for (let cp = 0x80; cp <= 0xffff; cp++) {
      if (cp >= 0xd800 && cp <= 0xdfff) continue;
      const c = String.fromCodePoint(cp);
      if (patternChars.some((p) => new RegExp(`^${p.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$`, 'iu').test(c))) folding.push(c);
    }
    expect(folding).toEqual(['ſ']);
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
