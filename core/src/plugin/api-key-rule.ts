/** The special characters that count as a class in the security guide's API key rule. */
export const API_KEY_SPECIALS = '!@#$%^&*()_+-=[]{}|;:,.<>?';

export const API_KEY_MIN_LENGTH = 16;

/**
 * The security guide's API key complexity rule: at least 16 characters and at least 3 of 4 classes (uppercase,
 * lowercase, digits, the specials above). Other characters are allowed but count for no class. Returns what the
 * key breaks, in words safe to show (never the key); empty when the key is acceptable.
 *
 * @example apiKeyProblems('abcdefgh12345678') // ['uses 2 of the 4 character classes (needs 3): ...']
 */
export function apiKeyProblems(key: string): string[] {
  const problems: string[] = [];
  const length = [...key].length;
  if (length < API_KEY_MIN_LENGTH) problems.push(`is ${length} characters long (needs at least ${API_KEY_MIN_LENGTH})`);
  const classes = [/[A-Z]/.test(key), /[a-z]/.test(key), /[0-9]/.test(key), [...key].some((c) => API_KEY_SPECIALS.includes(c))].filter(Boolean).length;
  if (classes < 3) problems.push(`uses ${classes} of the 4 character classes (needs 3): uppercase, lowercase, digits, specials ${API_KEY_SPECIALS}`);
  return problems;
}
