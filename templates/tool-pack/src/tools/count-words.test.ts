import { describe, expect, it } from 'vitest';
import { countWords } from './count-words.js';

describe('countWords', () => {
  it('counts words case-insensitively and ranks the most frequent first', () => {
    expect(countWords('The cat saw the other cat. THE end', 2)).toEqual({
      words: 8,
      distinct: 5,
      top: [
        { word: 'the', count: 3 },
        { word: 'cat', count: 2 },
      ],
    });
  });

  it('finds no words in punctuation', () => {
    expect(countWords(' ... !! ', 5)).toEqual({ words: 0, distinct: 0, top: [] });
  });
});
