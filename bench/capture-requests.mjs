// Captures one real tools/call request from each official client, so the load generator sends exactly
// what a real client sends. Writes bench/requests.json; run it again after upgrading an SDK:
//   node bench/capture-requests.mjs
//  - "2026-07-28": @modelcontextprotocol/client (v2) pinned to 2026-07-28, against bench/servers/sdk-v2.mjs
//  - "2025-11-25": @modelcontextprotocol/sdk (v1) Client, against bench/servers/sdk-v1.mjs
// Only the headers the client itself sets are kept (the load generator adds host and content-length).
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Client as ClientV2, StreamableHTTPClientTransport as TransportV2 } from '@modelcontextprotocol/client';
import { Client as ClientV1 } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport as TransportV1 } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { freePort, httpOnce, killChildrenOnExit, startServer, stopServer } from './processes.mjs';

const ECHO_TEXT = 'hello from the cnmcp bench';

/** A fetch that remembers the tools/call request passing through it. */
function capturingFetch(captured) {
  return async (url, init = {}) => {
    const body = typeof init.body === 'string' ? init.body : undefined;
    if (body && JSON.parse(body).method === 'tools/call') {
      captured.push({ method: init.method ?? 'GET', path: new URL(url).pathname, headers: Object.fromEntries(new Headers(init.headers).entries()), body });
    }
    return fetch(url, init);
  };
}

async function capture(file, makeClient, makeTransport) {
  const anyAnswer = async (port) => Boolean(await httpOnce(port, { path: '/mcp' }));
  const server = await startServer({ name: file, args: [`bench/servers/${file}`], port: await freePort(), isReady: anyAnswer });
  try {
    const captured = [];
    const client = makeClient();
    await client.connect(makeTransport(new URL(`http://127.0.0.1:${server.port}/mcp`), capturingFetch(captured)));
    const result = await client.callTool({ name: 'echo', arguments: { text: ECHO_TEXT } });
    if (result.content?.[0]?.text !== ECHO_TEXT) throw new Error(`${file}: echo returned ${JSON.stringify(result)}`);
    await client.close();
    if (captured.length !== 1) throw new Error(`${file}: expected one tools/call request, saw ${captured.length}`);
    return captured[0];
  } finally {
    await stopServer(server);
  }
}

killChildrenOnExit();
const clientInfo = { name: 'cnmcp-bench', version: '1.0.0' };
const requests = {
  text: ECHO_TEXT,
  '2026-07-28': await capture(
    'sdk-v2.mjs',
    () => new ClientV2(clientInfo, { versionNegotiation: { mode: { pin: '2026-07-28' } } }),
    (url, fetch) => new TransportV2(url, { fetch }),
  ),
  '2025-11-25': await capture(
    'sdk-v1.mjs',
    () => new ClientV1(clientInfo),
    (url, fetch) => new TransportV1(url, { fetch }),
  ),
};
const out = fileURLToPath(new URL('./requests.json', import.meta.url));
writeFileSync(out, `${JSON.stringify(requests, null, 2)}\n`);
console.log(`wrote ${out}`);
console.log(JSON.stringify(requests, null, 2));
