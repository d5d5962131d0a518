// (a) The ceiling: plain node:http, no MCP at all. Reads the request body (as any server must),
// then answers every POST with the same pre-serialised JSON-RPC result an echo tool would return.
import { createServer } from 'node:http';

const port = Number(process.env.PORT);
const text = process.env.BENCH_ECHO_TEXT ?? 'hello';
const id = JSON.parse(process.env.BENCH_REQUEST_ID ?? '1');
const body = Buffer.from(JSON.stringify({ jsonrpc: '2.0', id, result: { content: [{ type: 'text', text }] } }));

createServer((req, res) => {
  if (req.method !== 'POST') return void res.writeHead(405).end();
  req.resume();
  req.on('end', () => res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length }).end(body));
}).listen(port, '127.0.0.1');
