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
    // expect.poll waits 1 s by default; a page refetch after a write took longer than that on a loaded
    // 2-core machine (the latest weight after recording it). Waiting for the page is not a timing
    // assertion: a value that never appears still fails, after 15 s.
    expect: { poll: { timeout: 15_000 } },
    hookTimeout: 120_000,
  },
});
