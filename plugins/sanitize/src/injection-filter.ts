// The security guide's injection filter (shared/vectors/sanitize.json): patterns removed case-insensitively and
// repeatedly until nothing changes, then single characters, then a cut to the length limit in code points.
const PATTERNS = ['<script>', 'javascript:', 'onload=', 'onerror=', '--', '/*', '*/', ';'];
const CHARACTERS = new Set([';', "'", '"', '|', '&', '$', '(', ')', '<', '>', '`']);

export function stripInjection(value: string, maxLength: number): string {
  let out = value;
  for (let previous = ''; previous !== out; ) {
    previous = out;
    for (const pattern of PATTERNS) out = removeAll(out, pattern);
  }
  out = [...out].filter((c) => !CHARACTERS.has(c)).join('');
  return cutCodePoints(out, maxLength);
}

/** What the filter would remove, in words safe to show (the value itself is never echoed). */
export function findInjection(value: string, maxLength: number): string | undefined {
  const detected = DETECTORS.find(([, detector]) => detector.test(value));
  if (detected) return `contains ${JSON.stringify(detected[0])}`;
  const character = [...value].find((c) => CHARACTERS.has(c));
  if (character) return `contains the character ${JSON.stringify(character)}`;
  if ([...value].length > maxLength) return `longer than ${maxLength} characters`;
  return undefined;
}

// A case-insensitive regular expression, not toLowerCase(): lowercasing can change a string's length.
const escape = (p: string) => p.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
const MATCHERS = new Map(PATTERNS.map((p) => [p, new RegExp(escape(p), 'giu')]));
const DETECTORS = PATTERNS.map((p) => [p, new RegExp(escape(p), 'iu')] as const);

const removeAll = (text: string, pattern: string): string => text.replace(MATCHERS.get(pattern)!, '');

export const cutCodePoints = (text: string, max: number): string => {
  const points = [...text];
  return points.length <= max ? text : points.slice(0, max).join('');
};
