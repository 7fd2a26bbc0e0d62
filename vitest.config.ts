import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Two cores on CI: keep the pool small so timing-sensitive politeness tests stay honest.
    maxWorkers: 2,
  },
});
