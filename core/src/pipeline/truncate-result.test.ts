import { describe, expect, it } from 'vitest';
import { truncateResult } from './truncate-result.js';

describe('truncateResult', () => {
  it('leaves results under the cap untouched', () => {
    const result = { content: [{ type: 'text' as const, text: 'small' }] };
    expect(truncateResult(result, 4096)).toBe(result);
  });

  it('cuts text to fit, never splitting a character, and says so', () => {
    const text = '日本語'.repeat(5000);
    const out = truncateResult({ content: [{ type: 'text', text }], structuredContent: { big: text } }, 4096);
    expect(Buffer.byteLength(JSON.stringify(out))).toBeLessThanOrEqual(4096);
    const [first, note] = out.content;
    expect(first?.type === 'text' && text.startsWith(first.text)).toBe(true);
    expect(note).toEqual({ type: 'text', text: expect.stringMatching(/truncated from \d+ to at most 4096 bytes; structured content dropped/) });
    expect(out.structuredContent).toBeUndefined();
  });

  it('drops blocks that no longer fit and keeps the error flag', () => {
    const image = { type: 'image' as const, data: 'A'.repeat(10_000), mimeType: 'image/png' };
    const out = truncateResult({ content: [{ type: 'text', text: 'head' }, image], isError: true }, 2048);
    expect(out.content.map((b) => b.type)).toEqual(['text', 'text']);
    expect(out.isError).toBe(true);
    expect(out.content[1]).toMatchObject({ text: expect.stringContaining('1 content block(s) dropped') });
  });
});
