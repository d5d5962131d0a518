// SDK v2 client pinned to 2026-07-28 (stateless: no handshake, no session) over Streamable HTTP at /mcp.
import { describe } from 'vitest';
import { connectModernHttp, MODERN_PROTOCOL } from '../support/clients.js';
import { defineToolCallContract, startContractKernel } from '../support/tool-call-contract.js';

describe('SDK v2 client on 2026-07-28 over Streamable HTTP', () => {
  defineToolCallContract(async () => {
    const { kernel, sleepsStarted, settlements } = await startContractKernel();
    return {
      connect: () => connectModernHttp(kernel.url),
      connection: 'per-test',
      protocolVersion: MODERN_PROTOCOL,
      sleepsStarted: () => sleepsStarted,
      settlements: () => settlements,
      // The client aborts the POST; the SDK aborts the request's signal when its connection closes.
      cancellationReachesHandler: true,
      close: () => kernel.close(),
    };
  });
});

describe('SDK v2 client on 2026-07-28 over Streamable HTTP, server.sessions: stateful', () => {
  // Sessions are a 2025-era notion: modern requests must be served exactly as on a stateless server.
  defineToolCallContract(async () => {
    const { kernel, sleepsStarted, settlements } = await startContractKernel({ sessions: 'stateful' });
    return {
      connect: () => connectModernHttp(kernel.url),
      connection: 'per-test',
      protocolVersion: MODERN_PROTOCOL,
      sleepsStarted: () => sleepsStarted,
      settlements: () => settlements,
      cancellationReachesHandler: true,
      close: () => kernel.close(),
    };
  });
});
