import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = (path: string) => fileURLToPath(new URL(path, import.meta.url));

// Tests run against TypeScript sources, so a test never sees a stale build of another workspace.
export default defineConfig({
  resolve: {
    alias: [
      { find: /^@cnmcp\/core\/plugin$/, replacement: src('./core/src/plugin/index.ts') },
      { find: /^@cnmcp\/core\/testing$/, replacement: src('./core/src/testing/start-test-kernel.ts') },
      { find: /^@cnmcp\/core$/, replacement: src('./core/src/index.ts') },
      { find: /^@cnmcp\/plugin-([a-z0-9-]+)$/, replacement: src('./plugins/$1/src/index.ts') },
    ],
  },
  test: {
    include: ['core/src/**/*.test.ts', 'plugins/*/src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    pool: 'forks',
    reporters: ['default', './test/support/summary-reporter.ts'],
  },
});
