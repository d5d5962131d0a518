import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { importModule, packageSearchDirs } from './resolve-plugin.js';
import { pluginNotFound } from './plugin-not-found.js';

// The message a user reads when `use:` names something that is not there: what was looked for, where, and the
// npm command that fixes it. Real imports from an empty directory produce the errors Node really throws.
const dir = mkdtempSync(join(tmpdir(), 'cnmcp-not-found-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const failure = (specifier: string) =>
  importModule(specifier, dir).then(
    () => expect.unreachable(),
    (error: unknown) => error,
  );

describe('pluginNotFound', () => {
  it('a built-in whose package is missing: names the package, where it looked, and to install cnmcp', async () => {
    const error = await failure('@cnmcp/plugin-not-a-real-one');
    const message = pluginNotFound('tool-pack', 'utilities', '@cnmcp/plugin-not-a-real-one', packageSearchDirs(dir), error);
    expect(message).toContain('no tool-pack plugin "utilities": package @cnmcp/plugin-not-a-real-one is not installed (looked from ');
    expect(message).toContain(dir);
    expect(message).toContain('npm install cnmcp');
  });

  it('a package name: to install it next to the config', async () => {
    const message = pluginNotFound('auth', 'acme-auth', 'acme-auth', packageSearchDirs(dir), await failure('acme-auth'));
    expect(message).toContain('package acme-auth is not installed');
    expect(message).toContain('npm install acme-auth');
  });

  it('a ./path: the absolute file it looked for', async () => {
    const message = pluginNotFound('auth', './missing.mjs', './missing.mjs', [dir], await failure('./missing.mjs'));
    expect(message).toBe(`no auth plugin "./missing.mjs": no module at ${join(dir, 'missing.mjs')} (paths are relative to the config file's directory)`);
  });

  it('a module that exists but imports a missing package keeps Node’s words, not "not installed"', async () => {
    writeFileSync(join(dir, 'broken.mjs'), "import 'acme-dependency-that-is-missing';\n");
    const message = pluginNotFound('auth', './broken.mjs', './broken.mjs', [dir], await failure('./broken.mjs'));
    expect(message).toContain('failed to load');
    expect(message).toContain('acme-dependency-that-is-missing');
  });
});
