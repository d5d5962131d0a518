import type { ToolDefinition } from '@cnmcp/core/plugin';

// A type alias, not an interface: tool argument types must be assignable to Record<string, unknown>.
export type CountWordsArgs = { readonly text: string; readonly top?: number };

/** Words are runs of letters, digits and apostrophes, compared case-insensitively. */
export function countWords(text: string, top: number): { words: number; distinct: number; top: { word: string; count: number }[] } {
  const counts = new Map<string, number>();
  for (const match of text.toLowerCase().matchAll(/[\p{L}\p{N}']+/gu)) counts.set(match[0], (counts.get(match[0]) ?? 0) + 1);
  const words = [...counts.values()].reduce((sum, n) => sum + n, 0);
  const ranked = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, top);
  return { words, distinct: counts.size, top: ranked.map(([word, count]) => ({ word, count })) };
}

/**
 * The example tool. The kernel validates arguments against `inputSchema` (the handler never sees anything else),
 * runs the configured sanitizer over `text`, enforces the call's timeout and truncates oversized results.
 */
export function createCountWordsTool(maxTextLength: number): ToolDefinition<CountWordsArgs> {
  return {
    name: 'my_plugin_count_words',
    title: 'Count words',
    description: 'Counts the words in a text and returns the most frequent ones, case-insensitively.',
    inputSchema: {
      type: 'object',
      properties: {
        // `filter`: the configured sanitizer may strip or reject prompt-injection markers in free text.
        text: { type: 'string', minLength: 1, maxLength: maxTextLength, 'x-cnmcp-sanitize': 'filter', description: 'The text to count words in.' },
        top: { type: 'integer', minimum: 1, maximum: 50, default: 5, description: 'How many of the most frequent words to return.' },
      },
      required: ['text'],
      additionalProperties: false,
    },
    outputSchema: {
      type: 'object',
      properties: {
        words: { type: 'integer', description: 'Number of words.' },
        distinct: { type: 'integer', description: 'Number of different words.' },
        top: {
          type: 'array',
          description: 'Most frequent words, most frequent first.',
          items: { type: 'object', properties: { word: { type: 'string' }, count: { type: 'integer' } }, required: ['word', 'count'] },
        },
      },
      required: ['words', 'distinct', 'top'],
    },
    // Truthful hints: authorizers rely on them (read-only mode allows only readOnlyHint: true).
    annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    async handler({ text, top = 5 }, ctx) {
      const result = countWords(text, top);
      // A failure the model can read and act on is an isError result, not a thrown error.
      if (result.words === 0) return { isError: true, content: [{ type: 'text', text: 'The text contains no words (only spaces or punctuation).' }] };
      ctx.logger.debug('counted words', { words: result.words });
      const summary = `${result.words} words, ${result.distinct} distinct; most frequent: ${result.top.map((t) => `${t.word} (${t.count})`).join(', ')}`;
      return { content: [{ type: 'text', text: summary }], structuredContent: result };
    },
  };
}
