import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    globalSetup: ['test/helpers/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // What a page shows "soon" may take seconds on a loaded CI machine (the default is 1 s); a test
    // that cares how soon measures it and asserts on the figure.
    expect: { poll: { timeout: 15_000 } },
    pool: 'forks',
    // CI runs one file at a time: browser and multi-process suites never compete for its 2 cores.
    maxWorkers: process.env.CI === 'true' ? 1 : 2,
    reporters: ['default'],
  },
});
