import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EMBEDDED_DEFAULT_CONFIG } from './default-config.js';
import { findConfig } from './find-config.js';

const project = () => {
  const dir = mkdtempSync(join(tmpdir(), 'cnmcp-find-'));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'x' }));
  return dir;
};

describe('findConfig', () => {
  it('finds cnmcp.config.yaml, which cosmiconfig does not search by default', async () => {
    const dir = project();
    writeFileSync(join(dir, 'cnmcp.config.yaml'), 'server:\n  listen: 127.0.0.1:9999\n');
    const found = await findConfig({ cwd: dir, env: {} });
    expect(found.filepath).toBe(join(dir, 'cnmcp.config.yaml'));
    expect(found.config).toEqual({ server: { listen: '127.0.0.1:9999' } });
  });

  it('finds .cnmcprc.json and package.json#cnmcp', async () => {
    const rc = project();
    writeFileSync(join(rc, '.cnmcprc.json'), '{"server":{"name":"rc"}}');
    expect((await findConfig({ cwd: rc, env: {} })).config).toEqual({ server: { name: 'rc' } });

    const pkg = mkdtempSync(join(tmpdir(), 'cnmcp-find-'));
    writeFileSync(join(pkg, 'package.json'), JSON.stringify({ name: 'y', cnmcp: { server: { name: 'pkg' } } }));
    expect((await findConfig({ cwd: pkg, env: {} })).config).toEqual({ server: { name: 'pkg' } });
  });

  it('searches upwards from a subdirectory to the project root', async () => {
    const dir = project();
    writeFileSync(join(dir, 'cnmcp.config.json'), '{"server":{"name":"root"}}');
    mkdirSync(join(dir, 'sub', 'deeper'), { recursive: true });
    expect((await findConfig({ cwd: join(dir, 'sub', 'deeper'), env: {} })).config).toEqual({ server: { name: 'root' } });
  });

  it('falls back to the embedded default when nothing is found', async () => {
    const found = await findConfig({ cwd: project(), env: {} });
    expect(found.filepath).toBeUndefined();
    expect(found.config).toEqual(EMBEDDED_DEFAULT_CONFIG);
  });

  it('loads the file named by CNMCP_CONFIG, and fails clearly when an explicit file is missing', async () => {
    const dir = project();
    writeFileSync(join(dir, 'custom.yml'), 'server: { name: custom }\n');
    expect((await findConfig({ cwd: dir, env: { CNMCP_CONFIG: 'custom.yml' } })).config).toEqual({ server: { name: 'custom' } });
    await expect(findConfig({ cwd: dir, file: 'missing.yaml', env: {} })).rejects.toMatchObject({
      code: 'CONFIG_UNREADABLE',
      message: expect.stringContaining('missing.yaml'),
    });
  });

  it('rejects a config file that is not a mapping', async () => {
    const dir = project();
    writeFileSync(join(dir, 'list.yaml'), '- a\n- b\n');
    await expect(findConfig({ cwd: dir, file: 'list.yaml', env: {} })).rejects.toMatchObject({ code: 'CONFIG_NOT_OBJECT' });
  });

  it("reports an explicit file that does not parse in the same words as a found one (cosmiconfig's)", async () => {
    const dir = project();
    writeFileSync(join(dir, 'bad.yaml'), 'server:\n  name: [unclosed\n');
    writeFileSync(join(dir, 'bad.json'), '{"server": {"name": "x",}}');
    const yaml = await findConfig({ cwd: dir, file: 'bad.yaml', env: {} }).catch((error: Error) => error);
    expect(yaml).toMatchObject({ code: 'CONFIG_UNREADABLE', message: expect.stringContaining(`cannot read config: YAML Error in ${join(dir, 'bad.yaml')}:`) });
    const json = await findConfig({ cwd: dir, file: 'bad.json', env: {} }).catch((error: Error) => error);
    expect(json).toMatchObject({ code: 'CONFIG_UNREADABLE', message: expect.stringContaining(`cannot read config: JSON Error in ${join(dir, 'bad.json')}:`) });
    // The same file found by the search fails with the same message.
    writeFileSync(join(dir, 'cnmcp.config.json'), '{"server": {"name": "x",}}');
    const found = await findConfig({ cwd: dir, env: {} }).catch((error: Error) => error);
    expect((found as Error).message.replace('cnmcp.config.json', 'bad.json')).toBe((json as Error).message);
  });

  it('reads an explicit file that is empty as an empty config, and one with $import merged with what it imports', async () => {
    const dir = project();
    writeFileSync(join(dir, 'empty.yaml'), '\n  \n');
    expect((await findConfig({ cwd: dir, file: 'empty.yaml', env: {} })).config).toEqual({});
    writeFileSync(join(dir, 'base.yaml'), 'server:\n  name: base\n  listen: 127.0.0.1:9999\n');
    writeFileSync(join(dir, 'main.yaml'), '$import: base.yaml\nserver:\n  name: main\n');
    expect((await findConfig({ cwd: dir, file: 'main.yaml', env: {} })).config).toEqual({ server: { name: 'main', listen: '127.0.0.1:9999' } });
  });
});
