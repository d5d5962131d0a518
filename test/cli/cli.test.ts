import { once } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { STAGES } from '../../core/src/pipeline/stages.js';
import { describe, expect, it } from 'vitest';
import { isScryptHash, verifyScryptPassword } from '@cnmcp/core/plugin';
import { runCli, startCli } from './run-cli.js';

const project = (files: Record<string, string>) => {
  const dir = mkdtempSync(join(tmpdir(), 'cnmcp-cli-'));
  writeFileSync(join(dir, 'package.json'), '{"name":"cli-test","private":true}');
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
};

describe('cnmcp CLI', () => {
  it('exits 2 on an invalid config, listing every problem with its path', async () => {
    const dir = project({
      'cnmcp.config.yaml': [
        'server:',
        '  listen: 127.0.0.1:8080',
        '  colour: blue',
        '  maxBodyBytes: lots',
        'toolPacks:',
        '  - use: utilities',
        '    token: ${env:CNMCP_CLI_TEST_UNSET}',
        '',
      ].join('\n'),
    });
    for (const command of [['config', 'validate'], ['serve']]) {
      const { code, stderr, stdout } = await runCli(command, { cwd: dir, env: { CNMCP_CLI_TEST_UNSET: '' } });
      expect(code).toBe(2);
      expect(stdout).toBe('');
      expect(stderr).toContain('invalid configuration in');
      expect(stderr).toContain('/server/colour: unknown key "colour"');
      expect(stderr).toContain('/server/maxBodyBytes: must be integer, got string');
      expect(stderr).toContain('/toolPacks/0/token: environment variable CNMCP_CLI_TEST_UNSET is not set');
    }
  });

  it('validates a good config and says where it came from', async () => {
    const dir = project({ 'cnmcp.config.json': JSON.stringify({ toolPacks: [{ use: 'utilities' }] }) });
    const { code, stdout } = await runCli(['config', 'validate'], { cwd: dir });
    expect(code).toBe(0);
    expect(stdout).toMatch(/^ok: .*cnmcp\.config\.json is valid \(1 plugin\)/);
  });

  it('prints the effective config with referenced values masked, and the pipeline with skipped stages', async () => {
    const dir = project({ 'cnmcp.config.yaml': 'server:\n  name: ${env:CNMCP_NAME}\ntoolPacks:\n  - use: utilities\n' });
    const { code, stdout } = await runCli(['config', 'print', '--json'], { cwd: dir, env: { CNMCP_NAME: 'secret-looking-name' } });
    expect(code).toBe(0);
    const printed = JSON.parse(stdout);
    expect(printed.config.server).toMatchObject({ name: '***', listen: '127.0.0.1:8080', toolTimeoutMs: 30000 });
    expect(stdout).not.toContain('secret-looking-name');
    expect(printed.pipeline).toEqual(
      expect.arrayContaining([{ stage: 'authenticate', phase: 'request', status: 'skipped', detail: expect.stringContaining('no auth configured') }]),
    );
    // The same list the server runs, in its order: config print is generated from core/src/pipeline/stages.ts.
    expect(printed.pipeline.map((s: { stage: string }) => s.stage)).toEqual([...STAGES.map((s) => s.name), 'audit']);
  });

  it('prints a composed schema that includes the utilities pack options', async () => {
    const { code, stdout } = await runCli(['config', 'schema'], { cwd: project({}) });
    expect(code).toBe(0);
    const schema = JSON.parse(stdout);
    const branches = schema.properties.toolPacks.items.allOf as { if: unknown; then: { properties: Record<string, unknown> } }[];
    const utilities = branches.find((b) => JSON.stringify(b.if).includes('"utilities"'));
    expect(utilities?.then.properties.use).toMatchObject({ const: 'utilities' });
    expect(utilities?.then.properties).toHaveProperty('webFetch');
    expect(schema.properties.server.properties.listen.default).toBe('127.0.0.1:8080');
  });

  it('lists tools of the embedded default', async () => {
    const { code, stdout } = await runCli(['tools', 'list', '--json'], { cwd: project({}) });
    expect(code).toBe(0);
    const names = (JSON.parse(stdout) as { name: string }[]).map((t) => t.name);
    expect(names).toEqual(
      expect.arrayContaining(['utilities_get_time', 'utilities_get_timestamp', 'utilities_sleep', 'utilities_web_fetch', 'utilities_hash', 'utilities_base64']),
    );
  });

  it('hashes a password read from stdin, never from argv', async () => {
    const { code, stdout } = await runCli(['auth', 'hash-password'], { input: 'correct horse battery staple\n' });
    expect(code).toBe(0);
    const hash = stdout.trim();
    expect(isScryptHash(hash)).toBe(true);
    expect(await verifyScryptPassword('correct horse battery staple', hash)).toBe(true);
    const empty = await runCli(['auth', 'hash-password'], { input: '\n' });
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain('must not be empty');
  });

  it('prints its version and help', async () => {
    expect((await runCli(['version'])).stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    const help = await runCli(['serve', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--transport <transport>');
  });

  it('exits 2 on an unknown command or option', async () => {
    expect((await runCli(['serv'])).code).toBe(2);
    expect((await runCli(['serve', '--bogus'])).code).toBe(2);
  });

  it('serves the embedded default, prints how to connect, and exits 0 on SIGTERM', async () => {
    const { child, match } = await startCli(['serve', '--listen', '127.0.0.1:0'], /serving MCP at (http:\/\/127\.0\.0\.1:\d+\/mcp)/, { cwd: project({}) });
    const url = new URL(match[1]!);
    expect((await fetch(new URL('/readyz', url))).status).toBe(200);
    child.kill('SIGTERM');
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
  });

  it('listening on 0.0.0.0, prints a URL clients can reach (a machine address, with a note), never the wildcard', async () => {
    const dir = project({ 'cnmcp.config.yaml': 'server:\n  listen: 0.0.0.0:0\n  allowUnauthenticated: true\n' });
    const { child, match, stdout } = await startCli(['serve'], /"url": "([^"]+)"/, { cwd: dir });
    try {
      const url = new URL(match[1]!);
      expect(url.hostname).not.toBe('0.0.0.0');
      expect(stdout()).toContain(`serving MCP at ${url.href}`);
      expect(stdout()).toContain('Note: listening on all interfaces (0.0.0.0)');
      expect((await fetch(new URL('/readyz', url))).status).toBe(200);
    } finally {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
  });
});
