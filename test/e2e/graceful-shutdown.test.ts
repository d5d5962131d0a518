// kernel.stop(): readiness goes, the listener stops accepting, in-flight calls get server.drainTimeoutMs to
// finish and are then aborted. And a stdio server stops when its client goes away.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { connectLegacySse, connectModernHttp, textsOf, type CallResult, type E2eClient } from '../support/clients.js';
import { E2E_PACK_PATH, type SleepSettlement } from '../support/e2e-pack.js';
import { rawRequest } from '../support/raw-http.js';
import { CLI_PATH, writeStdioConfig } from '../support/stdio-server.js';
import { CONTRACT_LIMITS, startContractKernel, type ContractKernel } from '../support/tool-call-contract.js';

const settledWith = (settlements: readonly SleepSettlement[], ms: number) =>
  vi.waitFor(() => settlements.find((s) => s.ms === ms) ?? Promise.reject(new Error(`no e2e_sleep_ms(${ms}) settled yet`)), { timeout: 3_000, interval: 20 });

/** How a promise ended, without letting a rejection escape unhandled while the test does other things. */
const outcomeOf = <T>(promise: Promise<T>) =>
  promise.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );

const timed = async <T>(work: () => Promise<T>) => {
  const started = performance.now();
  const value = await work();
  return { value, ms: performance.now() - started };
};

describe('graceful shutdown over HTTP', () => {
  let started: ContractKernel | undefined;
  let client: E2eClient | undefined;

  afterEach(async () => {
    await client?.close().catch(() => {}); // the server is gone by now; closing only releases the client
    client = undefined;
    await started?.kernel.close();
    started = undefined;
  });

  /** Starts a kernel with `drainTimeoutMs`, connects a v2 client and starts an e2e_sleep_ms(ms) call. */
  async function callInFlight(drainTimeoutMs: number, ms: number) {
    started = await startContractKernel({ drainTimeoutMs, toolTimeoutMs: 30_000 });
    client = await connectModernHttp(started.kernel.url);
    const call = outcomeOf(client.callTool('e2e_sleep_ms', { ms }));
    // Stop only once the handler runs: a call still on its way in would meet an already-aborted signal instead.
    const { sleepsStarted } = started;
    await vi.waitFor(() => expect(sleepsStarted).toContain(ms), { timeout: 3_000, interval: 10 });
    return { kernel: started.kernel, settlements: started.settlements, call };
  }

  it('lets an in-flight call finish within drainTimeoutMs', async () => {
    const { kernel, settlements, call } = await callInFlight(3_000, 400);
    const stopping = kernel.kernel.stop();
    expect(kernel.kernel.state).toBe('stopping');

    const outcome = await call;
    expect(outcome.ok).toBe(true);
    const result = (outcome as { value: CallResult }).value;
    expect(result.isError).toBeFalsy();
    expect(textsOf(result)).toEqual(['slept 400 ms']);
    expect(await settledWith(settlements, 400)).toMatchObject({ completed: true, aborted: false });

    await stopping;
    expect(kernel.kernel.state).toBe('stopped');
  });

  it('withdraws readiness while stopping and refuses new connections once stopped', async () => {
    const { kernel, call } = await callInFlight(3_000, 400);
    const stopping = kernel.kernel.stop();
    // The listener stops accepting at once, so a probe on a new connection sees 503 or a refusal; never 200.
    const probe = await outcomeOf(rawRequest(new URL('/readyz', kernel.origin)));
    if (probe.ok) expect(probe.value.status).toBe(503);
    else expect((probe.error as NodeJS.ErrnoException).code).toMatch(/ECONNREFUSED|ECONNRESET/);

    await call;
    await stopping;
    await expect(rawRequest(new URL('/healthz', kernel.origin))).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });

  it('returns from stop() soon after the last in-flight call is done, not after the whole drainTimeoutMs', async () => {
    const { kernel, call } = await callInFlight(4_000, 300);
    const stop = await timed(() => kernel.kernel.stop());
    expect((await call).ok).toBe(true);
    expect(stop.ms).toBeLessThan(1_500);
  });

  it('does not let an idle legacy SSE stream hold stop() for the whole drainTimeoutMs', async () => {
    started = await startContractKernel({ drainTimeoutMs: 4_000 });
    client = await connectLegacySse(started.kernel.origin);
    const kernel = started.kernel;
    const stop = await timed(() => kernel.kernel.stop());
    expect(stop.ms).toBeLessThan(1_500);
  });

  it('aborts a call still running when drainTimeoutMs ends, and stop() stays bounded', async () => {
    const drainTimeoutMs = 300;
    const { kernel, settlements, call } = await callInFlight(drainTimeoutMs, 9_003);
    const stop = await timed(() => kernel.kernel.stop());
    expect(stop.ms).toBeGreaterThanOrEqual(drainTimeoutMs - 50);
    expect(stop.ms).toBeLessThan(drainTimeoutMs + 1_500);
    expect(await settledWith(settlements, 9_003)).toMatchObject({ completed: false, aborted: true });
    await call; // settles one way or the other: it does not hang
  });

  it('tells the client of a call cut off at the end of the drain that the server is shutting down', async () => {
    const { kernel, call } = await callInFlight(300, 9_004);
    await kernel.kernel.stop();
    const outcome = await call;
    // tool-call.ts answers such a call with an isError result; the client should get it, not a dropped connection.
    expect(outcome.ok ? textsOf(outcome.value) : String((outcome.error as Error).message)).toEqual([
      'tool e2e_sleep_ms was stopped: the server is shutting down',
    ]);
  });
});

describe('graceful shutdown over stdio', () => {
  it('runs the graceful stop (and exits 0) when its client closes stdin', async () => {
    const config = writeStdioConfig(E2E_PACK_PATH, CONTRACT_LIMITS);
    const child = spawn(process.execPath, [CLI_PATH, 'serve', '--transport', 'stdio', '--config', config.path], { stdio: ['pipe', 'pipe', 'pipe'] });
    try {
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
      await vi.waitFor(() => expect(stderr).toContain('cnmcp ready'), { timeout: 10_000, interval: 50 });
      const exited = once(child, 'exit');
      child.stdin.end();
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`still running 5 s after stdin closed:\n${stderr}`)), 5_000);
      });
      const [code] = (await Promise.race([exited, deadline]).finally(() => clearTimeout(timer))) as [number | null];
      expect(code).toBe(0);
      // kernel.stop() logs this last, after draining, flushing audit sinks and running plugins' onStop hooks.
      expect(stderr).toContain('"message":"cnmcp stopped"');
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      config.remove();
    }
  });
});
