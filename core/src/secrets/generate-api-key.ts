import { randomInt } from 'node:crypto';
import { API_KEY_MIN_LENGTH, API_KEY_SPECIALS, apiKeyProblems } from '../plugin/api-key-rule.js';

const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const DIGITS = '0123456789';
const ALPHABET = UPPER + LOWER + DIGITS + API_KEY_SPECIALS;
const CLASSES = [UPPER, LOWER, DIGITS, API_KEY_SPECIALS];

export const DEFAULT_API_KEY_LENGTH = 32;

/**
 * A random API key that meets the complexity rule and has at least one character of each of the 4 classes.
 * Each character is drawn with `crypto.randomInt` (no modulo bias); a draw missing a class is thrown away and
 * drawn again, so keys are uniform over all valid keys (at 32 characters about 1 draw in 70,000 is redrawn).
 *
 * @example generateApiKey() // 'q7]Vd|K2;x...' (32 characters)
 */
export function generateApiKey(length = DEFAULT_API_KEY_LENGTH): string {
  if (!Number.isInteger(length) || length < API_KEY_MIN_LENGTH || length > 1024) {
    throw new RangeError(`API key length must be an integer from ${API_KEY_MIN_LENGTH} to 1024`);
  }
  for (;;) {
    let key = '';
    for (let i = 0; i < length; i++) key += ALPHABET[randomInt(ALPHABET.length)];
    if (CLASSES.every((chars) => [...key].some((c) => chars.includes(c))) && apiKeyProblems(key).length === 0) return key;
  }
}
