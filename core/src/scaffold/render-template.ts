import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { CnmcpError } from '../plugin/errors.js';
import type { NameVariants } from './scaffold-name.js';

export interface RenderValues {
  readonly name: NameVariants;
  readonly packageName: string;
  /** The version range of `@cnmcp/core` (and of the `cnmcp` command, a dev dependency) the new package uses. */
  readonly coreRange: string;
}

/**
 * The placeholders templates are written with. They are real names, so each template typechecks and runs in place;
 * longer tokens come first so `cnmcp-plugin-my-plugin` is not half-replaced by `my-plugin`.
 */
function substitutions(values: RenderValues): readonly [string, string][] {
  return [
    ['cnmcp-plugin-my-plugin', values.packageName],
    ['"@cnmcp/core": "*"', `"@cnmcp/core": "${values.coreRange}"`],
    ['"cnmcp": "*"', `"cnmcp": "${values.coreRange}"`],
    ['my-plugin', values.name.kebab],
    ['my_plugin', values.name.snake],
    ['myPlugin', values.name.camel],
    ['MyPlugin', values.name.pascal],
  ];
}

export const substitute = (text: string, values: RenderValues): string => substitutions(values).reduce((out, [from, to]) => out.split(from).join(to), text);

// npm drops `.gitignore` from published packages, so templates carry it as `gitignore`.
const RENAMES: Readonly<Record<string, string>> = { gitignore: '.gitignore' };
const SKIPPED = new Set(['node_modules', 'dist', '.turbo']);

async function filesOf(dir: string, base = dir): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (SKIPPED.has(entry.name) || entry.name.endsWith('.tsbuildinfo')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await filesOf(path, base)));
    else if (entry.isFile()) out.push(relative(base, path));
  }
  return out.sort();
}

/**
 * Copies the template directories to `dest` with placeholders replaced; a file of a later directory replaces the
 * same file of an earlier one. `dest` must not exist: it is created with a non-recursive mkdir, so an existing
 * directory (or a concurrent run) is refused before anything is written. Returns the files written, relative to `dest`.
 */
export async function renderTemplate(templates: readonly string[], dest: string, values: RenderValues): Promise<string[]> {
  const sources = new Map<string, string>();
  for (const template of templates) for (const file of await filesOf(template)) sources.set(file, join(template, file));
  await mkdir(dirname(dest), { recursive: true });
  try {
    await mkdir(dest);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST')
      throw new CnmcpError('CREATE_DESTINATION_EXISTS', `${dest} already exists: nothing was written. Pick another name or --dir.`);
    throw error;
  }
  const written: string[] = [];
  for (const [file, source] of sources) {
    const parts = file.split(/[\\/]/);
    const last = parts.pop()!;
    const target = join(...parts.map((p) => substitute(p, values)), RENAMES[last] ?? substitute(last, values));
    await mkdir(dirname(join(dest, target)), { recursive: true });
    await writeFile(join(dest, target), substitute(await readFile(source, 'utf8'), values));
    written.push(target);
  }
  return written;
}
