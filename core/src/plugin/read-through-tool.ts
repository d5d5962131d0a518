import { CnmcpError } from './errors.js';
import type { ReadContext, ResourceContents, ToolDefinition } from './ports/tool-pack.js';

/**
 * Runs one of the pack's own read-only tools for a resource read, a prompt or a completion, so the read goes
 * through exactly what the tool does (guard rails, impersonation, backend spans). Returns the tool's structured
 * content; a tool that reports an error becomes READ_FAILED with its text, which the client sees.
 *
 * @example
 * const { items } = await readThroughTool(listTool, { kind: 'namespaces' }, ctx);
 */
export async function readThroughTool(tool: ToolDefinition, args: Record<string, unknown>, ctx: ReadContext): Promise<Readonly<Record<string, unknown>>> {
  if (tool.annotations?.readOnlyHint !== true) throw new CnmcpError('READ_FAILED', `${tool.name} changes things: a read never runs it`);
  const result = await tool.handler(args, ctx);
  const text = result.content.map((block) => (block.type === 'text' ? block.text : '')).join('\n');
  if (result.isError) throw new CnmcpError('READ_FAILED', text || `${tool.name} failed`);
  return result.structuredContent ?? { text };
}

/** One JSON document as a resource's contents. */
export function jsonContents(uri: string, value: unknown): ResourceContents[] {
  return [{ uri, mimeType: 'application/json', text: JSON.stringify(value, null, 1) }];
}
