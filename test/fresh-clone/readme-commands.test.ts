// The README's quick start, as a new user meets it: a clone of this repository in a folder with nothing beside it,
// one `npm install`, then `npx cnmcp` and `npm start` work. The clone is made from the committed HEAD; its install
// reuses the npm cache the outer install filled (--prefer-offline), so it needs no more of the registry.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectModernHttp, textsOf } from '../support/clients.js';

const run = promisify(execFile);
const repo = fileURLToPath(new URL('../../', import.meta.url));
const parent = mkdtempSync(join(tmpdir(), 'cnmcp-fresh-'));
const clone = join(parent, 'cnmcp');
const env = { ...process.env, npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' };
let server: ChildProcess | undefined;

beforeAll(async () => {
  await run('git', ['clone', '--quiet', '--no-hardlinks', repo, clone]);
  await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund'], { cwd: clone, env, maxBuffer: 64 << 20 });
}, 600_000);

afterAll(async () => {
  // npm start runs node as its child: end the whole process group.
  if (server?.pid) process.kill(-server.pid, 'SIGKILL');
  await rm(parent, { recursive: true, force: true });
}, 300_000);

describe('a fresh clone with nothing beside it (README quick start)', () => {
  it('has nothing beside it: the clone stands alone in its folder', () => {
    expect(readdirSync(parent)).toEqual(['cnmcp']);
  });

  it('links the cnmcp bin on the first npm install, and `npx cnmcp config validate` passes', async () => {
    expect(existsSync(join(clone, 'node_modules/.bin/cnmcp'))).toBe(true);
    const { stdout } = await run('npx', ['cnmcp', 'config', 'validate'], { cwd: clone, env });
    expect(stdout).toContain('embedded default config is valid');
  });

  it('`npm start` serves the embedded default, and a client calls its tool', async () => {
    // The README's command, on a free port instead of 8080 so it never collides with a server already there.
    const child = spawn('npm', ['start', '--', '--listen', '127.0.0.1:0'], { cwd: clone, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    server = child;
    const url = await new Promise<URL>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`npm start not ready: ${out}`)), 60_000);
      child.stdout.on('data', (chunk) => {
        out += chunk;
        const found = /serving MCP at (http:\/\/\S+\/mcp)/.exec(out);
        if (found) {
          clearTimeout(timer);
          resolve(new URL(found[1]!));
        }
      });
      child.on('exit', (code) => reject(new Error(`npm start exited with ${code}: ${out}`)));
    });
    const client = await connectModernHttp(url);
    try {
      const result = await client.callTool('utilities_get_time', { timezone: 'Europe/Paris' });
      expect(result.isError ?? false).toBe(false);
      expect(textsOf(result).join('\n')).toMatch(/\d{4}-\d{2}-\d{2}/);
    } finally {
      await client.close();
    }
  });
});
