import type { PluginKind } from '../plugin/define-plugin.js';

/**
 * Built-in plugin names and the package each lives in. Core never imports these packages statically:
 * the kernel imports one only when the config selects it.
 */
export const BUILTIN_PLUGINS: Readonly<Partial<Record<PluginKind, Readonly<Record<string, string>>>>> = {
  'tool-pack': { utilities: '@cnmcp/plugin-utilities' },
};
