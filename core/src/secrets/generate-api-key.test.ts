import { describe, expect, it } from 'vitest';
import { API_KEY_SPECIALS, apiKeyProblems } from '../plugin/api-key-rule.js';
import { generateApiKey } from './generate-api-key.js';

describe('generateApiKey', () => {
  it('meets the complexity rule with every class present, over 10,000 generated keys', () => {
    const seen = new Set<string>();
    const counts = new Map<string, number>();
    for (let i = 0; i < 10_000; i++) {
      const key = generateApiKey();
      expect(key).toHaveLength(32);
      expect(apiKeyProblems(key)).toEqual([]);
      expect(/[A-Z]/.test(key) && /[a-z]/.test(key) && /[0-9]/.test(key) && [...key].some((c) => API_KEY_SPECIALS.includes(c))).toBe(true);
      expect(key).toMatch(/^[\x21-\x7e]+$/); // printable ASCII: a header carries it unchanged
      seen.add(key);
      for (const c of key) counts.set(c, (counts.get(c) ?? 0) + 1);
    }
    expect(seen.size).toBe(10_000);
    // 320,000 draws over 88 characters: about 3,636 each. A biased or narrowed alphabet would fall far outside this band.
    expect(counts.size).toBe(88);
    for (const n of counts.values()) expect(n > 3_100 && n < 4_200, `a character was drawn ${n} times`).toBe(true);
  });

  it('honours a length from the rule minimum upwards, and refuses shorter', () => {
    for (let i = 0; i < 500; i++) expect(apiKeyProblems(generateApiKey(16))).toEqual([]);
    expect(generateApiKey(64)).toHaveLength(64);
    expect(() => generateApiKey(15)).toThrow(RangeError);
    expect(() => generateApiKey(20.5)).toThrow(RangeError);
  });
});
