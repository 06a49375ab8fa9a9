import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // End-to-end tests share one Chromium; keep files from fighting over the two cores.
    fileParallelism: true,
    maxWorkers: 2,
  },
});
