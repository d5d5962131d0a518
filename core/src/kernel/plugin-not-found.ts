import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { PluginKind } from '../plugin/define-plugin.js';

const isMissingModule = (error: unknown) => ['ERR_MODULE_NOT_FOUND', 'MODULE_NOT_FOUND'].includes((error as NodeJS.ErrnoException)?.code ?? '');

/**
 * Why `use: <use>` could not be imported, in words a user can act on: what was looked for, where, and how to install
 * it. A module that was found but failed to load (a syntax error, a missing dependency of its own) keeps its message.
 */
export function pluginNotFound(kind: PluginKind, use: string, specifier: string, searched: readonly string[], error: unknown): string {
  const message = (error as Error)?.message ?? String(error);
  const head = `no ${kind} plugin "${use}"`;
  if (!isMissingModule(error)) return `${head}: importing ${specifier} failed: ${message}`;
  if (specifier.startsWith('./') || specifier.startsWith('../') || specifier.startsWith('/')) {
    // The module itself or one of its own imports may be the missing piece (Node quotes the missing one, and names
    // the importer unquoted): keep Node's words for the latter.
    const target = resolve(searched[0] ?? '.', specifier);
    return message.includes(`'${target}'`) || message.includes(`'${pathToFileURL(target).href}'`)
      ? `${head}: no module at ${target} (paths are relative to the config file's directory)`
      : `${head}: ${target} failed to load: ${message}`;
  }
  if (!message.includes(`'${specifier}'`) && !message.includes(`"${specifier}"`)) return `${head}: ${specifier} failed to load: ${message}`;
  const install =
    specifier === use
      ? `install it next to the config file (npm install ${specifier})`
      : `install the cnmcp package, which brings every built-in plugin (npm install cnmcp), or ${specifier} alone (npm install ${specifier})`;
  return `${head}: package ${specifier} is not installed (looked from ${searched.join(', ')}); ${install}`;
}
