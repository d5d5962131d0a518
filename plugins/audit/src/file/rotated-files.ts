import { createReadStream, createWriteStream } from 'node:fs';
import { open, readdir, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { isMissing, syncDir } from './durable-write.js';

/** A rotated file: `<file>.<UTC stamp>` or, compressed, `<file>.<UTC stamp>.gz`, e.g. `audit.jsonl.20261124T120000000Z.gz`. */
export interface RotatedFile {
  readonly path: string;
  readonly stamp: string;
  readonly gz: boolean;
}

const ROTATED = /^\.(\d{8}T\d{9}Z)(\.gz)?$/;
const TEMPORARY = /^(\.\d{8}T\d{9}Z(\.gz)?)?\.(gz\.tmp|erasing)$/;
/** A temporary file this old was left by a crash; younger ones may belong to another process at work. */
const STALE_TEMPORARY_MS = 10 * 60_000;

/** `20261124T120000000Z`: sorts as text in time order. */
export const stampOf = (ms: number) => new Date(ms).toISOString().replace(/[-:.]/g, '');

const msOf = (stamp: string) =>
  Date.parse(
    `${stamp.slice(0, 4)}-${stamp.slice(4, 6)}-${stamp.slice(6, 8)}T${stamp.slice(9, 11)}:${stamp.slice(11, 13)}:${stamp.slice(13, 15)}.${stamp.slice(15, 18)}Z`,
  );

/**
 * The stamp of the next rotation: now, but always after the newest existing one, so names stay unique and in order
 * when rotations come within one millisecond or the clock steps back.
 */
export function nextStamp(rotated: readonly RotatedFile[], now: number): string {
  const newest = rotated.at(-1);
  return stampOf(newest === undefined ? now : Math.max(now, msOf(newest.stamp) + 1));
}

/** The rotated files of `path`, oldest first. A plain file beside its `.gz` is superseded (see `removeLeftovers`). */
export async function listRotated(path: string): Promise<RotatedFile[]> {
  const dir = dirname(path);
  const base = basename(path);
  const byStamp = new Map<string, RotatedFile>();
  for (const name of await readdir(dir)) {
    const match = name.startsWith(base) ? ROTATED.exec(name.slice(base.length)) : null;
    if (!match) continue;
    const stamp = match[1]!;
    const gz = match[2] !== undefined;
    if (gz || !byStamp.get(stamp)?.gz) byStamp.set(stamp, { path: join(dir, name), stamp, gz });
  }
  return [...byStamp.values()].sort((a, b) => (a.stamp < b.stamp ? -1 : 1));
}

/**
 * Compresses a rotated file to `<file>.gz` (0600): written to a temporary name, synced, renamed, then the plain file
 * is removed. A crash leaves either the plain file alone or both, and the complete `.gz` wins.
 */
export async function compress(file: string): Promise<void> {
  const temp = `${file}.gz.tmp`;
  try {
    await pipeline(createReadStream(file), createGzip(), createWriteStream(temp, { mode: 0o600 }));
    // fsync is per file, not per descriptor: a second descriptor makes the stream's bytes durable.
    const written = await open(temp, 'r');
    try {
      await written.sync();
    } finally {
      await written.close();
    }
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
  await rename(temp, `${file}.gz`);
  await unlink(file).catch((error: unknown) => (isMissing(error) ? undefined : Promise.reject(error)));
  await syncDir(dirname(file));
}

/** Deletes rotated files last modified more than `retentionDays` ago. Returns the paths deleted. */
export async function deleteExpired(path: string, retentionDays: number, now: number): Promise<string[]> {
  const cutoff = now - retentionDays * 86_400_000;
  const deleted: string[] = [];
  for (const file of await listRotated(path)) {
    const info = await stat(file.path).catch((error: unknown) => (isMissing(error) ? undefined : Promise.reject(error)));
    if (info === undefined || info.mtimeMs >= cutoff) continue;
    await unlink(file.path).catch((error: unknown) => (isMissing(error) ? undefined : Promise.reject(error)));
    deleted.push(file.path);
  }
  return deleted;
}

/**
 * Deletes what interrupted work left: plain rotated files whose `.gz` exists, and stale temporary files. Both may
 * hold events, so erasure calls this too.
 */
export async function removeLeftovers(path: string, now: number): Promise<void> {
  const dir = dirname(path);
  const base = basename(path);
  const names = new Set(await readdir(dir));
  for (const name of names) {
    if (!name.startsWith(base)) continue;
    const suffix = name.slice(base.length);
    const superseded = ROTATED.test(suffix) && !suffix.endsWith('.gz') && names.has(`${name}.gz`);
    const temporary = TEMPORARY.test(suffix) && ((await stat(join(dir, name)).catch(() => undefined))?.mtimeMs ?? now) < now - STALE_TEMPORARY_MS;
    if (superseded || temporary) await unlink(join(dir, name)).catch(() => undefined);
  }
}
