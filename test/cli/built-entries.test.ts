import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

// Core is built as one bundle whose entries (`.`, `./plugin`, `./testing`, `./cli`) share chunks: a class a plugin
// imports from @cnmcp/core/plugin must be the very class the CLI checks against, as when core was one module per file.
const CORE = fileURLToPath(new URL('../../core', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'cnmcp-built-entries-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// A project with @cnmcp/core installed (linked to this build) and a tool pack whose setup throws what it is told to.
mkdirSync(join(dir, 'node_modules/@cnmcp'), { recursive: true });
symlinkSync(CORE, join(dir, 'node_modules/@cnmcp/core'), 'dir');
writeFileSync(
  join(dir, 'refusing-pack.mjs'),
  `import { CnmcpError, definePlugin } from '@cnmcp/core/plugin';
export default definePlugin({
  kind: 'tool-pack',
  name: 'refusing',
  description: 'refuses to start',
  configSchema: { type: 'object', properties: { throws: { type: 'string' } } },
  async setup({ config }) {
    throw config.throws === 'CnmcpError' ? new CnmcpError('WEAK_OPTION', 'option too weak') : new Error('crashed');
  },
});
`,
);

const serveWith = (throws: string) => {
  const config = join(dir, `${throws}.yaml`);
  writeFileSync(config, `server:\n  listen: "127.0.0.1:0"\ntoolPacks:\n  - use: ./refusing-pack.mjs\n    throws: ${throws}\n`);
  return runCli(['serve', '--config', config], { cwd: dir, env: { CNMCP_CACHE_DIR: 'off' } });
};

describe('the built package entries', () => {
  it("treats a CnmcpError thrown by a plugin built against @cnmcp/core/plugin as the CLI's own: a config problem", async () => {
    const refused = await serveWith('CnmcpError');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('option too weak [PLUGIN_CONFIG_INVALID]');
  });

  it('reports any other error from the same plugin as a failed setup', async () => {
    const crashed = await serveWith('Error');
    expect(crashed.code).toBe(1);
    expect(crashed.stderr).toContain('crashed [PLUGIN_SETUP_FAILED]');
  });
});
