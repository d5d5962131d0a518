import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageEntry } from './package-entry.js';

const pkg = (manifest: unknown) => {
  const dir = mkdtempSync(join(tmpdir(), 'cnmcp-entry-'));
  if (manifest !== undefined) writeFileSync(join(dir, 'package.json'), JSON.stringify(manifest));
  return dir;
};

describe('packageEntry', () => {
  it('takes the import or default condition of exports["."]', () => {
    const dir = pkg({ exports: { '.': { types: './dist/index.d.ts', default: './dist/index.js' } }, main: './lib/other.js' });
    expect(packageEntry(dir)).toBe(join(dir, 'dist/index.js'));
    const conditional = pkg({ exports: { '.': { import: { types: './a.d.ts', default: './esm/index.js' }, require: './cjs/index.cjs' } } });
    expect(packageEntry(conditional)).toBe(join(conditional, 'esm/index.js'));
  });

  it('falls back to main, then index.js', () => {
    const withMain = pkg({ main: 'lib/plugin.js' });
    expect(packageEntry(withMain)).toBe(join(withMain, 'lib/plugin.js'));
    const named = pkg({ name: 'x' });
    expect(packageEntry(named)).toBe(join(named, 'index.js'));
    const bare = pkg(undefined);
    expect(packageEntry(bare)).toBe(join(bare, 'index.js'));
  });

  it('leaves a file path or a missing path as it is', () => {
    const dir = pkg({ main: 'x.js' });
    writeFileSync(join(dir, 'plugin.mjs'), 'export default 1;');
    expect(packageEntry(join(dir, 'plugin.mjs'))).toBe(join(dir, 'plugin.mjs'));
    expect(packageEntry(join(dir, 'missing.js'))).toBe(join(dir, 'missing.js'));
  });
});
