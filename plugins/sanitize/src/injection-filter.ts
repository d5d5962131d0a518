import { codePointLength } from './field-policies.js';

// The security guide's injection filter (test/fixtures/vectors/sanitize.json).
const PATTERNS = ['<script>', 'javascript:', 'onload=', 'onerror=', '--', '/*', '*/', ';'] as const;
const CHARACTERS: ReadonlySet<string> = new Set([';', "'", '"', '|', '&', '$', '(', ')', '<', '>', '`']);

// Case-insensitive regular expressions rather than toLowerCase(), which can change a string's length.
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
const PATTERN_DETECTORS = PATTERNS.map((p) => [p, new RegExp(escape(p), 'iu')] as const);

// Each pattern as code points, for matching at the end of the output.
const PATTERN_CHARS = PATTERNS.map((p) => [...p]);

// Anything strip mode would remove, in one case-insensitive test: a pattern or a character. Most arguments hold none.
const REMOVABLE = new RegExp([...PATTERNS.map(escape), `[${[...CHARACTERS].map(escape).join('')}]`].join('|'), 'iu');

/**
 * What case-insensitive Unicode matching (`/iu`, as reject mode's detectors use) treats as one of the patterns'
 * characters: ASCII letters in either case, and U+017F LONG S, which folds to `s` (the only non-ASCII character
 * that folds onto a pattern character; injection-filter.test.ts checks this over the whole BMP).
 */
function fold(c: string): string {
  if (c === '\u017f') return 's';
  return c >= 'A' && c <= 'Z' ? c.toLowerCase() : c;
}

/**
 * Removes every pattern in one left-to-right pass: each code point goes onto a stack, and when the stack ends with a
 * pattern it is popped. What is left holds no pattern, even one that a removal joined (`<scr<script>ipt>`): the stack
 * was pattern-free before each push, so a new occurrence can only end at the top. Linear: patterns are at most 11
 * code points.
 */
function removePatterns(chars: Iterable<string>): string[] {
  const kept: string[] = [];
  const folded: string[] = [];
  for (const c of chars) {
    kept.push(c);
    folded.push(fold(c));
    const hit = PATTERN_CHARS.find((p) => p.length <= folded.length && p.every((pc, i) => folded[folded.length - p.length + i] === pc));
    if (hit) {
      kept.length -= hit.length;
      folded.length -= hit.length;
    }
  }
  return kept;
}

/**
 * Strip mode: cut to `maxLength` code points (never splitting a surrogate pair), then remove the patterns
 * case-insensitively, then the characters, then the patterns that removing a character joined (`java'script:`).
 * The output holds nothing the filter removes. No trimming.
 *
 * Cutting first bounds the work by `maxLength`, whatever the size of the argument, and each step is one linear pass
 * (an earlier version repeated whole-string replacements until nothing changed: quadratic on nested patterns).
 *
 * @example stripInjection("'; DROP TABLE users; --", 1000) // " DROP TABLE users "
 */
export function stripInjection(value: string, maxLength: number): string {
  const cut = cutCodePoints(value, maxLength);
  // Nothing to remove: the passes below would return `cut` as it is, so skip their per-code-point work.
  if (!REMOVABLE.test(cut)) return cut;
  const withoutCharacters = removePatterns(cut).filter((c) => !CHARACTERS.has(c));
  return removePatterns(withoutCharacters).join('');
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
