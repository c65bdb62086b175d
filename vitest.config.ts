import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/setup/global.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two cores on the build machines: at most two test files at once.
    maxWorkers: 2,
    pool: 'forks',
  },
});
