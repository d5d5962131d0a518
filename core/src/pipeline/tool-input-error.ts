import type { ToolResult } from '../plugin/ports/tool-pack.js';
import { answersToolResult } from './stage-error.js';
import type { Stop } from './verdict.js';

/**
 * Arguments the tool's schema (validate) or the sanitizer refused are answered as a tool result: both MCP
 * generations (2025-11-25 and 2026-07-28) classify input validation as a tool execution error, which the model
 * reads and corrects. The stage still stopped the call (the handler never ran, the refusal is audited); only the
 * answer's shape differs. Which codes do so is marked in the stop-code table (stage-error.ts).
 */
export function toolInputError(method: string, refusal: Pick<Stop, 'code' | 'message'>): ToolResult | undefined {
  if (method !== 'tools/call' || !answersToolResult(refusal.code)) return undefined;
  return { content: [{ type: 'text', text: refusal.message }], isError: true };
}
