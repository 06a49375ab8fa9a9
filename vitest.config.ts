import { defineConfig } from 'vitest/config';

/**
 * Two projects, because the machines that run `npm test` have two cores:
 *
 * - `unit`: tests/common, tests/main and tests/renderer, two files at a time. (A few of them start
 *   processes or a Chromium of their own, such as the HTML report check and the lock test.)
 * - `e2e`: tests/e2e, after `unit` has finished (groupOrder) and one file at a time
 *   (fileParallelism: false). Each e2e file starts its own Chromium and `gloss serve`; two of them
 *   at once, beside unit tests, starved each other of CPU, and a browser test then timed out
 *   waiting for a control that was on screen. No retries anywhere (tests/e2e/harness.ts).
 */
const shared = {
  environment: 'node',
  testTimeout: 60_000,
  hookTimeout: 120_000,
} as const;

export default defineConfig({
  test: {
    // At most two test files at once in all, whichever project they belong to.
    maxWorkers: 2,
    projects: [
      {
        test: {
          ...shared,
          name: 'unit',
          include: ['tests/**/*.test.ts'],
          exclude: ['tests/e2e/**'],
          maxWorkers: 2,
          setupFiles: ['tests/setup/fast-check.ts'],
          sequence: { groupOrder: 0 },
        },
      },
      {
        test: {
          ...shared,
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          fileParallelism: false,
          // `expect.poll` waits for a state the app reaches on its own (an import read in a worker,
          // a section mounted by an IntersectionObserver, a save 700 ms after typing). vitest's
          // default of 1 s failed tests on a loaded machine while the app was still getting there;
          // 10 s is long enough under load, and a state that never comes still fails the test.
          expect: { poll: { timeout: 10_000 } },
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
