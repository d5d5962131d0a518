import type { ContentBlock, ToolResult } from '../plugin/ports/tool-pack.js';

const size = (value: unknown) => Buffer.byteLength(JSON.stringify(value) ?? '', 'utf8');

/**
 * Keeps a result under `maxBytes` (its JSON size). Text is cut at a character boundary, blocks that no longer fit
 * are dropped, oversize structured content is dropped, and a final text block says what was cut, so the model
 * never mistakes a partial answer for a whole one.
 */
export function truncateResult(result: ToolResult, maxBytes: number): ToolResult {
  if (surelyFits(result, maxBytes)) return result;
  const total = size(result);
  if (total <= maxBytes) return result;
  let budget = maxBytes - 512; // room for the note and JSON framing
  const content: ContentBlock[] = [];
  let dropped = 0;
  for (const block of result.content) {
    const blockSize = size(block);
    if (blockSize <= budget) {
      content.push(block);
      budget -= blockSize;
    } else if (block.type === 'text' && budget > 64) {
      const text = cutToBytes(block.text, budget - 64);
      content.push({ type: 'text', text });
      budget = 0;
    } else dropped++;
  }
  const keepStructured = result.structuredContent !== undefined && size(result.structuredContent) <= budget;
  const note = `[cnmcp: result truncated from ${total} to at most ${maxBytes} bytes${dropped ? `; ${dropped} content block(s) dropped` : ''}${
    result.structuredContent !== undefined && !keepStructured ? '; structured content dropped' : ''
  }]`;
  return {
    content: [...content, { type: 'text', text: note }],
    ...(keepStructured ? { structuredContent: result.structuredContent } : {}),
    ...(result.isError ? { isError: true } : {}),
  };
}

/**
 * True when plain text blocks are certain to fit without serializing them: a UTF-16 code unit is at most 6 bytes
 * of JSON (`\uXXXX`), and 64 bytes cover each block's framing. Most results are far below the limit.
 */
function surelyFits(result: ToolResult, maxBytes: number): boolean {
  for (const key in result) if (key !== 'content' && key !== 'isError') return false;
  let bound = 64;
  for (const block of result.content) {
    if (block.type !== 'text') return false;
    for (const key in block) if (key !== 'type' && key !== 'text') return false;
    bound += 6 * block.text.length + 64;
  }
  return bound <= maxBytes;
}

function cutToBytes(text: string, maxBytes: number): string {
  let bytes = 0;
  let out = '';
  for (const char of text) {
    const charBytes = Buffer.byteLength(char, 'utf8') + (char === '"' || char === '\\' ? 1 : 0);
    if (bytes + charBytes > maxBytes) break;
    bytes += charBytes;
    out += char;
  }
  return out;
}
