// SDK v1 client over the legacy HTTP+SSE transport: GET /sse opens the stream, POST /messages?sessionId= delivers.
import { describe } from 'vitest';
import { connectLegacySse, LEGACY_PROTOCOL } from '../support/clients.js';
import { defineToolCallContract, startContractKernel } from '../support/tool-call-contract.js';

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
