// Builds the pack's JavaScript as one file (esbuild): a start then loads one module instead of about 20, and
// resolving and reading each module was most of what loading the pack cost. tsc emits only the declarations.
// Every import of another package stays external: @cnmcp/core must be the server's own copy (one kernel, one set
// of tokens), and dependencies resolve from this package as before.
import { rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const pack = fileURLToPath(new URL('..', import.meta.url));
const dist = `${pack}dist`;
// A clean dist/ (the build runs this first): modules that tsc emitted in earlier builds must not linger.
await rm(dist, { recursive: true, force: true });
await build({
  absWorkingDir: pack,
  entryPoints: ['src/index.ts'],
  outdir: dist,
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  sourcemap: 'linked',
  sourcesContent: false,
  logLevel: 'warning',
});
