// The stdio fast path (core/src/transport/stdio-front.ts) answers 2026-07-28 tools/call and tools/list itself; the
// MCP SDK is the reference. Two `cnmcp serve --transport stdio` children with the same config, one with
// server.fastPath on and one off, get the same lines in the same order: plain calls and listings, every result
// shape, failures, requests the gate leaves to the SDK, batches, notifications, malformed lines, and a handshake
// after a fast answer. Every answer must match, by id; the connection's era must be pinned as the SDK pins it.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI_PATH } from '../support/stdio-server.js';

const PACK_PATH = fileURLToPath(new URL('../support/stdio-diff-pack.mjs', import.meta.url));
const ENVELOPE = {
  'io.modelcontextprotocol/protocolVersion': '2026-07-28',
  'io.modelcontextprotocol/clientInfo': { name: 'stdio-diff', version: '1.0.0' },
  'io.modelcontextprotocol/clientCapabilities': {},
};
const ANSWER_TIMEOUT_MS = 8_000;

const dir = mkdtempSync(join(tmpdir(), 'cnmcp-stdio-diff-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function configFile(fastPath: boolean): string {
  const path = join(dir, `fast-${fastPath}.yaml`);
  const lines = ['server:', '  transport: stdio', `  fastPath: ${fastPath}`, '  toolTimeoutMs: 5000', '  maxResultBytes: 4096'];
  writeFileSync(path, [...lines, 'logging:', '  level: error', '  format: json', 'toolPacks:', `  - use: ${JSON.stringify(PACK_PATH)}`, ''].join('\n'));
  return path;
}

let nextId = 0;
/** A 2026-07-28 request (envelope in `_meta`), as the v2 client writes it; `extra` merges into params. */
const modern = (method: string, params: Record<string, unknown> = {}, meta: Record<string, unknown> = ENVELOPE) => ({
  jsonrpc: '2.0',
  id: `m-${++nextId}`,
  method,
  params: { ...params, _meta: meta },
});
const call = (name: string, args: Record<string, unknown> = {}) => modern('tools/call', { name, arguments: args });

/**
 * Writes `lines` to a fresh child and collects every line it writes until each expected id has its answer (or the
 * time is up), then closes its stdin. Answers are keyed by id; lines without one are kept in order.
 */
async function session(fastPath: boolean, lines: readonly string[], expectedIds: readonly unknown[]) {
  const child = spawn(process.execPath, [CLI_PATH, 'serve', '--config', configFile(fastPath)], { stdio: ['pipe', 'pipe', 'ignore'] });
  const answers = new Map<string, unknown>();
  const others: unknown[] = [];
  let pending = '';
  const done = new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ANSWER_TIMEOUT_MS);
    child.stdout.on('data', (chunk: Buffer) => {
      pending += chunk.toString('utf8');
      const complete = pending.split('\n');
      pending = complete.pop() ?? '';
      for (const line of complete.filter((l) => l.length > 0)) {
        const message = JSON.parse(line) as unknown;
        for (const one of Array.isArray(message) ? message : [message]) {
          const id = (one as { id?: unknown }).id;
          if (id === undefined || id === null) others.push(one);
          else answers.set(JSON.stringify(id), Array.isArray(message) ? { batch: message.length, answer: one } : one);
        }
      }
      if (expectedIds.every((id) => answers.has(JSON.stringify(id)))) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  for (const line of lines) child.stdin.write(`${line}\n`);
  await done;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.stdin.end();
  await exited;
  return { answers, others };
}

/** An answer as compared: a multi-round `requestState` is signed with each process's own random key. */
const comparable = (answer: unknown) => JSON.stringify(answer)?.replace(/"requestState":"[^"]*"/g, '"requestState":"(signed)"');

/** Runs the same lines against both children and requires equal answers. */
async function compare(lines: readonly string[], expectedIds: readonly unknown[]) {
  const [fast, sdk] = await Promise.all([session(true, lines, expectedIds), session(false, lines, expectedIds)]);
  for (const id of expectedIds) expect(sdk.answers.has(JSON.stringify(id)), `the SDK answers ${JSON.stringify(id)}`).toBe(true);
  const mismatches = [...new Set([...sdk.answers.keys(), ...fast.answers.keys()])]
    .filter((id) => comparable(fast.answers.get(id)) !== comparable(sdk.answers.get(id)))
    .map((id) => `${id}\n  sdk:  ${JSON.stringify(sdk.answers.get(id))}\n  fast: ${JSON.stringify(fast.answers.get(id))}`);
  expect(mismatches, mismatches.join('\n')).toEqual([]);
  expect(fast.others).toEqual(sdk.others);
  return { fast, sdk };
}

const idsOf = (messages: readonly Record<string, unknown>[]) => messages.filter((m) => m.id !== undefined && typeof m.method === 'string').map((m) => m.id);

describe('stdio fast path against the SDK path (differential)', () => {
  it('is on where configured: a plain call never reaches the SDK there, and always does with fastPath: false', async () => {
    const where = call('sd_where');
    const onFast = await session(true, [JSON.stringify(where)], [where.id]);
    const onSdk = await session(false, [JSON.stringify(where)], [where.id]);
    expect(JSON.stringify(onFast.answers.get(JSON.stringify(where.id)))).toContain('"text":"false"');
    expect(JSON.stringify(onSdk.answers.get(JSON.stringify(where.id)))).toContain('"text":"true"');
  }, 30_000);

  it('answers every 2026-07-28 shape exactly as the SDK does, on a connection the fast path opened', async () => {
    const messages: Record<string, unknown>[] = [
      call('sd_echo', { text: 'first' }),
      modern('tools/list'),
      call('sd_echo', { text: 'é "quoted" \\ </script>' }),
      call('sd_echo', {}),
      call('sd_echo', { text: 'x', extra: 1 }),
      call('sd_two_blocks'),
      call('sd_is_error'),
      call('sd_not_error'),
      call('sd_throws'),
      call('sd_no_content'),
      call('sd_image'),
      call('sd_meta'),
      call('sd_structured'),
      call('sd_unicode'),
      call('sd_logs'),
      call('sd_elicits'),
      call('sd_unknown'),
      modern('tools/call', { name: 'sd_echo', arguments: 'not an object' }),
      modern('tools/call', { name: 'sd_echo', arguments: { text: 'extra param' }, other: true }),
      modern('tools/call', { name: 'sd_echo', arguments: { text: 'progress' } }, { ...ENVELOPE, progressToken: 7 }),
      modern('tools/call', { name: 'sd_elicits', arguments: {} }, { ...ENVELOPE, 'io.modelcontextprotocol/clientCapabilities': { elicitation: {} } }),
      modern('tools/call', { name: 'sd_echo', arguments: { text: 'old' } }, { ...ENVELOPE, 'io.modelcontextprotocol/protocolVersion': '2025-11-25' }),
      { ...call('sd_echo', { text: 'numeric id' }), id: 4242 },
      modern('prompts/list'),
      modern('resources/list'),
      modern('ping'),
      { jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 'never-sent', _meta: ENVELOPE } },
      // A 2025 handshake on a connection pinned to 2026-07-28 (here by the fast path's first answer) is refused.
      {
        jsonrpc: '2.0',
        id: 'init-late',
        method: 'initialize',
        params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'x', version: '1' } },
      },
      call('sd_echo', { text: 'after the handshake attempt' }),
    ];
    const lines = messages.map((m) => JSON.stringify(m));
    // A batch line (split for both paths by stdio-batches.ts) and a line that is not JSON.
    const batch = [call('sd_echo', { text: 'batched one' }), modern('tools/list')];
    lines.push(JSON.stringify(batch), '{not json');
    await compare(lines, [...idsOf(messages), ...idsOf(batch)]);
  }, 30_000);

  it('pins the connection to 2026-07-28 with its first fast answer: a 2025 handshake right after is refused', async () => {
    const messages: Record<string, unknown>[] = [
      call('sd_echo', { text: 'opens the connection' }),
      {
        jsonrpc: '2.0',
        id: 'init',
        method: 'initialize',
        params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'x', version: '1' } },
      },
      { jsonrpc: '2.0', id: 'legacy-call', method: 'tools/call', params: { name: 'sd_echo', arguments: { text: 'no envelope' } } },
      call('sd_echo', { text: 'still served' }),
    ];
    const { sdk } = await compare(
      messages.map((m) => JSON.stringify(m)),
      idsOf(messages),
    );
    expect(JSON.stringify(sdk.answers.get('"init"'))).toContain('"error"');
  }, 30_000);

  it('leaves a connection that opened with a 2025 handshake to the SDK, answers included', async () => {
    const messages: Record<string, unknown>[] = [
      {
        jsonrpc: '2.0',
        id: 'init',
        method: 'initialize',
        params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'x', version: '1' } },
      },
      { jsonrpc: '2.0', method: 'notifications/initialized' },
      call('sd_echo', { text: 'modern after a handshake' }),
      { jsonrpc: '2.0', id: 'legacy-call', method: 'tools/call', params: { name: 'sd_echo', arguments: { text: 'legacy' } } },
      call('sd_where'),
    ];
    const { fast } = await compare(
      messages.map((m) => JSON.stringify(m)),
      idsOf(messages),
    );
    expect(JSON.stringify(fast.answers.get(JSON.stringify(messages[4]!.id)))).toContain('"text":"true"');
  }, 30_000);

  it('answers a connection whose first request is left to the SDK the same way (server/discover, then calls)', async () => {
    const messages: Record<string, unknown>[] = [modern('server/discover'), call('sd_echo', { text: 'after discover' }), modern('tools/list')];
    await compare(
      messages.map((m) => JSON.stringify(m)),
      idsOf(messages),
    );
  }, 30_000);
});
