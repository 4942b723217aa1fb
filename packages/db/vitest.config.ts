import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // Suites in one worker share its PGlite instance (see @chancery/db/testing).
    isolate: false,
    // Timeouts catch hangs, not slowness: creating a fresh data directory takes ~4 s alone but
    // over 35 s while CI runs every package's tests at once on two cores.
    testTimeout: 180_000,
    hookTimeout: 180_000,
  },
});
