// `npm pack` of @cnmcp/core: copies the repository's templates/ into the package (prepack) and removes the copy
// again (postpack), so `cnmcp create` works from an installed package as it does from a clone.
import { cpSync, rmSync } from 'node:fs';
import { sep } from 'node:path';

const copy = new URL('../templates', import.meta.url);
rmSync(copy, { recursive: true, force: true });
if (process.argv[2] === 'copy') {
  const skipped = ['node_modules', 'dist', '.turbo'];
  cpSync(new URL('../../templates', import.meta.url), copy, { recursive: true, filter: (path) => !path.split(sep).some((part) => skipped.includes(part)) });
}
