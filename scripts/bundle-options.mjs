// The esbuild options every package's bundle shares (core/scripts/build-bundle.mjs, scripts/build-plugin-bundle.mjs):
// ESM split into shared chunks (a module exists once, lazy imports stay chunks of their own), Node 20, every
// third-party package external, source maps that point into src/.
export const BUNDLE_OPTIONS = {
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  sourcemap: 'linked',
  sourcesContent: false,
  logLevel: 'warning',
};
