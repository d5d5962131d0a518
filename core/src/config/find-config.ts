import { readFile } from 'node:fs/promises';
import { basename, dirname, extname, resolve } from 'node:path';
import { CnmcpError } from '../plugin/errors.js';
import { EMBEDDED_DEFAULT_CONFIG } from './default-config.js';

const MODULE = 'cnmcp';

// cosmiconfig's default places miss `cnmcp.config.yaml`, so they are listed explicitly. `.js`/`.mjs`/`.ts` files run code.
export const SEARCH_PLACES = [
  'package.json',
  `.${MODULE}rc`,
  `.${MODULE}rc.json`,
  `.${MODULE}rc.yaml`,
  `.${MODULE}rc.yml`,
  `.${MODULE}rc.js`,
  `.${MODULE}rc.mjs`,
  `${MODULE}.config.yaml`,
  `${MODULE}.config.yml`,
  `${MODULE}.config.json`,
  `${MODULE}.config.js`,
  `${MODULE}.config.mjs`,
  `${MODULE}.config.ts`,
];

export interface FoundConfig {
  readonly config: Record<string, unknown>;
  /** The file it came from, or undefined for the embedded default. */
  readonly filepath?: string;
  /** Where relative paths in it (plugins, `${file:}`) are resolved from. */
  readonly baseDir: string;
  /** True when no file was found and the embedded default is used. */
  readonly embedded?: boolean;
}

// cosmiconfig's own `.ts` loader needs the typescript package, which a server install does not have: jiti instead.
async function loadTypeScript(filepath: string): Promise<unknown> {
  const { createJiti } = await import('jiti');
  return createJiti(import.meta.url, { moduleCache: false }).import(filepath, { default: true });
}

// Loaded on first need: an explicit YAML or JSON file that parses is read without it (below).
async function explorer() {
  const { cosmiconfig } = await import('cosmiconfig');
  return cosmiconfig(MODULE, { searchPlaces: SEARCH_PLACES, searchStrategy: 'project', cache: false, loaders: { '.ts': loadTypeScript } });
}

// What cosmiconfig's YAML and JSON loaders call: js-yaml's `load` and JSON.parse. js-yaml through its ES entry, one
// file (about 9 ms of CPU to load, against 21-34 ms for the CommonJS entry of about 30 files that cosmiconfig
// requires): the same package and code.
const parseYaml = async (text: string): Promise<unknown> => (await import('js-yaml')).load(text);
const DIRECT_PARSERS: Readonly<Record<string, (text: string) => unknown>> = { '.yaml': parseYaml, '.yml': parseYaml, '.json': JSON.parse };

/**
 * An explicit `.yaml`, `.yml` or `.json` file read as cosmiconfig reads it, without loading cosmiconfig (and its
 * look for a meta-config in the working directory, which reads package.json: 15-25 ms of a start). Undefined for
 * what cosmiconfig must handle: other files, package.json, a file that does not parse (so that its error keeps
 * cosmiconfig's words) and one with `$import`.
 */
async function readDirectly(filepath: string): Promise<{ config: unknown } | undefined> {
  const extension = extname(filepath);
  const parse = DIRECT_PARSERS[extension];
  if (!parse || basename(filepath, extension) === 'package') return undefined;
  const text = await readFile(filepath, { encoding: 'utf-8' });
  if (text.trim() === '') return { config: undefined };
  let config: unknown;
  try {
    config = await parse(text);
  } catch {
    return undefined;
  }
  return config && typeof config === 'object' && Object.hasOwn(config, '$import') ? undefined : { config };
}

/**
 * Finds the config: an explicit file (`--config` or `CNMCP_CONFIG`) must exist; otherwise cosmiconfig
 * searches from `cwd` upwards, and with nothing found the embedded default is used.
 */
export async function findConfig(options: { file?: string; cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<FoundConfig> {
  const cwd = options.cwd ?? process.cwd();
  const explicit = options.file ?? (options.env ?? process.env).CNMCP_CONFIG;
  try {
    if (explicit) {
      const filepath = resolve(cwd, explicit);
      const result = (await readDirectly(filepath)) ?? (await (await explorer()).load(filepath));
      return { config: asObject(result?.config, filepath), filepath, baseDir: dirname(filepath) };
    }
    const result = await (await explorer()).search(cwd);
    if (!result || result.isEmpty) return { config: structuredClone(EMBEDDED_DEFAULT_CONFIG) as Record<string, unknown>, baseDir: cwd, embedded: true };
    return { config: asObject(result.config, result.filepath), filepath: result.filepath, baseDir: dirname(result.filepath) };
  } catch (error) {
    if (error instanceof CnmcpError) throw error;
    const err = error as NodeJS.ErrnoException;
    const message = err.code === 'ENOENT' ? `config file not found: ${resolve(cwd, explicit ?? '')}` : `cannot read config: ${err.message}`;
    throw new CnmcpError('CONFIG_UNREADABLE', message, { cause: error });
  }
}

function asObject(config: unknown, filepath: string): Record<string, unknown> {
  const value =
    config && typeof config === 'object' && 'default' in config && Object.keys(config).length === 1 ? (config as { default: unknown }).default : config;
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new CnmcpError(
      'CONFIG_NOT_OBJECT',
      `${filepath} must contain an object (a mapping of sections), not ${Array.isArray(value) ? 'an array' : typeof value}`,
    );
  }
  return value as Record<string, unknown>;
}
