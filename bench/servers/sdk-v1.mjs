// (b1) Bare SDK v1 (@modelcontextprotocol/sdk), its documented stateless recipe on plain node:http:
// a new McpServer and StreamableHTTPServerTransport({ sessionIdGenerator: undefined }) per request.
import { createServer } from 'node:http';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import * as z from 'zod/v4';

const port = Number(process.env.PORT);

function getServer() {
  const server = new McpServer({ name: 'bench-sdk-v1', version: '1.0.0' });
  server.registerTool(
    'echo',
    { description: 'Returns its input text', inputSchema: { text: z.string() }, annotations: { readOnlyHint: true } },
    async ({ text }) => ({ content: [{ type: 'text', text }] }),
  );
  return server;
}

createServer(async (req, res) => {
  if (req.method !== 'POST' || req.url !== '/mcp') return void res.writeHead(405).end();
  const server = getServer();
  try {
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
    await server.connect(transport);
    await transport.handleRequest(req, res);
    res.on('close', () => {
      transport.close();
      server.close();
    });
  } catch (error) {
    console.error(error);
    if (!res.headersSent) res.writeHead(500).end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32603, message: 'Internal server error' }, id: null }));
  }
}).listen(port, '127.0.0.1');
