import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { startTestKernel } from '@cnmcp/core/testing';
import { describe, expect, it } from 'vitest';
import { runCli } from '../cli/run-cli.js';

const KEY = 'Audit-Test-Key-0042!';

describe('audit trail in a file: written by the server, queried, verified and erased by the CLI', () => {
  it('records every outcome with redaction, detects tampering, and survives erasure', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cnmcp-audit-e2e-'));
    const path = join(dir, 'audit.jsonl');
    const config = {
      authorization: { use: 'allow-all' },
      auth: [{ use: 'apikey', keys: [{ id: 'ops', key: KEY, roles: ['admin'] }] }],
      audit: [{ use: 'file', path }],
      auditing: { hmacKey: 'an-audit-hmac-key-of-32-characters!!' },
      toolPacks: [{ use: 'utilities' }],
    };
    const configFile = join(dir, 'cnmcp.config.json');
    writeFileSync(configFile, JSON.stringify(config));

    const server = await startTestKernel({ config });
    const client = new Client({ name: 'audit-e2e', version: '1' }, { versionNegotiation: { mode: { pin: '2026-07-28' } } });
    await client.connect(new StreamableHTTPClientTransport(server.url, { requestInit: { headers: { 'x-api-key': KEY } } }));
    await client.callTool({ name: 'utilities_hash', arguments: { input: 'my-password-value', algorithm: 'sha256' } });
    await client.callTool({ name: 'utilities_get_time', arguments: { timezone: 'Not/AZone' } });
    await client.close();
    expect(
      (await fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': 'Wrong-Key-Value-0042!' }, body: '{}' })).status,
    ).toBe(401);
    await server.close();

    const text = readFileSync(path, 'utf8');
    expect(text).not.toContain(KEY);
    expect(text).not.toContain('Wrong-Key-Value');
    const types = text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l).type);
    expect(types).toEqual(expect.arrayContaining(['config.loaded', 'server.started', 'auth.success', 'tool.call', 'auth.failure', 'server.stopped']));

    const query = await runCli(['audit', 'query', '--config', configFile, '--type', 'tool.call', '--format', 'json']);
    expect(query.code).toBe(0);
    const calls = JSON.parse(query.stdout) as { tool: string; outcome: string; actor: { id: string } }[];
    expect(calls.map((c) => [c.tool, c.outcome, c.actor.id])).toEqual([
      ['utilities_hash', 'success', 'ops'],
      ['utilities_get_time', 'failure', 'ops'],
    ]);

    const clean = await runCli(['audit', 'verify', '--config', configFile]);
    expect(clean.code).toBe(0);
    expect(clean.stdout).toContain('ok: every chain verifies');

    const erase = await runCli(['audit', 'erase', '--config', configFile, '--actor', 'ops']);
    expect(erase.code).toBe(0);
    expect(readFileSync(path, 'utf8')).not.toContain('"id":"ops"');
    const afterErase = await runCli(['audit', 'verify', '--config', configFile]);
    expect(afterErase.code).toBe(0);
    expect(afterErase.stdout).toMatch(/ [1-9]\d* erased by request/);

    const pristine = readFileSync(path, 'utf8');
    const original = pristine.trim().split('\n');
    const seqOf = (line: string) => (JSON.parse(line) as { seq: number }).seq;

    writeFileSync(path, `${original.filter((_, i) => i !== 3).join('\n')}\n`);
    const deleted = await runCli(['audit', 'verify', '--config', configFile]);
    expect(deleted.code).toBe(3);
    expect(deleted.stdout).toContain(`missing before: seq ${seqOf(original[3]!)} is missing`);

    const swapped = [...original];
    [swapped[4], swapped[5]] = [swapped[5]!, swapped[4]!];
    writeFileSync(path, `${swapped.join('\n')}\n`);
    const reordered = await runCli(['audit', 'verify', '--config', configFile]);
    expect(reordered.code).toBe(3);
    expect(reordered.stdout).toContain(`at seq ${seqOf(original[5]!)} `);

    writeFileSync(path, pristine);
    const lines = readFileSync(path, 'utf8').trim().split('\n');
    const victim = lines.findIndex((l) => l.includes('"utilities_get_time"'));
    lines[victim] = lines[victim]!.replace('"outcome":"failure"', '"outcome":"success"');
    writeFileSync(path, `${lines.join('\n')}\n`);
    const tampered = await runCli(['audit', 'verify', '--config', configFile]);
    expect(tampered.code).toBe(3);
    expect(tampered.stdout).toContain(`(event ${JSON.parse(lines[victim]!).id}): edited`);
  }, 120_000); // several CLI processes, each a cold Node start
});
