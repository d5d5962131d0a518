// Two kernels in one process share nothing: not tools, not config, not lifecycle.
import { definePlugin } from '@cnmcp/core/plugin';
import { startTestKernel, type TestKernel } from '@cnmcp/core/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connectLegacyHttp, connectModernHttp, rpcErrorOf, textsOf, type E2eClient } from '../support/clients.js';
import { createE2ePack, E2E_TOOL_NAMES } from '../support/e2e-pack.js';
import { CONTRACT_LIMITS, startContractKernel } from '../support/tool-call-contract.js';

/** A pack only kernel B serves. */
const whoamiPack = definePlugin({
  kind: 'tool-pack',
  name: 'isolation',
  configSchema: { type: 'object', properties: { answer: { type: 'string' } }, required: ['answer'], additionalProperties: false },
  async setup({ config }) {
    return {
      tools: [
        {
          name: 'isolation_whoami',
          description: 'Names the kernel that serves it',
          inputSchema: { type: 'object', properties: {}, additionalProperties: false },
          handler: async () => ({ content: [{ type: 'text', text: String((config as { answer: string }).answer) }] }),
        },
      ],
    };
  },
});

describe('two kernels in one process', () => {
  let a: TestKernel | undefined;
  let b: TestKernel | undefined;
  let clientA: E2eClient | undefined;
  let clientB: E2eClient | undefined;

  beforeEach(async () => {
    // A: the e2e pack with the contract's small limits. B: another instance of it with default limits, plus its own pack.
    ({ kernel: a } = await startContractKernel());
    b = await startTestKernel({ config: { toolPacks: [{ use: 'e2e' }, { use: 'isolation', answer: 'kernel-b' }] }, plugins: [createE2ePack(), whoamiPack] });
    // One SDK generation each, so neither kernel relies on what the other's client negotiated.
    clientA = await connectModernHttp(a.url);
    clientB = await connectLegacyHttp(b.url);
  });
  afterEach(async () => {
    await Promise.all([clientA?.close(), clientB?.close()]);
    await Promise.all([a?.close(), b?.close()]);
    a = b = clientA = clientB = undefined;
  });

  it('listen on different ports and list only their own tools', async () => {
    expect(a!.url.port).not.toBe(b!.url.port);
    expect((await clientA!.listTools()).map((t) => t.name).sort()).toEqual([...E2E_TOOL_NAMES].sort());
    expect((await clientB!.listTools()).map((t) => t.name).sort()).toEqual([...E2E_TOOL_NAMES, 'isolation_whoami'].sort());
  });

  it('answer at the same time, each with its own tools and limits', async () => {
    const [echoA, whoB, bigA, bigB] = await Promise.all([
      clientA!.callTool('e2e_echo_text', { text: 'kernel-a' }),
      clientB!.callTool('isolation_whoami', {}),
      clientA!.callTool('e2e_big_text', { bytes: 20_000 }),
      clientB!.callTool('e2e_big_text', { bytes: 20_000 }),
    ]);
    expect(textsOf(echoA)).toEqual(['kernel-a']);
    expect(textsOf(whoB)).toEqual(['kernel-b']);
    // Only A runs with maxResultBytes = 4096.
    expect(textsOf(bigA).at(-1)).toContain(`to at most ${CONTRACT_LIMITS.maxResultBytes} bytes`);
    expect(textsOf(bigB)).toEqual(['x'.repeat(20_000)]);
  });

  it('do not know each other’s tools', async () => {
    const error = await rpcErrorOf(clientA!.callTool('isolation_whoami', {}));
    expect(error.code).toBe(-32602);
    expect(error.message).toContain('unknown tool "isolation_whoami"');
  });

  it('stop independently: stopping one leaves the other serving', async () => {
    await a!.close();
    expect(a!.kernel.state).toBe('stopped');
    expect(b!.kernel.state).toBe('ready');
    expect(textsOf(await clientB!.callTool('isolation_whoami', {}))).toEqual(['kernel-b']);
    const health = await fetch(new URL('/healthz', b!.origin));
    expect(health.status).toBe(200);
  });
});
