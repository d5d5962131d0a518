import { describe, expect, it } from 'vitest';
import { PageTokenError, pageFields, pageNote, paginate } from './page.js';

const limits = { defaultLimit: 2, maxLimit: 3 };
const items = ['a', 'b', 'c', 'd', 'e'];

describe('paginate', () => {
  it('walks every item exactly once with continue tokens, and says when it truncated', () => {
    const seen: string[] = [];
    let args: Record<string, unknown> = { query: 'x' };
    for (let guard = 0; guard < 10; guard++) {
      const page = paginate(items, 'tool', args, limits);
      seen.push(...page.items);
      if (!page.continue) {
        expect(pageNote(page, 'things')).toBe('1 of 5 things.');
        break;
      }
      expect(pageNote(page, 'things')).toBe(`Showing 2 of 5 things (truncated). For the next page call again with continue: "${page.continue}".`);
      expect(pageFields(page)).toMatchObject({ total: 5, returned: 2, truncated: true });
      args = { query: 'x', continue: page.continue };
    }
    expect(seen).toEqual(items);
  });

  it('caps limit at the maximum', () => {
    expect(paginate(items, 'tool', { limit: 100 }, limits).items).toHaveLength(3);
  });

  it('accepts a different limit with the same token, but refuses a token from another call', () => {
    const first = paginate(items, 'tool', { query: 'x' }, limits);
    expect(paginate(items, 'tool', { query: 'x', limit: 3, continue: first.continue }, limits).items).toEqual(['c', 'd', 'e']);
    expect(() => paginate(items, 'tool', { query: 'y', continue: first.continue }, limits)).toThrow(PageTokenError);
    expect(() => paginate(items, 'other', { query: 'x', continue: first.continue }, limits)).toThrow(/belongs to a call with other arguments/);
  });

  it('refuses a forged or malformed token', () => {
    expect(() => paginate(items, 'tool', { continue: 'bm90LWpzb24' }, limits)).toThrow(/malformed/);
    expect(() => paginate(items, 'tool', { continue: Buffer.from('{"o":-1,"b":"x"}').toString('base64url') }, limits)).toThrow(/malformed/);
  });
});
