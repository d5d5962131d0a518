import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The module a directory path names: its package.json `exports['.']` (the `import` or `default` condition), then
 * `main`, then `index.js`. ESM cannot import a directory, yet `plugins: [./plugins/my-pack]` is what people write.
 * Returns `path` unchanged when it is not a directory.
 */
export function packageEntry(path: string): string {
  let isDirectory = false;
  try {
    isDirectory = statSync(path).isDirectory();
  } catch {
    return path;
  }
  if (!isDirectory) return path;
  let manifest: { exports?: unknown; main?: unknown } = {};
  try {
    manifest = JSON.parse(readFileSync(join(path, 'package.json'), 'utf8')) as typeof manifest;
  } catch {
    return join(path, 'index.js');
  }
  const entry = exportTarget(manifest.exports) ?? (typeof manifest.main === 'string' ? manifest.main : 'index.js');
  return join(path, entry);
}

function exportTarget(exports: unknown): string | undefined {
  if (typeof exports === 'string') return exports;
  if (typeof exports !== 'object' || exports === null || Array.isArray(exports)) return undefined;
  const map = exports as Record<string, unknown>;
  const root = '.' in map ? map['.'] : map;
  if (typeof root === 'string') return root;
  if (typeof root !== 'object' || root === null) return undefined;
  const conditions = root as Record<string, unknown>;
  for (const condition of ['import', 'node', 'default']) {
    const target = conditions[condition];
    if (typeof target === 'string') return target;
    const nested = exportTarget(target);
    if (nested) return nested;
  }
  return undefined;
}
