// Builds core's JavaScript as one esbuild bundle: a start then loads a few files instead of about 150 modules, and
// resolving and reading each module was most of what start-up cost. tsc emits only the declarations (types).
// One entry per package export, split into shared chunks, so every core module exists once however a process
// reaches it (a plugin through `@cnmcp/core/plugin`, the CLI through `./cli`): one DI container, one set of tokens.
// Third-party packages stay external: plugins share their singletons (tsyringe, the OpenTelemetry API, the SDK).
// Every file sits two levels under the package root, as tsc's output did, so `import.meta.url`-relative paths
// (package.json, templates, the console's files) resolve the same from the bundle and from src/.
import { rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { BUNDLE_OPTIONS } from '../../scripts/bundle-options.mjs';

const core = fileURLToPath(new URL('..', import.meta.url));
const dist = `${core}dist`;

// CommonJS packages that every start loads, `require`d instead of imported: Node then skips lexing each of their
// files for named exports and wrapping it as an ES module (tsyringe, reflect-metadata and the OpenTelemetry API load
// 78 files: 150-225 ms of CPU imported, 59-78 ms required; docs/performance.md). They stay external and are the very
// module objects a plugin's `import` gets: Node's ES loader shares the CommonJS cache, and commander's and
// safe-stable-stringify's ES entries only re-export their CommonJS ones. Only packages whose ES entry is, or wraps,
// the CommonJS one belong here.
const REQUIRED_PACKAGES = ['reflect-metadata', 'tsyringe', '@opentelemetry/api', 'cosmiconfig', 'commander', 'safe-stable-stringify'];
const requireHere = createRequire(`${core}package.json`);
requireHere('reflect-metadata'); // tsyringe refuses to load without it, here as in the server

/** Each import of a listed package becomes a module that `require`s it and exports its names (read at build time). */
const requirePackages = {
  name: 'require-commonjs-packages',
  setup(bundler) {
    const names = new Set(REQUIRED_PACKAGES);
    bundler.onResolve({ filter: /^[@a-z]/ }, (args) => (names.has(args.path) ? { path: args.path, namespace: 'required' } : undefined));
    bundler.onLoad({ filter: /.*/, namespace: 'required' }, (args) => {
      const exported = Object.keys(requireHere(args.path)).filter((name) => /^[A-Za-z_$][\w$]*$/.test(name) && name !== 'default' && name !== '__esModule');
      const contents = [
        `import { createRequire } from 'node:module';`,
        `const required = createRequire(import.meta.url)(${JSON.stringify(args.path)});`,
        `export default required;`,
        exported.length > 0 ? `export const { ${exported.join(', ')} } = required;` : '',
      ].join('\n');
      return { contents, loader: 'js', resolveDir: core };
    });
  },
};

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
  plugins: [requirePackages],
  ...BUNDLE_OPTIONS,
});
