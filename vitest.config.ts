import { defineConfig } from 'vitest/config';

const inCi = process.env.CI === 'true';

export default defineConfig({
  test: {
    globalSetup: ['test/helpers/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // What a page shows "soon" may take seconds on a loaded CI machine (the default is 1 s); a test
    // that cares how soon measures it and asserts on the figure.
    expect: { poll: { timeout: 15_000 } },
    pool: 'forks',
    reporters: ['default'],
    projects: [
      {
        extends: true,
        test: {
          name: 'api',
          include: ['src/**/*.test.ts', 'test/api/**/*.test.ts'],
          maxWorkers: 2,
          // A worker runs file after file without loading the server's modules again each time:
          // half the time of these suites. Each file still makes its own app and database.
          isolate: false,
        },
      },
      {
        extends: true,
        test: {
          name: 'browser',
          include: ['test/e2e/**/*.test.ts'],
          // After the api suites. CI runs one browser file at a time: a page and its server never
          // compete with another file for the machine's 2 cores.
          sequence: { groupOrder: 1 },
          maxWorkers: inCi ? 1 : 2,
        },
      },
    ],
  },
});
