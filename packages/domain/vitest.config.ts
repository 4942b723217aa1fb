import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // Property tests and the long-line robustness test do real work; CI shares two cores.
    testTimeout: 60_000,
  },
});
