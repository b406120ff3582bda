import { defineConfig } from 'vitest/config';

// Two projects: fast node unit tests, and end-to-end tests that drive real browsers
// (they must run inside scripts/netns-run, one file at a time: the machine has 2 cores).
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          environment: 'node',
          // Property tests run thousands of cases; CI's two cores are shared with browsers.
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          environment: 'node',
          fileParallelism: false,
          // After each test: no page set a local description other than the one its browser created.
          setupFiles: ['test/e2e/harness/checks.ts'],
          // No retries: the last two tests that passed only on a retry were real bugs (a message before a
          // channel's 'open' dropped; offers from both sides crossing in every call), and so was the third
          // (codec-interop's: an announced channel, where Chromium loses its first message to a Firefox offerer).
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
