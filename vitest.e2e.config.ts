import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['e2e/**/*.e2e.test.ts'],
    globalSetup: ['e2e/global-setup.ts'],
    fileParallelism: false,
    // One retry for a browser test that timed out on a loaded 2-core machine (seen once: the login page
    // did not render within 30 s while other suites ran); a test that fails twice still fails the run.
    retry: 1,
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
