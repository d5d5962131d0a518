// SDK v2 client pinned to 2026-07-28 spawning `cnmcp serve --transport stdio`: the modern era over stdio.
import { describe } from 'vitest';
import { connectModernStdio, MODERN_PROTOCOL, stdioServerParameters } from '../support/clients.js';
import { E2E_PACK_PATH } from '../support/e2e-pack.js';
import { CLI_PATH, settlementsFromLogs, sleepsStartedFromLogs, writeStdioConfig } from '../support/stdio-server.js';
import { CONTRACT_LIMITS, defineToolCallContract } from '../support/tool-call-contract.js';

describe('SDK v2 client on 2026-07-28 over stdio', () => {
  defineToolCallContract(async () => {
    const config = writeStdioConfig(E2E_PACK_PATH, CONTRACT_LIMITS);
    let logs: () => readonly Record<string, unknown>[] = () => [];
    return {
      connect: async () => {
        const client = await connectModernStdio(stdioServerParameters(CLI_PATH, config.path));
        logs = () => client.logs();
        return client;
      },
      // One child process serves the whole suite: a pinned connect spawns a probe sibling, then the real child.
      connection: 'per-suite',
      protocolVersion: MODERN_PROTOCOL,
      sleepsStarted: () => sleepsStartedFromLogs(logs()),
      settlements: () => settlementsFromLogs(logs()),
      cancellationReachesHandler: true,
      close: async () => config.remove(),
    };
  });
});
