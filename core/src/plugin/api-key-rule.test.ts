import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { apiKeyProblems } from './api-key-rule.js';

const vectors = JSON.parse(readFileSync(new URL('../../../test/fixtures/vectors/apikeys.json', import.meta.url), 'utf8')) as {
  valid: string[];
  invalid: { key: string; why: string }[];
};

describe('API key complexity rule (test/fixtures/vectors/apikeys.json)', () => {
  it.each(vectors.valid)('accepts %s', (key) => {
    expect(apiKeyProblems(key)).toEqual([]);
  });

  it.each(vectors.invalid)('rejects $key ($why)', ({ key }) => {
    const problems = apiKeyProblems(key);
    expect(problems.length).toBeGreaterThan(0);
    // Messages are built from counts only, so they can be shown and logged.
    for (const problem of problems) expect(problem).toMatch(/^(is \d+ characters long|uses \d of the 4 character classes)/);
  });
});
