import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // The browser tests share one Chromium per file; two files at a time fit two cores.
    maxWorkers: 2,
    // Every test file removes the temp folders it made; the run fails if any `lectern-*` is left.
    setupFiles: ['tests/setup/temp-folders.ts'],
    globalSetup: ['tests/setup/no-leftovers.ts'],
    // Every skipped test is named at the end, with the reason its file gave.
    reporters: ['default', './tests/setup/skip-reporter.ts'],
  },
});
