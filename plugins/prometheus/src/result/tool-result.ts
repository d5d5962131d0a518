import type { ToolResult } from '@cnmcp/core/plugin';

/** A failure the model should read and can act on (bad input, backend down, refused credentials). */
export function toolError(text: string): ToolResult {
  return { isError: true, content: [{ type: 'text', text }] };
}

/** A structured result plus a readable text block, for clients that ignore `structuredContent`. */
export function structuredResult(data: Record<string, unknown>, text: string): ToolResult {
  return { structuredContent: data, content: [{ type: 'text', text }] };
}
