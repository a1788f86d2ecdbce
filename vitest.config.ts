import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['**/*.test.ts', '**/*.test.tsx'],
    exclude: ['node_modules/**', 'dist/**'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Builds dist/ for the end-to-end tests when the sources are newer.
    globalSetup: ['test/e2e/global-setup.ts'],
    reporters: ['default', './test/summary-reporter.ts'],
  },
});
