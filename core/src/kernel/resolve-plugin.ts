import { createRequire } from 'node:module';
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isPlugin, type Plugin, type PluginKind } from '../plugin/define-plugin.js';
import { CnmcpError } from '../plugin/errors.js';
import { BUILTIN_PLUGINS } from './builtin-plugins.js';
import { packageEntry } from './package-entry.js';

const isPath = (use: string) => use.startsWith('./') || use.startsWith('../') || isAbsolute(use);

/**
 * Imports a module named by a path (relative to `baseDir`; a package directory means its entry) or a package name
 * (resolved from `baseDir` first).
 */
export async function importModule(specifier: string, baseDir: string): Promise<unknown> {
  if (isPath(specifier)) return import(pathToFileURL(packageEntry(resolve(baseDir, specifier))).href);
  try {
    const fromConfigDir = createRequire(resolve(baseDir, 'noop.js')).resolve(specifier);
    return await import(pathToFileURL(fromConfigDir).href);
  } catch {
    return import(specifier);
  }
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
    const reason =
      (error as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND' || (error as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND'
        ? 'not found'
        : (error as Error).message;
    return Promise.reject(
      new CnmcpError(
        'PLUGIN_NOT_FOUND',
        `no ${kind} plugin "${use}" (${reason}). Use a built-in name, an installed package name or a ./path to a module.${hint}`,
        { path: `${path}/use` },
      ),
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
