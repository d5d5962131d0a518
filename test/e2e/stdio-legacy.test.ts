// SDK v1 client spawning `cnmcp serve --transport stdio` from the built CLI, the pack loaded by path.
import { describe } from 'vitest';
import { connectLegacyStdio, LEGACY_PROTOCOL, stdioServerParameters } from '../support/clients.js';
import { E2E_PACK_PATH } from '../support/e2e-pack.js';
import { CLI_PATH, settlementsFromLogs, sleepsStartedFromLogs, writeStdioConfig } from '../support/stdio-server.js';
import { CONTRACT_LIMITS, defineToolCallContract } from '../support/tool-call-contract.js';

describe('SDK v1 client (2025-11-25 handshake) over stdio', () => {
  defineToolCallContract(async () => {
    const config = writeStdioConfig(E2E_PACK_PATH, CONTRACT_LIMITS);
    let logs: () => readonly Record<string, unknown>[] = () => [];
    return {
      connect: async () => {
        const client = await connectLegacyStdio(stdioServerParameters(CLI_PATH, config.path));
        logs = () => client.logs();
        return client;
      },
      // One child process serves the whole suite: spawning the CLI costs a second or more.
      connection: 'per-suite',
      protocolVersion: LEGACY_PROTOCOL,
      sleepsStarted: () => sleepsStartedFromLogs(logs()),
      settlements: () => settlementsFromLogs(logs()),
      cancellationReachesHandler: true,
      close: async () => config.remove(),
    };
  });
});
