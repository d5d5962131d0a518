import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PLUGIN_KINDS, type PluginKind } from '../plugin/plugin-kinds.js';

/** The kinds `cnmcp create plugin --kind` offers; tool packs have their own `cnmcp create tool-pack`. */
export const PLUGIN_TEMPLATE_KINDS: readonly Exclude<PluginKind, 'tool-pack'>[] = Object.freeze(
  PLUGIN_KINDS.filter((kind): kind is Exclude<PluginKind, 'tool-pack'> => kind !== 'tool-pack'),
);

/**
 * The templates directory: the repository's `templates/` next to `core/` when running from a clone, else
 * `templates/` inside the installed core package (copied there when it is packed). The clone's comes first: a pack
 * running beside (prepack copies, postpack deletes core/templates) never leaves `cnmcp create` a half copy.
 */
export function templatesRoot(): string {
  const coreRoot = fileURLToPath(new URL('../../', import.meta.url));
  for (const candidate of [join(coreRoot, '..', 'templates'), join(coreRoot, 'templates')]) {
    if (existsSync(join(candidate, 'tool-pack'))) return candidate;
  }
  throw new Error(`cnmcp templates not found next to ${coreRoot} (expected templates/tool-pack): reinstall @cnmcp/core`);
}

/**
 * The directories one template is made of, in overlay order: `common/` (package.json, tsconfig, vitest config),
 * then `tool-pack/` or `plugin/<kind>/` (source, tests, README).
 */
export function templateDirs(kind: PluginKind, root = templatesRoot()): string[] {
  return [join(root, 'common'), kind === 'tool-pack' ? join(root, 'tool-pack') : join(root, 'plugin', kind)];
}
