import type { ToolResult } from '../plugin/ports/tool-pack.js';
import type { Stop } from './verdict.js';

/**
 * Arguments the tool's schema (validate) or the sanitizer refused. Both MCP generations (2025-11-25 and
 * 2026-07-28) classify input validation as a tool execution error: the model reads it and corrects the call. The
 * stage still stopped the call (the handler never ran, the refusal is audited); only the answer's shape differs.
 */
const INPUT_ERRORS: ReadonlySet<string> = new Set(['INVALID_ARGUMENTS', 'INPUT_REJECTED']);

/** The `isError` result a refused tools/call answers, naming each field; undefined for any other refusal. */
export function toolInputError(method: string, refusal: Pick<Stop, 'code' | 'message'>): ToolResult | undefined {
  if (method !== 'tools/call' || !INPUT_ERRORS.has(refusal.code)) return undefined;
  return { content: [{ type: 'text', text: refusal.message }], isError: true };
}
