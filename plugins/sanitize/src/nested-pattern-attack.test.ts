// Seam 7 attacked as an intruder would: one tools/call whose argument is ~900 KiB of nested `<scr<script>ipt>`
// (under the 1 MiB body limit), sent by raw HTTP to a real kernel with strip mode on. Before the fix the filter
// repeated whole-string replacements (quadratic: minutes of blocked event loop for this argument, during which
// /healthz did not answer either). The test asserts the work is done and right, not how long it took: the health
// check answers while the attack is in flight, and the attack's own answer is the strip rule's result.
import type { AuditEvent } from '@cnmcp/core/plugin';
import { startTestKernel, type TestKernel } from '@cnmcp/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import injectionFilter from './index.js';
import { echoPack, memorySink } from './testing/echo-pack.js';

const events: AuditEvent[] = [];
let server: TestKernel | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
  events.length = 0;
});

const DEPTH = 112_000; // 4 + 4 code units per level: about 875 KiB
const attack = `${'<scr'.repeat(DEPTH)}<script>${'ipt>'.repeat(DEPTH)}`;

function call(url: URL, note: string) {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2025-11-25' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'echo_show_args', arguments: { note } } }),
  });
}

async function echoed(res: Response): Promise<Record<string, unknown>> {
  const text = await res.text();
  const message = JSON.parse(/^data: (.*)$/m.exec(text)?.[1] ?? text) as { result?: { content: { text: string }[] } };
  return JSON.parse(message.result!.content[0]!.text) as Record<string, unknown>;
}

describe('strip mode under the nested-pattern attack', () => {
  it('serves /healthz while the attack is in flight and answers the attack with the strip rule’s result', async () => {
    server = await startTestKernel({
      config: { sanitize: { use: 'injection-filter', mode: 'strip' }, audit: [{ use: 'memory' }], toolPacks: [{ use: 'echo' }] },
      plugins: [injectionFilter, echoPack, memorySink(events)],
    });
    expect(attack.length).toBeGreaterThan(800 * 1024);
    const inFlight = [call(server.url, attack), call(server.url, attack)];
    const health = await fetch(new URL('/healthz', server.origin));
    expect(health.status).toBe(200);
    // Cut to maxLength (1000 code points: `<scr` x 250) first, then stripped: the tool gets `scr` x 250.
    for (const res of await Promise.all(inFlight)) expect(await echoed(res)).toEqual({ note: 'scr'.repeat(250) });
    expect(await echoed(await call(server.url, '<scr<script>ipt>x'))).toEqual({ note: 'x' });
    await server.kernel.stop();
    expect(events.filter((e) => e.type === 'input.sanitized')).toHaveLength(3);
  }, 120_000);
});
