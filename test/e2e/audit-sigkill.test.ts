import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { startCli } from '../cli/run-cli.js';

// Fail-closed file sink: a tool result leaves the server only after its audit line is written and fdatasync'ed,
// so killing the process with SIGKILL mid-load must not lose the record of any call that got an answer.
describe('audit durability: SIGKILL under load (real server process, fail-closed file sink)', () => {
  it('keeps a record of every call that was answered', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cnmcp-sigkill-'));
    const path = join(dir, 'audit.jsonl');
    const config = join(dir, 'cnmcp.config.json');
    writeFileSync(config, JSON.stringify({ audit: [{ use: 'file', path }], logging: { level: 'error' }, toolPacks: [{ use: 'utilities' }] }));
    const { child, match } = await startCli(['serve', '--config', config, '--listen', '127.0.0.1:0'], /serving MCP at (http:\/\/127\.0\.0\.1:\d+\/mcp)/);
    const url = match[1]!;
    const answered: number[] = [];
    let nextId = 1;
    const worker = async () => {
      for (;;) {
        const id = nextId++;
        try {
          const response = await fetch(url, {
            method: 'POST',
            headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2025-11-25' },
            body: JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'utilities_hash', arguments: { input: `call-${id}` } } }),
          });
          const text = await response.text();
          if (response.ok && text.includes('"result"')) answered.push(id);
        } catch {
          return; // the server is gone
        }
      }
    };
    const workers = Array.from({ length: 8 }, worker);
    // Killed mid-load once enough calls have been answered: a count, not a clock, so a loaded machine waits longer.
    await vi.waitFor(() => expect(answered.length).toBeGreaterThan(20), { timeout: 60_000, interval: 10 });
    child.kill('SIGKILL');
    await once(child, 'exit');
    await Promise.all(workers);

    expect(answered.length).toBeGreaterThan(20);
    const recorded = new Set(
      readFileSync(path, 'utf8')
        .split('\n')
        .filter((line) => line.includes('"type":"tool.call"'))
        .map((line) => Number((JSON.parse(line) as { requestId: string }).requestId)),
    );
    const lost = answered.filter((id) => !recorded.has(id));
    expect(lost).toEqual([]);
  }, 90_000);
});
