// JSON-RPC batches on stdio, against the built CLI over raw lines: a 2025-03-26 batch is served message by message
// and answered as one array; an empty, oversize (server.maxBatchSize, as on HTTP) or newer-revision batch gets one
// -32600 error line instead of silence.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import { E2E_PACK_PATH } from '../support/e2e-pack.js';
import { CLI_PATH, writeStdioConfig, type StdioConfig } from '../support/stdio-server.js';

interface Line {
  readonly [key: string]: unknown;
}

/** A stdio child and the JSON lines it writes, read in order. */
function startChild(config: StdioConfig) {
  const child: ChildProcessWithoutNullStreams = spawn(process.execPath, [CLI_PATH, 'serve', '--transport', 'stdio', '--config', config.path]);
  const lines: unknown[] = [];
  const waiters: (() => void)[] = [];
  createInterface({ input: child.stdout }).on('line', (line) => {
    lines.push(JSON.parse(line));
    waiters.splice(0).forEach((wake) => wake());
  });
  let read = 0;
  const next = async (): Promise<unknown> => {
    while (read >= lines.length) await new Promise<void>((resolve) => waiters.push(resolve));
    return lines[read++];
  };
  const send = (value: unknown) => child.stdin.write(`${JSON.stringify(value)}\n`);
  return { child, next, send };
}

const initialize = (protocolVersion: string) => ({
  jsonrpc: '2.0',
  id: 0,
  method: 'initialize',
  params: { protocolVersion, capabilities: {}, clientInfo: { name: 'batch-test', version: '1' } },
});
const echo = (id: number, text: string) => ({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'e2e_echo_text', arguments: { text } } });

describe('JSON-RPC batches over stdio', () => {
  let config: StdioConfig | undefined;
  let child: ChildProcessWithoutNullStreams | undefined;

  afterEach(() => {
    child?.kill();
    config?.remove();
  });

  const open = async (protocolVersion: string) => {
    config = writeStdioConfig(E2E_PACK_PATH, { maxBatchSize: 3 });
    const started = startChild(config);
    child = started.child;
    started.send(initialize(protocolVersion));
    expect(await started.next()).toMatchObject({ id: 0, result: { protocolVersion } });
    started.send({ jsonrpc: '2.0', method: 'notifications/initialized' });
    return started;
  };

  it('answers a 2025-03-26 batch with one array holding the answer of every request (notifications get none)', { timeout: 60_000 }, async () => {
    const { send, next } = await open('2025-03-26');
    send([echo(1, 'one'), { jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 99 } }, echo(2, 'two')]);
    const answer = (await next()) as Line[];
    expect(Array.isArray(answer)).toBe(true);
    const byId = Object.fromEntries(answer.map((a) => [a.id, (a.result as { content: { text: string }[] }).content[0]!.text]));
    expect(byId).toEqual({ 1: 'one', 2: 'two' });
  });

  it('refuses an empty batch and one over server.maxBatchSize with -32600, and keeps serving', { timeout: 60_000 }, async () => {
    const { send, next } = await open('2025-03-26');
    send([]);
    expect(await next()).toEqual({ jsonrpc: '2.0', id: null, error: { code: -32600, message: 'an empty batch' } });
    send([echo(1, 'a'), echo(2, 'b'), echo(3, 'c'), echo(4, 'd')]);
    expect(await next()).toEqual({
      jsonrpc: '2.0',
      id: null,
      error: { code: -32600, message: 'a batch may carry at most 3 messages (server.maxBatchSize)' },
    });
    send(echo(5, 'still here'));
    expect(await next()).toMatchObject({ id: 5, result: { content: [{ type: 'text', text: 'still here' }] } });
  });

  it('refuses a batch on a revision without batches (2025-06-18 and later)', { timeout: 60_000 }, async () => {
    const { send, next } = await open('2025-11-25');
    send([echo(1, 'one')]);
    expect(await next()).toEqual({ jsonrpc: '2.0', id: null, error: { code: -32600, message: 'protocol revision 2025-11-25 does not accept batches' } });
  });
});
