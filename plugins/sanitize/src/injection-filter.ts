import { codePointLength } from './field-policies.js';

// The security guide's injection filter (test/fixtures/vectors/sanitize.json).
const PATTERNS = ['<script>', 'javascript:', 'onload=', 'onerror=', '--', '/*', '*/', ';'] as const;
const CHARACTERS: ReadonlySet<string> = new Set([';', "'", '"', '|', '&', '$', '(', ')', '<', '>', '`']);

// Case-insensitive regular expressions rather than toLowerCase(), which can change a string's length.
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
const PATTERN_MATCHERS = PATTERNS.map((p) => new RegExp(escape(p), 'giu'));
const PATTERN_DETECTORS = PATTERNS.map((p) => [p, new RegExp(escape(p), 'iu')] as const);
const CHARACTER_MATCHER = new RegExp(`[${[...CHARACTERS].map(escape).join('')}]`, 'gu');

/**
 * Strip mode: remove the patterns case-insensitively until none is left, then the characters, then cut to
 * `maxLength` code points (never splitting a surrogate pair). No trimming.
 *
 * Both removals repeat until nothing changes: removing a character can join a pattern ("java'script:"), and the
 * output must never hold anything the filter removes.
 *
 * @example stripInjection("'; DROP TABLE users; --", 1000) // " DROP TABLE users "
 */
export function stripInjection(value: string, maxLength: number): string {
  let out = value;
  for (let previous: string | undefined; previous !== out;) {
    previous = out;
    for (let before: string | undefined; before !== out;) {
      before = out;
      for (const matcher of PATTERN_MATCHERS) out = out.replace(matcher, '');
    }
    out = out.replace(CHARACTER_MATCHER, '');
  }
  return cutCodePoints(out, maxLength);
}

/**
 * Reject mode: what strip mode would remove or cut, in words safe to show (a pattern, a character or the limit,
 * never the value). Undefined exactly when stripInjection would return the value unchanged.
 */
export function findInjection(value: string, maxLength: number): string | undefined {
  const pattern = PATTERN_DETECTORS.find(([, detector]) => detector.test(value));
  if (pattern) return `contains ${JSON.stringify(pattern[0])}`;
  const character = [...value].find((c) => CHARACTERS.has(c));
  if (character !== undefined) return `contains the character ${JSON.stringify(character)}`;
  if (codePointLength(value) > maxLength) return `longer than ${maxLength} characters`;
  return undefined;
}

export function cutCodePoints(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = 0;
  let count = 0;
  for (const c of text) {
    if (count === max) break;
    cut += c.length;
    count++;
  }
  return text.slice(0, cut);
}
