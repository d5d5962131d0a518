import { createHash } from 'node:crypto';
import type { Attributes } from '@opentelemetry/api';

/** The JSON-RPC message a span stands for, as the pipeline holds it. */
export interface TracedMessage {
  readonly method: string;
  readonly id: string;
  readonly params: Readonly<Record<string, unknown>>;
}

/**
 * The OpenTelemetry MCP semantic conventions for the span of one message (`mcp.method.name`, `jsonrpc.request.id`,
 * `gen_ai.tool.name`, ...). `mcp.session.id` is a SHA-256 prefix of the session id, never the id itself: the id
 * routes requests into a live session, so whoever reads traces must not be able to present it.
 */
export function mcpSpanAttributes(message: TracedMessage, session: string | undefined, transport: string): Attributes {
  const attributes: Attributes = {
    'mcp.method.name': message.method,
    'jsonrpc.request.id': message.id,
    'jsonrpc.protocol.version': '2.0',
    'network.transport': transport === 'stdio' ? 'pipe' : 'tcp',
  };
  if (session !== undefined) attributes['mcp.session.id'] = createHash('sha256').update(session).digest('hex').slice(0, 32);
  const name = typeof message.params.name === 'string' ? message.params.name : undefined;
  if (message.method === 'tools/call' && name !== undefined) {
    attributes['gen_ai.tool.name'] = name;
    attributes['gen_ai.operation.name'] = 'execute_tool';
  } else if (message.method === 'prompts/get' && name !== undefined) attributes['gen_ai.prompt.name'] = name;
  return attributes;
}
