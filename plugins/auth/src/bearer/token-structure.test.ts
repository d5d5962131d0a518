import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { hasJwtStructure } from './token-structure.js';

type Vectors = { structurally_valid: string[]; structurally_invalid: { token: string; why: string }[] };
const vectors = JSON.parse(readFileSync(new URL('../../../../test/fixtures/vectors/bearer-structure.json', import.meta.url), 'utf8')) as Vectors;

describe('bearer token structure (security guide vectors)', () => {
  it('has vectors to check', () => {
    expect(vectors.structurally_valid.length).toBeGreaterThan(0);
    expect(vectors.structurally_invalid.length).toBeGreaterThan(0);
  });

  it.each(vectors.structurally_valid.map((token, i) => [i, token] as const))('accepts valid vector %i', (_i, token) => {
    expect(hasJwtStructure(token)).toBe(true);
  });

  it.each(vectors.structurally_invalid.map(({ token, why }) => [why, token] as const))('rejects: %s', (_why, token) => {
    expect(hasJwtStructure(token)).toBe(false);
  });

  it('rejects a leading space, a fourth part and a newline', () => {
    const valid = vectors.structurally_valid[0]!;
    for (const token of [` ${valid}`, `${valid}.abcd`, `${valid}\n`, valid.replace('.', '\n.')]) expect(hasJwtStructure(token)).toBe(false);
  });
});
