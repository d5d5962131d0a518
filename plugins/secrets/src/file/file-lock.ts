import { open, stat, unlink } from 'node:fs/promises';
import { CnmcpError } from '@cnmcp/core/plugin';

const STALE_MS = 30_000;
const WAIT_MS = 10_000;

/**
 * Runs `fn` holding `<file>.lock`, created with O_EXCL, so that the server and the CLI never interleave a
 * read-modify-write of the same secrets file. A lock older than 30 s belongs to a crashed process and is broken.
 */
export async function withFileLock<T>(file: string, fn: () => Promise<T>): Promise<T> {
  const lock = `${file}.lock`;
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    try {
      const handle = await open(lock, 'wx', 0o600);
      await handle.writeFile(String(process.pid));
      await handle.close();
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const age = await stat(lock).then(
        (s) => Date.now() - s.mtimeMs,
        () => 0,
      );
      if (age > STALE_MS) await unlink(lock).catch(() => {});
      else if (Date.now() > deadline)
        throw new CnmcpError(
          'SECRET_FILE_LOCKED',
          `the secrets file ${file} is locked by another process (${lock}); try again, or remove the lock if no cnmcp is running`,
        );
      else await new Promise((r) => setTimeout(r, 20 + Math.random() * 30));
    }
  }
  try {
    return await fn();
  } finally {
    await unlink(lock).catch(() => {});
  }
}
