// A caller puts newlines and terminal escapes into what the audit log records (its tool name, and its identity via
// a JWT `sub`), hoping `cnmcp audit query --format table` prints them raw: forged lines, a cleared screen.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { startTestKernel } from '@cnmcp/core/testing';
import { describe, expect, it } from 'vitest';
import { mintHmac } from '../../plugins/auth/src/testing/bearer-idp.js';
import { runCli } from '../cli/run-cli.js';

const SECRET = 'terminal-injection-hmac-secret-32b!';
const FORGED_LINE = '2026-01-01T00:00:00.000Z  tool.call       success  root(apikey)             rm_everything';
// ESC[2J clears the screen, ESC]0;...BEL sets the title, CSI in its C1 form, a right-to-left override, DEL.
const EVIL_SUB = `alice\n${FORGED_LINE}\u001b[2J\u202e`;
const EVIL_TOOL = `x\u001b]0;owned\u0007\n${FORGED_LINE}\r\u009b31m\u007f`;
const UNSAFE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

describe('audit query prints what callers sent as inert text', () => {
  it('escapes control characters in actor ids and tool names recorded by a real server', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cnmcp-audit-tty-'));
    const config = {
      auth: [{ use: 'bearer', secret: SECRET, audience: 'cnmcp' }],
      authorization: { use: 'allow-all' },
      audit: [{ use: 'file', path: join(dir, 'audit.jsonl') }],
      toolPacks: [{ use: 'utilities' }],
    };
    const configFile = join(dir, 'cnmcp.config.json');
    writeFileSync(configFile, JSON.stringify(config));
    const server = await startTestKernel({ config });
    try {
      const token = await mintHmac(SECRET, { sub: EVIL_SUB, aud: 'cnmcp' });
      const client = new Client({ name: 'tty-e2e', version: '1' }, { versionNegotiation: { mode: { pin: '2026-07-28' } } });
      await client.connect(new StreamableHTTPClientTransport(server.url, { requestInit: { headers: { authorization: `Bearer ${token}` } } }));
      await client.callTool({ name: EVIL_TOOL, arguments: {} }).catch(() => undefined);
      await client.close();
    } finally {
      await server.close();
    }

    const json = await runCli(['audit', 'query', '--config', configFile, '--type', 'tool.call', '--format', 'json']);
    const recorded = JSON.parse(json.stdout) as { tool: string; actor: { id: string } }[];
    expect(recorded.map((e) => [e.actor.id, e.tool])).toEqual([[EVIL_SUB, EVIL_TOOL]]); // stored exactly, as evidence

    const table = await runCli(['audit', 'query', '--config', configFile, '--format', 'table']);
    expect(table.code).toBe(0);
    expect(table.stdout).not.toMatch(UNSAFE);
    const lines = table.stdout.trimEnd().split('\n');
    expect(lines.filter((l) => l.startsWith(FORGED_LINE.slice(0, 24)))).toEqual([]); // no line of the caller's making
    expect(lines.at(-1)).toBe(`${lines.length - 1} events`);
    const call = lines.find((l) => /^\S+  tool\.call /.test(l))!;
    expect(call).toContain('alice\\n2026-01-01T00:00:00.000Z');
    expect(call).toContain('\\x1b[2J\\u202e(bearer)');
    expect(call).toContain('x\\x1b]0;owned\\x07\\n2026');
    expect(call).toContain('\\r\\x9b31m\\x7f');
  }, 120_000);
});
