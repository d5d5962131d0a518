import { writeSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';

/** Writes all of `data` at the handle's position, continuing after short writes (a full disk, a file size limit). */
export async function writeAll(handle: FileHandle, data: Uint8Array): Promise<void> {
  let offset = 0;
  while (offset < data.length) {
    const { bytesWritten } = await handle.write(data, offset, data.length - offset);
    if (bytesWritten === 0) throw new Error('the file system accepted no bytes');
    offset += bytesWritten;
  }
}

/**
 * Appends all of `data` to a regular file, synchronously. A batch of audit lines goes to the page cache in a few
 * microseconds; through the thread pool the same write costs ten times that in CPU (a wake-up, a hand-off and a
 * promise), and the group commit writes a batch every millisecond or so. The fdatasync that makes the batch durable
 * stays asynchronous: that one waits on the disk.
 */
export function appendAll(fd: number, data: Uint8Array): void {
  let offset = 0;
  while (offset < data.length) {
    const written = writeSync(fd, data, offset, data.length - offset);
    if (written === 0) throw new Error('the file system accepted no bytes');
    offset += written;
  }
}

/**
 * Makes a created or renamed entry of `dir` durable. Best effort: some file systems refuse fsync on a directory,
 * and the data itself was already synced.
 */
export async function syncDir(dir: string): Promise<void> {
  try {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // EINVAL/EISDIR on some file systems: nothing more to do.
  }
}

/** Whether the last byte of a non-empty file is a newline. */
export async function endsWithNewline(handle: FileHandle, size: number): Promise<boolean> {
  const last = Buffer.alloc(1);
  await handle.read(last, 0, 1, size - 1);
  return last[0] === 0x0a;
}

export const isMissing = (error: unknown) => (error as NodeJS.ErrnoException).code === 'ENOENT';
