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

/**
 * A lock shared by every process on this machine (a directory in the temp dir): waits until it is free, returns
 * its release. A lock older than `staleMs` was left by a killed run and is taken over.
 */
export async function acquireLock(name: string, staleMs: number): Promise<() => void> {
  const lock = join(tmpdir(), `${name}.lock`);
  for (;;) {
    try {
      mkdirSync(lock);
      return () => rmSync(lock, { recursive: true, force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const age = Date.now() - (statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > staleMs) rmSync(lock, { recursive: true, force: true });
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

// @cnmcp/core copies templates/ into itself before packing and removes the copy after: two packs of it at once
// (two test files, two checkouts) would race, so packing holds a machine-wide lock.
async function withPackLock<T>(fn: () => Promise<T>): Promise<T> {
  const release = await acquireLock('cnmcp-npm-pack', 600_000);
  try {
    return await fn();
  } finally {
    release();
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
