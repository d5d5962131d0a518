import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * Where the CLI keeps compiled config validators between starts: CNMCP_CACHE_DIR (empty or `off`: no cache), else
 * $XDG_CACHE_HOME/cnmcp, else ~/.cache/cnmcp. A directory that cannot be written only costs the time it would save.
 */
export function cacheDir(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const explicit = env.CNMCP_CACHE_DIR;
  if (explicit !== undefined) return explicit === '' || explicit === 'off' ? undefined : resolve(explicit);
  try {
    return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'cnmcp');
  } catch {
    return undefined; // no home directory (a bare container user): no cache
  }
}
