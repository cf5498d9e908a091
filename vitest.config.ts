import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx', 'test/**/*.test.ts', 'e2e/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    // Generous: some tests start processes or a browser, and CI's two cores also run PostgreSQL.
    testTimeout: 90_000,
    hookTimeout: 60_000,
    // Two cores: more workers than that only queue.
    maxWorkers: 2,
  },
});
