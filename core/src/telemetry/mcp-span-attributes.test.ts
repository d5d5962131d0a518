import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { mcpSpanAttributes } from './mcp-span-attributes.js';

describe('MCP span attributes', () => {
  it('name the method, request id, tool and a hash of the session, never the session id itself', () => {
    const session = '5f0e9d1c-2b7a-4c1e-9a55-0d2f3b4c5d6e';
    const attributes = mcpSpanAttributes({ method: 'tools/call', id: '7', params: { name: 'k8s_list_pods', arguments: { a: 1 } } }, session, 'http');
    expect(attributes).toEqual({
      'mcp.method.name': 'tools/call',
      'jsonrpc.request.id': '7',
      'jsonrpc.protocol.version': '2.0',
      'network.transport': 'tcp',
      'mcp.session.id': createHash('sha256').update(session).digest('hex').slice(0, 32),
      'gen_ai.tool.name': 'k8s_list_pods',
      'gen_ai.operation.name': 'execute_tool',
    });
    expect(JSON.stringify(attributes)).not.toContain(session);
  });

  it('name a prompt, and the pipe transport of stdio', () => {
    expect(mcpSpanAttributes({ method: 'prompts/get', id: 'a', params: { name: 'triage' } }, undefined, 'stdio')).toEqual({
      'mcp.method.name': 'prompts/get',
      'jsonrpc.request.id': 'a',
      'jsonrpc.protocol.version': '2.0',
      'network.transport': 'pipe',
      'gen_ai.prompt.name': 'triage',
    });
  });
});
