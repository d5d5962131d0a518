// Builds core's JavaScript as one esbuild bundle: a start then loads a few files instead of about 150 modules, and
// resolving and reading each module was most of what start-up cost. tsc emits only the declarations (types).
// One entry per package export, split into shared chunks, so every core module exists once however a process
// reaches it (a plugin through `@cnmcp/core/plugin`, the CLI through `./cli`): one DI container, one set of tokens.
// Third-party packages stay external: plugins share their singletons (tsyringe, the OpenTelemetry API, the SDK).
// Every file sits two levels under the package root, as tsc's output did, so `import.meta.url`-relative paths
// (package.json, templates, the console's files) resolve the same from the bundle and from src/.
import { rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const core = fileURLToPath(new URL('..', import.meta.url));
const dist = `${core}dist`;
// A clean dist/ (the build runs this first): modules that tsc emitted in earlier builds must not linger and be loaded.
await rm(dist, { recursive: true, force: true });
await build({
  absWorkingDir: core,
  entryPoints: {
    'bundle/index': 'src/index.ts',
    'bundle/plugin': 'src/plugin/index.ts',
    'bundle/testing': 'src/testing/start-test-kernel.ts',
    'cli/main': 'src/cli/main.ts',
  },
  outdir: dist,
  chunkNames: 'bundle/[name]-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  sourcemap: 'linked',
  sourcesContent: false,
  logLevel: 'warning',
});
