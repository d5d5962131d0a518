// The CLI keeps compiled config validators between starts (docs/cli.md, "The start-up cache"): a later start must
// report exactly what the first did, a stdio server must answer from the saved validators, and `off` writes nothing.
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

const dirs: string[] = [];
const temporary = (prefix: string) => {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(dir);
  return dir;
};
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function project(yaml: string): string {
  const dir = temporary('cnmcp-cache-project-');
  writeFileSync(join(dir, 'cnmcp.config.yaml'), yaml);
  return dir;
}

const INVALID = ['server: { listen: "127.0.0.1:0", colour: blue }', 'toolPacks:', '  - use: utilities', '    webFetch: { maxBytes: lots }'].join('\n');

describe('the start-up cache', () => {
  it('reports the same config problems on a later start, from the validator it saved on the first', async () => {
    const cache = join(temporary('cnmcp-cache-'), 'cnmcp');
    const cwd = project(INVALID);
    const first = await runCli(['config', 'validate'], { cwd, env: { CNMCP_CACHE_DIR: cache }, timeoutMs: 60_000 });
    expect(first.code).toBe(2);
    expect(first.stderr).toContain('unknown key "colour"');
    expect(readdirSync(cache).filter((f) => f.startsWith('config-') && f.endsWith('.cjs'))).toHaveLength(1);
    const second = await runCli(['config', 'validate'], { cwd, env: { CNMCP_CACHE_DIR: cache }, timeoutMs: 60_000 });
    expect(second).toEqual(first);
    // V8's code cache of the validator, saved by a start that loaded it, is used only with the code it was made
    // from: one that belongs to other code is ignored (and replaced).
    for (const file of readdirSync(cache).filter((f) => f.endsWith('.cjs'))) writeFileSync(join(cache, `${file}.v8`), Buffer.alloc(4096, 7), { mode: 0o600 });
    const third = await runCli(['config', 'validate'], { cwd, env: { CNMCP_CACHE_DIR: cache }, timeoutMs: 60_000 });
    expect(third).toEqual(first);
    const uncached = await runCli(['config', 'validate'], { cwd, env: { CNMCP_CACHE_DIR: 'off' }, timeoutMs: 60_000 });
    expect(uncached).toEqual(first);
  });

  it('answers a stdio client from the saved validators, and with CNMCP_CACHE_DIR=off saves nothing', async () => {
    const home = temporary('cnmcp-cache-home-');
    const cwd = project('server: { transport: stdio }\ntoolPacks: [{ use: utilities }]\n');
    const call = `${JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '1' } } })}\n`;
    const env = { XDG_CACHE_HOME: home };
    for (let run = 0; run < 2; run++) {
      const { code, stdout } = await runCli(['serve'], { cwd, env, input: call, timeoutMs: 60_000 });
      expect(code).toBe(0);
      expect(JSON.parse(stdout.split('\n')[0]!)).toMatchObject({ id: 1, result: { serverInfo: { name: 'cnmcp' } } });
    }
    const saved = readdirSync(join(home, 'cnmcp'));
    expect(saved.filter((f) => f.startsWith('config-') && f.endsWith('.cjs'))).toHaveLength(1);
    expect(saved.filter((f) => f.startsWith('meta-schema-') && f.endsWith('.cjs'))).toHaveLength(1);
    // The second start loaded the config's validator and saved V8's code cache of it for the next; which answers too.
    expect(saved.filter((f) => f.startsWith('config-') && f.endsWith('.cjs.v8'))).toHaveLength(1);
    const third = await runCli(['serve'], { cwd, env, input: call, timeoutMs: 60_000 });
    expect(JSON.parse(third.stdout.split('\n')[0]!)).toMatchObject({ id: 1, result: { serverInfo: { name: 'cnmcp' } } });

    const elsewhere = temporary('cnmcp-cache-home-');
    const off = await runCli(['serve'], { cwd, env: { XDG_CACHE_HOME: elsewhere, CNMCP_CACHE_DIR: 'off' }, input: call, timeoutMs: 60_000 });
    expect(off.code).toBe(0);
    expect(existsSync(join(elsewhere, 'cnmcp'))).toBe(false);
  });
});
