// (b2) Bare SDK v2: createMcpHandler (2026-07-28 per-request serving, stateless 2025 fallback) with a
// factory registering the echo tool, wrapped once with toNodeHandler, on plain node:http.
import { createServer } from 'node:http';
import { McpServer, createMcpHandler } from '@modelcontextprotocol/server';
import { toNodeHandler } from '@modelcontextprotocol/node';
import * as z from 'zod';

const port = Number(process.env.PORT);

function factory() {
  const server = new McpServer({ name: 'bench-sdk-v2', version: '1.0.0' });
  server.registerTool(
    'echo',
    { description: 'Returns its input text', inputSchema: z.object({ text: z.string() }), annotations: { readOnlyHint: true } },
    async ({ text }) => ({ content: [{ type: 'text', text }] }),
  );
  return server;
}

const handle = toNodeHandler(createMcpHandler(factory, { onerror: (error) => console.error(error) }));

createServer((req, res) => {
  if (req.url !== '/mcp') return void res.writeHead(404).end();
  void handle(req, res);
}).listen(port, '127.0.0.1');
