// Calls one tool with the MCP SDK client and prints the result as JSON. Run as its own process so it can trust a
// test CA the way a user's client does: NODE_EXTRA_CA_CERTS=ca.pem node call-tool.mjs URL TOOL ARGS_JSON
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';

const [url, name, args] = process.argv.slice(2);
const client = new Client({ name: 'scaffold-test', version: '1.0.0' }, { versionNegotiation: { mode: { pin: '2026-07-28' } } });
await client.connect(new StreamableHTTPClientTransport(new URL(url)));
const result = await client.callTool({ name, arguments: JSON.parse(args ?? '{}') });
await client.close();
process.stdout.write(JSON.stringify(result));
