// (c) fastmcp (npm `fastmcp`, built on SDK v1): the same echo tool, its HTTP stream transport in stateless mode
// with JSON responses, the closest fastmcp comes to the other servers' per-request serving.
import { FastMCP } from 'fastmcp';
import * as z from 'zod';

const port = Number(process.env.PORT);
const server = new FastMCP({ name: 'bench-fastmcp', version: '1.0.0', logger: { debug() {}, error() {}, info() {}, log() {}, warn() {} } });
server.addTool({
  name: 'echo',
  description: 'Returns its input text',
  parameters: z.object({ text: z.string() }),
  annotations: { readOnlyHint: true },
  execute: async ({ text }) => ({ content: [{ type: 'text', text }] }),
});
await server.start({ transportType: 'httpStream', httpStream: { port, host: '127.0.0.1', endpoint: '/mcp', stateless: true, enableJsonResponse: true } });
