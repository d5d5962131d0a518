import type { ToolContext, ToolDefinition, ToolResult } from '@cnmcp/core/plugin';
import { BackendFailure } from './backend-failure.js';

/** Most characters of readable text a tool returns; longer text is cut and the cut is stated. */
export const MAX_TEXT_CHARS = 60_000;

export function toolError(text: string): ToolResult {
  return { isError: true, content: [{ type: 'text', text }] };
}

/** A structured result plus readable text (cut at MAX_TEXT_CHARS, saying so) for clients that ignore `structuredContent`. */
export function structuredResult(data: Record<string, unknown>, text: string): ToolResult {
  const cut =
    text.length > MAX_TEXT_CHARS
      ? `${text.slice(0, MAX_TEXT_CHARS)}\n[text truncated at ${MAX_TEXT_CHARS} characters; the structured content is complete]`
      : text;
  return { structuredContent: data, content: [{ type: 'text', text: cut }] };
}

/** A tool input the handler found wrong after schema validation (e.g. an unknown kind). */
export class InputProblem extends Error {}

/**
 * Wraps a handler so that every failure is a tool result the model can act on, never a protocol error: backend
 * failures carry their own explanation, input problems theirs, anything else says what failed.
 */
export function guarded<Args>(tool: Omit<ToolDefinition<Args>, 'handler'> & { run(args: Args, ctx: ToolContext): Promise<ToolResult> }): ToolDefinition<Args> {
  const { run, ...definition } = tool;
  return {
    ...definition,
    async handler(args, ctx) {
      try {
        return await run(args, ctx);
      } catch (error) {
        if (error instanceof BackendFailure || error instanceof InputProblem) return toolError(error.message);
        ctx.logger.error('kubernetes tool failed unexpectedly', { tool: tool.name, error: (error as Error).message });
        return toolError(`${tool.name} failed: ${(error as Error).message}`);
      }
    },
  };
}
