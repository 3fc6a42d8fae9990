import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'bench/**/*.test.ts', 'lessons/**/*.test.ts', 'site/**/*.test.ts'],
    // One private redis-server and one embedded PostgreSQL for the whole run; tests that
    // restart a server start their own.
    globalSetup: ['src/testing/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two cores: more forks than that only adds scheduler noise to tests with deadlines.
    maxWorkers: 2,
    reporters: ['default', './src/testing/summary-reporter.ts'],
  },
});
