import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

const scratch = () => mkdtempSync(join(tmpdir(), 'cnmcp-create-'));

const filesUnder = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)).map((f) => `${e.name}/${f}`) : [e.name]));

// Each case spawns the real CLI; on a loaded machine a spawn can take seconds.
describe('cnmcp create', { timeout: 300_000 }, () => {
  it('creates ./NAME outside a workspace, with every placeholder replaced, and prints the next steps', async () => {
    const cwd = scratch();
    const { code, stdout, stderr } = await runCli(['create', 'tool-pack', 'ops-pack'], { cwd, timeoutMs: 120_000 });
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const dir = join(cwd, 'ops-pack');
    expect(filesUnder(dir)).toEqual(
      expect.arrayContaining(['package.json', 'tsconfig.json', 'vitest.config.ts', 'README.md', '.gitignore', 'src/index.ts', 'src/index.test.ts']),
    );
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    expect(manifest.name).toBe('cnmcp-plugin-ops-pack');
    // Published versions: core as a peer (one copy shared with the server) and to build with, cnmcp to serve with.
    for (const deps of [manifest.peerDependencies, manifest.devDependencies]) expect(deps['@cnmcp/core']).toMatch(/^\^\d+\.\d+\.\d+/);
    expect(manifest.devDependencies.cnmcp).toBe(manifest.devDependencies['@cnmcp/core']);
    const text = filesUnder(dir)
      .map((f) => readFileSync(join(dir, f), 'utf8'))
      .join('\n');
    expect(text).not.toMatch(/my-plugin|my_plugin|myPlugin|MyPlugin/);
    expect(readFileSync(join(dir, 'src/tools/count-words.ts'), 'utf8')).toContain("name: 'ops_pack_count_words'");
    expect(readFileSync(join(dir, 'src/index.ts'), 'utf8')).toContain("name: 'ops-pack'");
    expect(stdout).toContain('created tool-pack "ops-pack" (cnmcp-plugin-ops-pack) in ./ops-pack');
    expect(stdout).toContain('plugins: [./ops-pack]');
    expect(stdout).toContain('- use: ops-pack');
  });

  it('creates plugins/NAME as a workspace package inside a workspaces root that lists plugins/*', async () => {
    const root = scratch();
    writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'my-monorepo', private: true, workspaces: ['plugins/*'] }));
    mkdirSync(join(root, 'docs'));
    const { code, stdout } = await runCli(['create', 'plugin', '--kind', 'authorizer', 'team-gate'], { cwd: join(root, 'docs'), timeoutMs: 120_000 });
    expect(code).toBe(0);
    expect(existsSync(join(root, 'plugins/team-gate/src/index.ts'))).toBe(true);
    expect(stdout).toContain('npm install');
    expect(stdout).toContain('plugins: [../plugins/team-gate]');
    expect(stdout).toContain('authorization:\n    use: team-gate');
  });

  it('names the package @cnmcp/plugin-NAME in the cnmcp repository', async () => {
    const root = scratch();
    writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'cnmcp-monorepo', private: true, workspaces: ['core', 'plugins/*'] }));
    const { code } = await runCli(['create', 'plugin', '--kind', 'audit-sink', 'siem-sink'], { cwd: root, timeoutMs: 120_000 });
    expect(code).toBe(0);
    expect(JSON.parse(readFileSync(join(root, 'plugins/siem-sink/package.json'), 'utf8')).name).toBe('@cnmcp/plugin-siem-sink');
  });

  it('exits 2 and writes nothing for a name that is not kebab-case or is reserved', async () => {
    const cwd = scratch();
    // Every rule is unit-tested in core/src/scaffold/scaffold-name.test.ts; here, that the CLI refuses both kinds.
    const cases = [
      ['My_Pack', 'not kebab-case'],
      ['utilities', 'reserved'],
    ] as const;
    for (const [name, why] of cases) {
      const { code, stdout, stderr } = await runCli(['create', 'tool-pack', name], { cwd, timeoutMs: 120_000 });
      expect(code, name).toBe(2);
      expect(stdout).toBe('');
      expect(stderr).toContain(why);
    }
    expect(readdirSync(cwd)).toEqual([]);
  });

  it('refuses to overwrite an existing directory (exit 2), leaving it as it was', async () => {
    const cwd = scratch();
    mkdirSync(join(cwd, 'taken'));
    writeFileSync(join(cwd, 'taken/notes.txt'), 'mine');
    const { code, stderr } = await runCli(['create', 'plugin', '--kind', 'auth', 'taken'], { cwd, timeoutMs: 120_000 });
    expect(code).toBe(2);
    expect(stderr).toContain('already exists: nothing was written');
    expect(readdirSync(join(cwd, 'taken'))).toEqual(['notes.txt']);
    const again = await runCli(['create', 'tool-pack', 'fresh', '--dir', 'taken'], { cwd, timeoutMs: 120_000 });
    expect(again.code).toBe(2);
    expect(readdirSync(join(cwd, 'taken'))).toEqual(['notes.txt']);
  });

  it('requires a known --kind', async () => {
    const cwd = scratch();
    const missing = await runCli(['create', 'plugin', 'no-kind'], { cwd, timeoutMs: 120_000 });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--kind');
    const unknown = await runCli(['create', 'plugin', '--kind', 'tool-pack', 'wrong-kind'], { cwd, timeoutMs: 120_000 });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/secret-store, audit-sink, tls, rate-limit-store, auth, authorizer, sanitizer/);
    expect(readdirSync(cwd)).toEqual([]);
  });
});
