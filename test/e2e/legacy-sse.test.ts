// SDK v1 client over the legacy HTTP+SSE transport: GET /sse opens the stream, POST /messages?sessionId= delivers.
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectLegacySse, LEGACY_PROTOCOL } from '../support/clients.js';
import { rawRequest } from '../support/raw-http.js';
import { defineToolCallContract, startContractKernel, type ContractKernel } from '../support/tool-call-contract.js';

describe('SDK v1 client (2025-11-25 handshake) over legacy SSE', () => {
  defineToolCallContract(async () => {
    const { kernel, sleepsStarted, settlements } = await startContractKernel();
    return {
      connect: () => connectLegacySse(kernel.origin),
      connection: 'per-test',
      protocolVersion: LEGACY_PROTOCOL,
      sleepsStarted: () => sleepsStarted,
      settlements: () => settlements,
      // notifications/cancelled reaches the session that runs the call.
      cancellationReachesHandler: true,
      close: () => kernel.close(),
    };
  });
});

describe('legacy SSE /messages on the wire', () => {
  let server: ContractKernel | undefined;
  beforeAll(async () => {
    server = await startContractKernel();
  });
  afterAll(() => server?.kernel.close());

  /** Opens GET /sse and resolves with the POST endpoint its first event names (the stream stays open). */
  const openStream = () =>
    new Promise<{ endpoint: URL; close: () => void }>((resolve, reject) => {
      const req = request(new URL('/sse', server!.kernel.origin), { headers: { accept: 'text/event-stream' }, agent: false }, (res) => {
        res.setEncoding('utf8');
        let seen = '';
        res.on('data', (chunk: string) => {
          seen += chunk;
          const data = /event: endpoint\ndata: (\S+)/.exec(seen)?.[1];
          if (data) resolve({ endpoint: new URL(data, server!.kernel.origin), close: () => req.destroy() });
        });
      });
      req.on('error', reject);
      req.end();
    });

  it('answers 400 -32600 to a body that is not JSON-RPC, and 202 to one that is', async () => {
    const { endpoint, close } = await openStream();
    try {
      const post = (body: unknown) => rawRequest(endpoint, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      for (const junk of [{ hello: 'world' }, [], [{ jsonrpc: '2.0', method: 'ping', id: 1 }, 42], 'text'] as unknown[]) {
        const refused = await post(junk);
        expect(refused.status, JSON.stringify(junk)).toBe(400);
        expect(JSON.parse(refused.body)).toMatchObject({ error: { code: -32600 } });
      }
      expect((await post({ jsonrpc: '2.0', method: 'notifications/initialized' })).status).toBe(202);
    } finally {
      close();
    }
  });
});
