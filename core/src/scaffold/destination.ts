import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

export interface Destination {
  /** Absolute directory the package is created in. */
  readonly dir: string;
  /** The npm workspaces root whose `plugins/*` holds the package, when there is one. */
  readonly workspaceRoot?: string;
  /** The package name written to package.json. */
  readonly packageName: string;
}

interface RootManifest {
  readonly name?: string;
  readonly workspaces?: unknown;
}

/** The nearest package.json at or above `from` that declares npm workspaces, with its directory. */
function workspaceRootOf(from: string): { dir: string; manifest: RootManifest } | undefined {
  for (let dir = resolve(from); ; dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      try {
        const manifest = JSON.parse(readFileSync(file, 'utf8')) as RootManifest;
        if (manifest.workspaces !== undefined) return { dir, manifest };
      } catch {
        // An unreadable package.json is no workspace root; keep looking up.
      }
    }
    if (dirname(dir) === dir) return undefined;
  }
}

const patternsOf = (workspaces: unknown): string[] =>
  Array.isArray(workspaces)
    ? workspaces.filter((w): w is string => typeof w === 'string')
    : Array.isArray((workspaces as { packages?: unknown })?.packages)
      ? (workspaces as { packages: string[] }).packages
      : [];

/**
 * Where `cnmcp create` writes: `--dir` when given; inside a workspaces root that lists `plugins/*` (this repository),
 * `<root>/plugins/<name>`, so the package joins the workspace; otherwise `./<name>`.
 */
export function destinationFor(name: string, options: { cwd: string; dir?: string }): Destination {
  const root = workspaceRootOf(options.dir ? resolve(options.cwd, options.dir) : options.cwd);
  const inPlugins = root !== undefined && patternsOf(root.manifest.workspaces).some((p) => p.replace(/\/$/, '') === 'plugins/*');
  const dir = options.dir ? resolve(options.cwd, options.dir) : inPlugins ? join(root.dir, 'plugins', name) : resolve(options.cwd, name);
  const isWorkspace = inPlugins && dirname(dir) === join(root.dir, 'plugins');
  // Packages of this repository are @cnmcp/plugin-<name>, like the built-in ones; elsewhere an unscoped name.
  const packageName = isWorkspace && root.manifest.name === 'cnmcp-monorepo' ? `@cnmcp/plugin-${name}` : `cnmcp-plugin-${name}`;
  return { dir, packageName, ...(isWorkspace ? { workspaceRoot: root.dir } : {}) };
}
