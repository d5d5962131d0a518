// The packages this repository publishes, and `npm pack` of them: what a user gets from the registry.
import { execFile } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const REPO = fileURLToPath(new URL('../../', import.meta.url));

export interface Manifest {
  readonly name: string;
  readonly version: string;
  readonly private?: boolean;
  readonly license?: string;
  readonly engines?: Readonly<Record<string, string>>;
  readonly bin?: Readonly<Record<string, string>>;
  readonly exports?: Readonly<Record<string, string | Readonly<Record<string, string>>>>;
  readonly dependencies?: Readonly<Record<string, string>>;
  readonly peerDependencies?: Readonly<Record<string, string>>;
  readonly devDependencies?: Readonly<Record<string, string>>;
  readonly publishConfig?: Readonly<Record<string, unknown>>;
}

export interface Workspace {
  readonly dir: string;
  readonly manifest: Manifest;
}

const readManifest = (dir: string) => JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Manifest;

/** Every workspace the root package.json lists (`core`, `plugins/*`, `packages/*`), in that order. */
export function workspaces(): Workspace[] {
  const patterns = (JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { workspaces: string[] }).workspaces;
  const dirs = patterns.flatMap((pattern) => {
    if (!pattern.endsWith('/*')) return [join(REPO, pattern)];
    const parent = join(REPO, pattern.slice(0, -2));
    return readdirSync(parent)
      .sort()
      .map((name) => join(parent, name))
      .filter((dir) => statSync(dir).isDirectory() && statSync(join(dir, 'package.json'), { throwIfNoEntry: false })?.isFile());
  });
  return dirs.map((dir) => ({ dir, manifest: readManifest(dir) }));
}

export interface Packed {
  readonly name: string;
  readonly version: string;
  /** The tarball's file name (inside the pack destination, when not a dry run). */
  readonly filename: string;
  readonly files: readonly { readonly path: string; readonly size: number }[];
}

// @cnmcp/core copies templates/ into itself before packing and removes the copy after: two packs of it at once
// (two test files) would race, so packing holds a lock directory shared by every process on this machine.
const LOCK = join(tmpdir(), 'cnmcp-npm-pack.lock');

async function withPackLock<T>(fn: () => Promise<T>): Promise<T> {
  for (;;) {
    try {
      mkdirSync(LOCK);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const age = Date.now() - (statSync(LOCK, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > 600_000) rmSync(LOCK, { recursive: true, force: true }); // left by a killed run
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}

/** `npm pack --json --workspaces`, one npm run for all: a dry run, or the tarballs written to `destination`. */
export function packAll(destination?: string): Promise<Packed[]> {
  const args = ['pack', '--json', '--workspaces', ...(destination ? ['--pack-destination', destination] : ['--dry-run'])];
  return withPackLock(async () => {
    const { stdout } = await run('npm', args, { cwd: REPO, timeout: 300_000, maxBuffer: 64 * 1024 * 1024 });
    return JSON.parse(stdout) as Packed[];
  });
}
