import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // Suites in one worker share its PGlite instance (see @chancery/db/testing).
    isolate: false,
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
