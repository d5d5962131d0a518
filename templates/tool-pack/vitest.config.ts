import { defineConfig } from 'vitest/config';

// Its own config, so vitest does not pick up a parent directory's (e.g. the monorepo root's) settings.
export default defineConfig({
  test: { include: ['src/**/*.test.ts'], testTimeout: 20_000, hookTimeout: 30_000 },
});
