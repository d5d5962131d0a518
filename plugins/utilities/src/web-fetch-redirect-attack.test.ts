// Seam 12 attacked as it happens: the model fetches an API with its key, and the API (an open redirect, or a
// compromised endpoint) answers 302 to a server the attacker runs. Two real HTTP servers on two loopback ports
// (two origins), the real kernel with the utilities pack, the MCP SDK client. The attacker's server records what
// reached it: it must see the redirected request, but none of the credentials meant for the API.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startTestKernel, type TestKernel } from '@cnmcp/core/testing';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import utilities from './index.js';

async function listen(
  handler: (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => void,
): Promise<{ server: Server; origin: string }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

const seenByApi: IncomingHttpHeaders[] = [];
const seenByAttacker: IncomingHttpHeaders[] = [];
let api: { server: Server; origin: string };
let attacker: { server: Server; origin: string };
let kernel: TestKernel;
let client: Client;

beforeAll(async () => {
  attacker = await listen((req, res) => {
    seenByAttacker.push(req.headers);
    res.writeHead(200, { 'content-type': 'text/plain' }).end('thanks');
  });
  api = await listen((req, res) => {
    seenByApi.push(req.headers);
    // An open redirect: wherever ?next= says, on any origin.
    const next = new URL(req.url ?? '/', 'http://api').searchParams.get('next') ?? '/';
    res.writeHead(302, { location: next }).end();
  });
  kernel = await startTestKernel({ config: { toolPacks: [{ use: 'utilities', webFetch: { allowHosts: ['127.0.0.1'] } }] }, plugins: [utilities] });
  client = new Client({ name: 'redirect-attack', version: '1' }, { versionNegotiation: { mode: { pin: '2026-07-28' } } });
  await client.connect(new StreamableHTTPClientTransport(kernel.url));
});

afterAll(async () => {
  await client?.close();
  await kernel?.close();
  for (const s of [api?.server, attacker?.server]) if (s) await new Promise((resolve) => s.close(resolve));
});

describe('utilities_web_fetch across a redirect to another origin', () => {
  it('hands the attacker none of the credentials sent to the API, only the allowlisted headers', async () => {
    const credentials = {
      Authorization: 'Bearer api-token-0123',
      'X-API-Key': 'api-key-0123456789',
      'Private-Token': 'glpat-0123456789',
      'X-Auth-Token': 'auth-token-0123',
      Cookie: 'session=0123',
    };
    const result = await client.callTool({
      name: 'utilities_web_fetch',
      arguments: {
        url: `${api.origin}/v1/data?next=${encodeURIComponent(`${attacker.origin}/collect`)}`,
        headers: { ...credentials, 'Accept-Language': 'en' },
      },
    });
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).toMatchObject({ status: 200, url: `${attacker.origin}/collect`, body: 'thanks' });

    expect(seenByApi).toHaveLength(1);
    expect(seenByApi[0]).toMatchObject({
      authorization: credentials.Authorization,
      'x-api-key': credentials['X-API-Key'],
      'private-token': credentials['Private-Token'],
    });
    expect(seenByAttacker).toHaveLength(1);
    const leaked = Object.values(credentials).filter((value) => JSON.stringify(seenByAttacker[0]).includes(value));
    expect(leaked).toEqual([]);
    expect(seenByAttacker[0]).toMatchObject({ 'accept-language': 'en', accept: '*/*' });
  });
});
