import type { ToolDefinition } from '../plugin/ports/tool-pack.js';
import type { FastRequest } from './fast-request.js';

/**
 * The JSON-RPC answers the fast path writes itself, precompiled where they can be: each tool's entry of
 * tools/list, the server-info `_meta` of 2026-07-28 results. A result outside the shapes known to come out of the
 * SDK unchanged (plain text blocks, optionally `isError: true`) encodes to undefined, and the SDK encodes it.
 */
export class FastAnswers {
  readonly #entries = new Map<string, string>();
  readonly #meta: string;

  constructor(info: { readonly name: string; readonly version: string }, tools: Iterable<ToolDefinition>) {
    this.#meta = JSON.stringify({ 'io.modelcontextprotocol/serverInfo': { name: info.name, version: info.version } });
    for (const t of tools) this.#entries.set(t.name, JSON.stringify(listEntry(t)));
  }

  /** The JSON of the answer to `request` whose method produced `value`, or undefined when the SDK must encode it. */
  encode(request: FastRequest, value: unknown): string | undefined {
    const result = request.method === 'tools/list' ? this.#toolsList(request, value) : this.#toolsCall(request, value);
    return result === undefined ? undefined : `{"result":${result},"jsonrpc":"2.0","id":${JSON.stringify(request.id)}}`;
  }

  #toolsList(request: FastRequest, value: unknown): string | undefined {
    if (!Array.isArray(value)) return undefined;
    const entries: string[] = [];
    for (const tool of value as ToolDefinition[]) {
      const entry = this.#entries.get(tool.name);
      if (entry === undefined) return undefined;
      entries.push(entry);
    }
    const tools = `{"tools":[${entries.join(',')}]`;
    return request.era === 'modern' ? `${tools},"resultType":"complete","ttlMs":0,"cacheScope":"private","_meta":${this.#meta}}` : `${tools}}`;
  }

  #toolsCall(request: FastRequest, value: unknown): string | undefined {
    if (!isPlainTextResult(value)) return undefined;
    const result = JSON.stringify(value);
    return request.era === 'modern' ? `${result.slice(0, -1)},"resultType":"complete","_meta":${this.#meta}}` : result;
  }
}

/** A tools/list entry as the MCP adapter lists it. */
function listEntry(t: ToolDefinition): Record<string, unknown> {
  return {
    name: t.name,
    ...(t.title ? { title: t.title } : {}),
    description: t.description,
    inputSchema: t.inputSchema,
    ...(t.outputSchema ? { outputSchema: t.outputSchema } : {}),
    ...(t.annotations ? { annotations: { ...t.annotations } } : {}),
  };
}

/** `{ content: [text blocks...] }`, optionally with `isError: true`: nothing the SDK projects, stamps or checks. */
function isPlainTextResult(value: unknown): boolean {
  if (value === null || typeof value !== 'object') return false;
  const result = value as Record<string, unknown>;
  for (const key in result) if (key !== 'content' && !(key === 'isError' && result.isError === true)) return false;
  const content = result.content;
  if (!Array.isArray(content) || content.length === 0) return false;
  for (const block of content) {
    if (block === null || typeof block !== 'object' || block.type !== 'text' || typeof block.text !== 'string') return false;
    for (const key in block) if (key !== 'type' && key !== 'text') return false;
  }
  return true;
}
