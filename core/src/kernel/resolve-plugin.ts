import { createRequire } from 'node:module';
import { dirname, isAbsolute, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isPlugin, type Plugin, type PluginKind } from '../plugin/define-plugin.js';
import { CnmcpError } from '../plugin/errors.js';
import { BUILTIN_PLUGINS } from './builtin-plugins.js';
import { packageEntry } from './package-entry.js';
import { pluginNotFound } from './plugin-not-found.js';

const isPath = (use: string) => use.startsWith('./') || use.startsWith('../') || isAbsolute(use);

// Directories package names are also resolved from: a distribution such as the `cnmcp` package adds its own, so the
// built-in plugins it depends on are found wherever it is installed (globally, by npx, under any layout).
const searchDirs: string[] = [];

/**
 * Adds the location of a module (its `import.meta.url`, a file URL or a path) to the places plugin package names
 * are resolved from, after the config file's directory and before `@cnmcp/core`'s own location.
 */
export function resolvePluginsFrom(moduleUrl: string): void {
  const dir = dirname(moduleUrl.startsWith('file:') ? fileURLToPath(moduleUrl) : resolve(moduleUrl));
  if (!searchDirs.includes(dir)) searchDirs.push(dir);
}

/** Where a package name is looked for, in order: for the "not found" message. */
export const packageSearchDirs = (baseDir: string): string[] => [baseDir, ...searchDirs, fileURLToPath(new URL('.', import.meta.url))];

/**
 * Imports a module named by a path (relative to `baseDir`; a package directory means its entry) or a package name
 * (resolved from `baseDir`, then the directories `resolvePluginsFrom` added, then core's own location).
 */
export async function importModule(specifier: string, baseDir: string): Promise<unknown> {
  if (isPath(specifier)) {
    const file = packageEntry(resolve(baseDir, specifier));
    return isTypeScript(file) ? importTypeScript(file) : import(pathToFileURL(file).href);
  }
  for (const dir of [baseDir, ...searchDirs]) {
    let found: string;
    try {
      found = createRequire(resolve(dir, 'noop.js')).resolve(specifier);
    } catch {
      continue;
    }
    return import(pathToFileURL(found).href);
  }
  return import(specifier);
}

const isTypeScript = (file: string) => /\.[mc]?ts$/.test(file);

/** A `.ts` module on any supported Node (20 has no type stripping): jiti transpiles it, loaded only when needed. */
async function importTypeScript(file: string): Promise<unknown> {
  const { createJiti } = await import('jiti');
  return createJiti(import.meta.url, { moduleCache: false }).import(file);
}

/** All plugin descriptors a module exports: a default export, a `plugins` array, or a default array. */
export function pluginsOf(mod: unknown): Plugin[] {
  const candidates: unknown[] = [];
  const m = (mod ?? {}) as Record<string, unknown>;
  for (const value of [m.default, m.plugin, m.plugins]) {
    if (Array.isArray(value)) candidates.push(...value);
    else if (value !== undefined) candidates.push(value);
  }
  // A module may export the same plugins as `default` and `plugins`: each counts once.
  return [...new Set(candidates)].filter(isPlugin);
}

export interface PluginLookup {
  /** Plugins registered up front (tests, `plugins:` in config), by kind and name. */
  readonly registered: ReadonlyMap<string, Plugin>;
  readonly baseDir: string;
}

export const registryKey = (kind: PluginKind, name: string) => `${kind}/${name}`;

/**
 * Finds the plugin a `use:` value names, in this order: registered plugins, built-ins, a ./path, a package name.
 * Fails naming the entry's config path and what was looked for.
 */
export async function resolvePlugin(kind: PluginKind, use: string, path: string, lookup: PluginLookup): Promise<Plugin> {
  const registered = lookup.registered.get(registryKey(kind, use));
  if (registered) return registered;
  const builtin = BUILTIN_PLUGINS[kind]?.[use];
  const specifier = builtin ?? use;
  let mod: unknown;
  try {
    mod = await importModule(specifier, lookup.baseDir);
  } catch (error) {
    const known = [...Object.keys(BUILTIN_PLUGINS[kind] ?? {}), ...[...lookup.registered.values()].filter((p) => p.kind === kind).map((p) => p.name)];
    const hint = known.length > 0 ? ` Known ${kind} plugins: ${known.join(', ')}.` : '';
    const why = pluginNotFound(kind, use, specifier, packageSearchDirs(lookup.baseDir), error);
    return Promise.reject(
      new CnmcpError('PLUGIN_NOT_FOUND', `${why}. Use a built-in name, an installed package name or a ./path to a module.${hint}`, { path: `${path}/use` }),
    );
  }
  const plugins = pluginsOf(mod).filter((p) => p.kind === kind);
  const chosen = plugins.length === 1 ? plugins[0] : plugins.find((p) => p.name === use || isPath(use) || p.name === builtinName(kind, use));
  if (!chosen) {
    const found = pluginsOf(mod).map((p) => `${p.kind}/${p.name}`);
    throw new CnmcpError(
      'PLUGIN_INVALID',
      `"${use}" exports no ${kind} plugin${found.length ? ` (it exports ${found.join(', ')})` : ''}: its default export must be definePlugin({ kind: '${kind}', ... })`,
      { path: `${path}/use` },
    );
  }
  return chosen;
}

const builtinName = (kind: PluginKind, use: string) => (BUILTIN_PLUGINS[kind]?.[use] ? use : undefined);
