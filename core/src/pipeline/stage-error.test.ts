import { describe, expect, it } from 'vitest';
import { STAGE_ERRORS } from './stage-error.js';

const JSON_RPC = new Set([-32700, -32600, -32601, -32602, -32603]);
/** Codes the MCP spec itself defines and cnmcp answers with their spec meaning. */
const MCP_SPEC = new Set([-32002, -32021]);

describe('the stop-code table', () => {
  it('uses no code the 2026-07-28 revision reserves for the spec (-32020..-32099) unless it is the spec code itself', () => {
    const misplaced = Object.entries(STAGE_ERRORS)
      .filter(([, { jsonRpc }]) => !JSON_RPC.has(jsonRpc) && !MCP_SPEC.has(jsonRpc))
      .filter(([, { jsonRpc }]) => !(jsonRpc >= -32019 && jsonRpc <= -32000) && !(jsonRpc >= -31099 && jsonRpc <= -31000))
      .map(([code, { jsonRpc }]) => `${code}: ${jsonRpc}`);
    expect(misplaced).toEqual([]);
  });

  it('gives the spec codes their spec meaning and HTTP status', () => {
    expect(STAGE_ERRORS.CLIENT_CAPABILITY_MISSING).toMatchObject({ http: 400, jsonRpc: -32021 });
    expect(STAGE_ERRORS.RATE_LIMITED).toMatchObject({ http: 429, jsonRpc: -31029 });
  });
});
