import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    globalSetup: ['test/helpers/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // CI runs one file at a time: browser and multi-process suites never compete for its 2 cores.
    maxWorkers: process.env.CI === 'true' ? 1 : 2,
    reporters: ['default'],
  },
});
