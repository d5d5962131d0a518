// Builds a plugin's JavaScript (run from its directory, by its `build` script) as one esbuild bundle: a start then
// loads one module per plugin instead of one per source file, and resolving and reading each module was most of what
// loading a plugin cost. tsc emits only the declarations. What a plugin imports lazily (`await import`) stays in
// chunks of its own, loaded on first need as before. Every import of another package stays external: @cnmcp/core
// must be the server's own copy (one kernel, one set of tokens), and dependencies resolve from the plugin as before.
import { rm } from 'node:fs/promises';
import { build } from 'esbuild';
import { BUNDLE_OPTIONS } from './bundle-options.mjs';

const plugin = process.cwd();
const dist = `${plugin}/dist`;
// A clean dist/ (the build runs this first): modules that tsc emitted in earlier builds must not linger.
await rm(dist, { recursive: true, force: true });
await build({
  absWorkingDir: plugin,
  entryPoints: ['src/index.ts'],
  outdir: dist,
  chunkNames: '[name]-[hash]',
  ...BUNDLE_OPTIONS,
});
