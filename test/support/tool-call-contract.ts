// What every client/transport combination must show when it drives the kernel: one list of tests, run once
// per combination by the test files in test/e2e/, so the combinations cannot drift apart.
import { startTestKernel, type TestKernel } from '@cnmcp/core/testing';
import { afterAll, afterEach, beforeAll, beforeEach, expect, it, vi } from 'vitest';
import { rpcErrorOf, textsOf, type E2eClient } from './clients.js';
import { createE2ePack, E2E_TOOL_NAMES, type SleepSettlement } from './e2e-pack.js';

/** Server limits every combination runs with, so timings and sizes below hold everywhere. */
export const CONTRACT_LIMITS = { toolTimeoutMs: 1000, maxResultBytes: 4096 } as const;

export interface ContractTarget {
  /** Opens a client on the running server. */
  connect(): Promise<E2eClient>;
  /** 'per-test' opens a client for each test; 'per-suite' one for all (a stdio client is a whole child process). */
  readonly connection: 'per-test' | 'per-suite';
  readonly protocolVersion: string;
  /** The ms argument of every e2e_sleep_ms call whose handler has begun. */
  sleepsStarted(): readonly number[];
  /** How e2e_sleep_ms calls ended, as the handler saw them. */
  settlements(): readonly SleepSettlement[];
  /**
   * Whether a client-side abort reaches the handler's signal. Not for a 2025-era client on stateless HTTP: its
   * notifications/cancelled arrives as a separate POST, served by a fresh server instance that never saw the call.
   */
  readonly cancellationReachesHandler: boolean;
  /** Stops the server and removes what start() created. */
  close(): Promise<void>;
}

export interface ContractKernel {
  readonly kernel: TestKernel;
  /** The ms argument of every e2e_sleep_ms call whose handler has begun. */
  readonly sleepsStarted: number[];
  readonly settlements: SleepSettlement[];
}

/** Boots an in-process kernel serving the e2e pack with the contract limits (overridable by `server`). */
export async function startContractKernel(server: Readonly<Record<string, unknown>> = {}): Promise<ContractKernel> {
  const sleepsStarted: number[] = [];
  const settlements: SleepSettlement[] = [];
  const kernel = await startTestKernel({
    config: { server: { ...CONTRACT_LIMITS, ...server }, toolPacks: [{ use: 'e2e' }] },
    plugins: [createE2ePack({ onStarted: ({ ms }) => sleepsStarted.push(ms), onSettled: (s) => settlements.push(s) })],
  });
  return { kernel, sleepsStarted, settlements };
}

/** Distinct sleep lengths, so each test finds its own call among the settlements of a shared server. */
const SLEEP = { cancelled: 9_001, timedOut: 9_002 } as const;

const settlementOf = (target: ContractTarget, ms: number) => target.settlements().find((s) => s.ms === ms);

/** Registers the tool-call contract in the enclosing describe(). `start` boots the server under test. */
export function defineToolCallContract(start: () => Promise<ContractTarget>): void {
  let target: ContractTarget | undefined;
  let client: E2eClient | undefined;
  const connected = () => {
    if (!client) throw new Error('no client: connecting failed');
    return client;
  };

  beforeAll(async () => {
    target = await start();
    if (target.connection === 'per-suite') client = await target.connect();
  });
  afterAll(async () => {
    await client?.close();
    client = undefined;
    await target?.close();
  });
  beforeEach(async () => {
    if (target?.connection === 'per-test') client = await target.connect();
  });
  afterEach(async () => {
    if (target?.connection !== 'per-test') return;
    await client?.close();
    client = undefined;
  });

  const expectServing = async (c: E2eClient) => {
    const result = await c.callTool('e2e_echo_text', { text: 'still here' });
    expect(textsOf(result)).toEqual(['still here']);
  };

  it('connects and settles on the expected protocol revision', () => {
    expect(connected().protocolVersion).toBe(target!.protocolVersion);
    expect(connected().serverInfo).toMatchObject({ name: 'cnmcp', version: expect.any(String) });
  });

  it('lists the tools with their input schemas and annotations', async () => {
    const tools = await connected().listTools();
    expect(tools.map((t) => t.name).sort()).toEqual([...E2E_TOOL_NAMES].sort());
    expect(tools.find((t) => t.name === 'e2e_echo_text')).toEqual({
      name: 'e2e_echo_text',
      title: 'Echo text',
      description: 'Returns its text argument unchanged',
      inputSchema: { type: 'object', properties: { text: { type: 'string', maxLength: 10000 } }, required: ['text'], additionalProperties: false },
      annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
    });
    expect(tools.find((t) => t.name === 'e2e_sleep_ms')?.inputSchema).toMatchObject({ required: ['ms'], properties: { ms: { type: 'integer' } } });
    expect(tools.find((t) => t.name === 'e2e_fail_always')?.annotations).toEqual({ destructiveHint: false });
  });

  it('calls a tool and returns its result', async () => {
    const text = 'héllo, wörld ✓ "quoted" \\ back';
    const result = await connected().callTool('e2e_echo_text', { text });
    expect(result.isError).toBeFalsy();
    expect(result.content).toEqual([{ type: 'text', text }]);
  });

  it('cancels a slow call when the client aborts it, and keeps serving', async () => {
    const aborter = new AbortController();
    const call = connected().callTool('e2e_sleep_ms', { ms: SLEEP.cancelled }, { signal: aborter.signal });
    call.catch(() => {}); // asserted below; until then a rejection is expected, not unhandled
    // Abort only once the handler runs, so the cancellation has a running call to reach.
    await vi.waitFor(() => expect(target!.sleepsStarted()).toContain(SLEEP.cancelled), { timeout: 900, interval: 10 });
    const abortedAt = performance.now();
    aborter.abort(new Error('e2e: caller gave up'));
    await expect(call).rejects.toThrow(/caller gave up/);
    expect(performance.now() - abortedAt).toBeLessThan(500);

    if (target!.cancellationReachesHandler) {
      // Well before the tool timeout, so it is the cancellation and not the deadline that stopped the handler.
      const settled = await vi.waitFor(() => settlementOf(target!, SLEEP.cancelled) ?? Promise.reject(new Error('not settled yet')), {
        timeout: 700,
        interval: 20,
      });
      expect(settled).toMatchObject({ completed: false, aborted: true });
      expect(settled.reason).not.toMatch(/timeout/i);
    }
    await expectServing(connected());
  });

  it('answers a call that outlives server.toolTimeoutMs with an isError result', async () => {
    const started = performance.now();
    const result = await connected().callTool('e2e_sleep_ms', { ms: SLEEP.timedOut });
    const elapsed = performance.now() - started;
    expect(result.isError).toBe(true);
    expect(textsOf(result)).toEqual([`tool e2e_sleep_ms timed out after ${CONTRACT_LIMITS.toolTimeoutMs} ms`]);
    expect(elapsed).toBeGreaterThanOrEqual(CONTRACT_LIMITS.toolTimeoutMs - 50);
    expect(elapsed).toBeLessThan(CONTRACT_LIMITS.toolTimeoutMs + 1500);
    // The handler's own signal fired too, so a well-behaved tool stops its work.
    const settled = await vi.waitFor(() => settlementOf(target!, SLEEP.timedOut) ?? Promise.reject(new Error('not settled yet')), {
      timeout: 1000,
      interval: 20,
    });
    expect(settled).toMatchObject({ completed: false, aborted: true, reason: expect.stringMatching(/TimeoutError/) });
    await expectServing(connected());
  });

  it('answers an unknown tool with JSON-RPC error -32602', async () => {
    const error = await rpcErrorOf(connected().callTool('e2e_no_such_tool', {}));
    expect(error.code).toBe(-32602);
    expect(error.message).toContain('unknown tool "e2e_no_such_tool"');
  });

  it('tells a tool which capabilities the client declared (none here)', async () => {
    expect(textsOf(await connected().callTool('e2e_client_supports', {}))).toEqual(['none']);
  });

  it('answers a tool asking for an undeclared capability with -32021 naming it', async () => {
    const error = await rpcErrorOf(connected().callTool('e2e_confirm', { subject: 'pod/web-1' }));
    expect(error.code).toBe(-32021);
    expect(error.message).toContain('elicitation/create needs the client capability "elicitation"');
    await expectServing(connected());
  });

  it('answers invalid arguments with an isError result naming each JSON path, without running the tool', async () => {
    const wrong = await connected().callTool('e2e_echo_text', { text: 42, extra: true });
    expect(wrong.isError).toBe(true);
    expect(textsOf(wrong)).toEqual(['invalid arguments for tool e2e_echo_text: /extra: unknown argument; /text: must be string']);

    const missing = await connected().callTool('e2e_sleep_ms', {});
    expect(missing.isError).toBe(true);
    expect(textsOf(missing)).toEqual(['invalid arguments for tool e2e_sleep_ms: /ms: is required']);
    expect(target!.sleepsStarted()).not.toContain(undefined);
  });

  it('turns a throwing handler into an isError result and keeps serving', async () => {
    const result = await connected().callTool('e2e_fail_always', {});
    expect(result.isError).toBe(true);
    expect(textsOf(result)).toEqual(['tool e2e_fail_always failed: e2e_fail_always failed on purpose']);
    expect(JSON.stringify(result)).not.toContain('    at '); // no stack trace reaches the model
    await expectServing(connected());
  });

  it('truncates an oversize result to server.maxResultBytes and says so', async () => {
    const result = await connected().callTool('e2e_big_text', { bytes: 20_000 });
    expect(result.isError).toBeFalsy();
    const texts = textsOf(result);
    expect(texts).toHaveLength(2);
    expect(texts[0]).toMatch(/^x+$/);
    expect(texts[0]!.length).toBeLessThan(CONTRACT_LIMITS.maxResultBytes);
    expect(texts[1]).toMatch(new RegExp(`^\\[cnmcp: result truncated from \\d+ to at most ${CONTRACT_LIMITS.maxResultBytes} bytes\\]$`));
    expect(Buffer.byteLength(JSON.stringify({ content: result.content }))).toBeLessThanOrEqual(CONTRACT_LIMITS.maxResultBytes);
  });

  it('leaves a result under server.maxResultBytes whole', async () => {
    const result = await connected().callTool('e2e_big_text', { bytes: 1_000 });
    expect(textsOf(result)).toEqual(['x'.repeat(1_000)]);
  });
}
