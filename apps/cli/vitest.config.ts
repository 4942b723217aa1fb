import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // Timeouts catch hangs, not slowness: each test starts the CLI in new processes, and a batch
    // import that takes 15 s alone took 115 s while every package's tests ran at once on two cores.
    testTimeout: 300_000,
    hookTimeout: 300_000,
  },
});
