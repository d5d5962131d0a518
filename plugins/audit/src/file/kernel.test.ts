import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { startTestKernel } from '@cnmcp/core/testing';
import { describe, expect, it } from 'vitest';
import type { AuditEvent, Logger } from '@cnmcp/core/plugin';
import { verifyChains } from '../../../../core/src/audit/verify-chain.js';
import { FileSink } from './file-sink.js';
import file from './plugin.js';

const silent: Logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => silent };

describe('file sink in the real kernel', () => {
  it('records the server lifecycle and every tool call, one chained event per line', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'cnmcp-audit-kernel-')), 'audit', 'audit.jsonl');
    // Registered, `use: file` selects these sources; the built-in name would load the package's dist/ build.
    const server = await startTestKernel({ config: { audit: [{ use: 'file', path }], toolPacks: [{ use: 'utilities' }] }, plugins: [file] });
    const client = new Client({ name: 'audit-file-test', version: '1' }, { versionNegotiation: { mode: { pin: '2026-07-28' } } });
    await client.connect(new StreamableHTTPClientTransport(server.url));
    await client.callTool({ name: 'utilities_hash', arguments: { input: 'abc' } });
    await client.callTool({ name: 'utilities_get_time', arguments: { timezone: 'UTC' } });
    await client.callTool({ name: 'utilities_get_time', arguments: { timezone: 'Nowhere/Special' } });
    await client.close();
    await server.close();

    expect(statSync(path).mode & 0o777).toBe(0o600);
    const lines = readFileSync(path, 'utf8').split('\n');
    expect(lines.pop()).toBe('');
    const events = lines.map((line) => JSON.parse(line) as AuditEvent);
    expect(events.map((e) => JSON.stringify(e))).toEqual(lines); // stored exactly as the kernel serialized them
    expect(events.slice(0, 2).map((e) => e.type)).toEqual(['config.loaded', 'server.started']);
    expect(events.at(-1)?.type).toBe('server.stopped');
    expect(events.filter((e) => e.type === 'tool.call').map((e) => [e.tool, e.outcome])).toEqual([
      ['utilities_hash', 'success'],
      ['utilities_get_time', 'success'],
      ['utilities_get_time', 'failure'],
    ]);
    for (const [i, e] of events.entries()) {
      expect(e).toMatchObject({
        chain: events[0]!.chain,
        seq: i + 1,
        prevHash: i === 0 ? '' : events[i - 1]!.hash,
        hash: expect.stringMatching(/^[0-9a-f]{64}$/),
      });
    }
    const sink = await FileSink.open({ path, failClosed: true, maxSizeBytes: 1 << 20, retentionDays: 90, gzip: true }, silent);
    expect(await verifyChains(sink.query({}))).toMatchObject({ events: events.length, chains: 1, problems: [] });
    await sink.close();
  });

  it('fails a tool call with -31050 when its event cannot be written to a fail-closed file', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'cnmcp-audit-kernel-')), 'audit.jsonl');
    const server = await startTestKernel({ config: { audit: [{ use: 'file', path }], toolPacks: [{ use: 'utilities' }] }, plugins: [file] });
    const client = new Client({ name: 'audit-file-test', version: '1' }, { versionNegotiation: { mode: { pin: '2026-07-28' } } });
    await client.connect(new StreamableHTTPClientTransport(server.url));
    // Closing the sink under the running server stands in for a disk that stopped taking writes.
    await server.kernel.audit.sinks[0]!.port.close();
    await expect(client.callTool({ name: 'utilities_hash', arguments: { input: 'abc' } })).rejects.toMatchObject({ code: -31050 });
    await client.close();
    await server.close();
  });

  it('stops the server from starting when the file cannot be opened, naming the path', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cnmcp-audit-kernel-'));
    await expect(startTestKernel({ config: { audit: [{ use: 'file', path: dir }] }, plugins: [file] })).rejects.toMatchObject({
      code: 'PLUGIN_CONFIG_INVALID',
      path: '/audit/0',
      message: expect.stringContaining(`audit-sink/file failed to start: cannot open the audit file ${dir}: ${dir} is not a regular file`),
    });
  });
});
