import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { packAll, REPO, workspaces, type Packed, type Workspace } from './workspaces.js';

// What `npm publish` would upload for every workspace, read from `npm pack --dry-run --json`. The build must have
// run (`npm test` builds first): the tarballs carry dist/.
const all = workspaces();
const packed = new Map<string, Packed>();

beforeAll(async () => {
  for (const p of await packAll()) packed.set(p.name, p);
}, 300_000);

const exportTargets = (ws: Workspace): string[] =>
  Object.values(ws.manifest.exports ?? {}).flatMap((target) => (typeof target === 'string' ? [target] : Object.values(target)));
const strip = (path: string) => path.replace(/^\.\//, '');
const isPlugin = (ws: Workspace) => ws.manifest.name.startsWith('@cnmcp/plugin-');

describe.each(all.map((ws) => [relative(REPO, ws.dir), ws] as const))('npm pack of %s', (_dir, ws) => {
  const files = () => packed.get(ws.manifest.name)!.files.map((f) => f.path);

  it('is publishable: a version, Apache-2.0, engines, public access', () => {
    expect(ws.manifest.private).toBeUndefined();
    expect(ws.manifest.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(ws.manifest.license).toBe('Apache-2.0');
    expect(ws.manifest.engines?.node).toBe('>=20');
    expect(ws.manifest.publishConfig?.access).toBe('public');
  });

  it('carries package.json, a README and the root LICENSE text', () => {
    expect(files()).toEqual(expect.arrayContaining(['package.json', 'README.md', 'LICENSE']));
    expect(readFileSync(join(ws.dir, 'LICENSE'), 'utf8')).toBe(readFileSync(join(REPO, 'LICENSE'), 'utf8'));
    expect(readFileSync(join(REPO, 'LICENSE'), 'utf8')).toContain('Apache License\n                           Version 2.0, January 2004');
  });

  it('carries every file its exports and bin name, with types for each JS entry', () => {
    for (const target of [...exportTargets(ws), ...Object.values(ws.manifest.bin ?? {})]) expect(files(), target).toContain(strip(target));
    for (const [entry, target] of Object.entries(ws.manifest.exports ?? {})) {
      if (typeof target === 'object') expect(target.types, entry).toMatch(/\.d\.ts$/);
    }
  });

  it('carries no tests, sources, source maps or build leftovers', () => {
    // templates/ (inside @cnmcp/core) is the scaffold's source, tests included, by design.
    const shipped = files().filter((f) => !f.startsWith('templates/'));
    expect(shipped.filter((f) => /\.test\.|\.spec\.|(^|\/)src\/|\.map$|\.tsbuildinfo$|(^|\/)testing\/.*fixture/.test(f))).toEqual([]);
  });

  if (isPlugin(ws)) {
    it('takes @cnmcp/core as a peer dependency (one copy shared with the server), and as a dev dependency to build', () => {
      expect(ws.manifest.peerDependencies?.['@cnmcp/core']).toBe(`^${ws.manifest.version}`);
      expect(ws.manifest.dependencies?.['@cnmcp/core']).toBeUndefined();
      expect(ws.manifest.devDependencies?.['@cnmcp/core']).toBeDefined();
    });
  }
});

describe('the family', () => {
  it('shares one version (the changesets fixed group)', () => {
    expect(new Set(all.map((ws) => ws.manifest.version)).size).toBe(1);
  });

  it('@cnmcp/core ships the templates cnmcp create copies', () => {
    const files = packed.get('@cnmcp/core')!.files.map((f) => f.path);
    expect(files).toEqual(expect.arrayContaining(['templates/common/package.json', 'templates/common/gitignore', 'templates/tool-pack/src/index.ts']));
  });

  it('@cnmcp/core ships the admin console built (bundled script, style sheet, page), not its sources or dev dependencies', () => {
    const core = all.find((ws) => ws.manifest.name === '@cnmcp/core')!;
    const files = packed.get('@cnmcp/core')!.files.map((f) => f.path);
    expect(files).toEqual(expect.arrayContaining(['dist/console/index.html', 'dist/console/console.js', 'dist/console/console.css']));
    expect(files.filter((f) => f.startsWith('console/'))).toEqual([]);
    // Bundled at build time: the UI stack is no runtime dependency of anyone who installs cnmcp.
    for (const name of ['preact', 'uplot', 'esbuild']) expect(core.manifest.dependencies?.[name], name).toBeUndefined();
  });

  it('cnmcp depends on core and every built-in plugin, at the versions in this repository', () => {
    const cnmcp = all.find((ws) => ws.manifest.name === 'cnmcp')!;
    const expected = Object.fromEntries(
      all.filter((ws) => ws.manifest.name === '@cnmcp/core' || isPlugin(ws)).map((ws) => [ws.manifest.name, ws.manifest.version]),
    );
    expect(cnmcp.manifest.dependencies).toEqual(expected);
    expect(cnmcp.manifest.bin).toEqual({ cnmcp: 'bin/cnmcp.js' });
  });

  it('create-cnmcp is the bin npm create cnmcp runs', () => {
    expect(all.find((ws) => ws.manifest.name === 'create-cnmcp')?.manifest.bin).toEqual({ 'create-cnmcp': 'bin/create-cnmcp.js' });
  });
});
