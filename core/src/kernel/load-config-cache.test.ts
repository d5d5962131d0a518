import { chmodSync, lstatSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { definePlugin } from '../plugin/define-plugin.js';
import { CnmcpAggregateError } from '../plugin/errors.js';
import { loadConfig } from './load-config.js';

// Config validators saved as ajv standalone code (LoadOptions.cacheDir) must behave exactly as freshly compiled ones.
const pack = definePlugin({
  kind: 'tool-pack',
  name: 'keyed',
  configSchema: {
    type: 'object',
    properties: {
      keys: {
        type: 'array',
        items: { type: 'object', properties: { key: { type: 'string', 'x-cnmcp-secret': true, minLength: 12 } }, additionalProperties: false },
      },
      mode: { enum: ['fast', 'safe'], default: 'safe' },
    },
    additionalProperties: false,
  },
  setup: async () => ({ tools: [] }),
});

const VALID = { toolPacks: [{ use: 'keyed', keys: [{ key: 'first-long-secret' }, { key: 'second-long-secret' }] }] };
const INVALID = { server: { listen: 8080, bogus: true }, toolPacks: [{ use: 'keyed', keys: [{ key: 'tiny-secret' }, { nope: 1 }], mode: 'quick' }] };

const load = (config: Record<string, unknown>, cacheDir?: string) =>
  loadConfig({ config: structuredClone(config), baseDir: tmpdir() }, { plugins: [pack], env: {}, ...(cacheDir ? { cacheDir } : {}) });

async function outcome(config: Record<string, unknown>, cacheDir?: string) {
  try {
    const loaded = await load(config, cacheDir);
    return { config: loaded.config, secretFields: [...loaded.secretFieldPaths].sort(), sensitive: [...loaded.resolvedValues].sort() };
  } catch (error) {
    expect(error).toBeInstanceOf(CnmcpAggregateError);
    return { problems: (error as CnmcpAggregateError).problems.map((p) => `${p.code} ${p.path} ${p.message}`) };
  }
}

const cacheFiles = (dir: string) => readdirSync(dir).filter((f) => f.startsWith('config-'));

describe('config validators from the cache directory', () => {
  it('give the same problems, defaults and secret fields as a fresh compile, on the first start and on the next', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'cnmcp-cache-')), 'cnmcp');
    for (const config of [VALID, INVALID]) {
      const fresh = await outcome(config);
      expect(await outcome(config, dir)).toEqual(fresh); // compiled, then saved
      expect(await outcome(config, dir)).toEqual(fresh); // loaded from the saved code
    }
    expect(cacheFiles(dir)).toHaveLength(1);
    const valid = await outcome(VALID, dir);
    expect(valid.secretFields).toEqual(['/toolPacks/0/keys/0/key', '/toolPacks/0/keys/1/key']);
    expect(valid.config).toMatchObject({ toolPacks: [{ mode: 'safe' }] });
    const invalid = await outcome(INVALID, dir);
    expect(invalid.problems).toContain('CONFIG_INVALID_VALUE /toolPacks/0/mode must be one of "fast", "safe", got "quick"');
    expect(invalid.problems!.join('\n')).not.toContain('tiny-secret');
  });

  it('reports a broken tool schema with the message ajv itself gives, compiled or loaded', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cnmcp-cache-'));
    const broken = { type: 'object', properties: { a: { type: 'strin' } } };
    let own = '';
    try {
      new Ajv2020({ allErrors: true }).compile(broken);
    } catch (error) {
      own = (error as Error).message;
    }
    expect(own).toMatch(/^schema is invalid: /);
    for (let i = 0; i < 2; i++) {
      const loaded = await load(VALID, dir);
      expect(loaded.schemaProblems!(broken)).toBe(own);
      expect(loaded.schemaProblems!({ type: 'object', properties: { a: { type: 'string' } } })).toBeUndefined();
    }
  });

  it('never runs a saved validator that others could have written or that is a link, and recompiles over a damaged one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cnmcp-cache-'));
    const fresh = await outcome(INVALID);
    await load(VALID, dir);
    const [file] = cacheFiles(dir);
    const path = join(dir, file!);
    const marker = `cnmcpCacheTest${process.pid}`;
    writeFileSync(path, `globalThis.${marker} = true; module.exports.default = () => true;`);
    chmodSync(path, 0o666);
    expect(await outcome(INVALID, dir)).toEqual(fresh);
    expect((globalThis as Record<string, unknown>)[marker]).toBeUndefined();

    const elsewhere = join(mkdtempSync(join(tmpdir(), 'cnmcp-cache-')), 'planted.cjs');
    writeFileSync(elsewhere, `globalThis.${marker} = true; module.exports.default = () => true;`, { mode: 0o600 });
    rmSync(path);
    symlinkSync(elsewhere, path);
    expect(await outcome(INVALID, dir)).toEqual(fresh);
    expect((globalThis as Record<string, unknown>)[marker]).toBeUndefined();

    expect(lstatSync(path).isSymbolicLink()).toBe(false); // saved again over the link
    writeFileSync(path, 'module.exports = {');
    chmodSync(path, 0o600);
    expect(await outcome(INVALID, dir)).toEqual(fresh);
    expect(readFileSync(path, 'utf8')).not.toBe('module.exports = {'); // saved again, whole
    expect(await outcome(INVALID, dir)).toEqual(fresh);
  });
});
